import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import statusFixture from "../../../lib/fixtures/status.json";
import { toServiceStatus } from "../../../lib/serviceStatus";
import { renderWithI18n } from "../../../testing/render";
import { EmptyState } from "./EmptyState";

const status = toServiceStatus(statusFixture);
const DAY = 86_400_000;
const LATER = { start: status.newestEventAt + DAY, end: status.newestEventAt + 2 * DAY };

describe("EmptyState", () => {
  it("says the stored events are older than the range and offers to show all, not that CPA stopped publishing", async () => {
    const onShowAll = vi.fn();
    renderWithI18n(<EmptyState status={status} window={LATER} filtered={false} onShowAll={onShowAll} />);
    expect(screen.getByText(/The stored events are older than this range: the newest is from/)).toBeTruthy();
    expect(screen.queryByText(/publishing/)).toBeNull();
    await userEvent.setup().click(screen.getByRole("button", { name: "Show all" }));
    expect(onShowAll).toHaveBeenCalledOnce();
  });

  it("lists publishing as a cause when /status says it is off, with no 'show all' when nothing is stored", () => {
    const off = toServiceStatus({
      ...statusFixture,
      events: 0,
      oldestEventAt: 0,
      newestEventAt: 0,
      collector: { ...statusFixture.collector, usageStatisticsEnabled: false },
    });
    renderWithI18n(<EmptyState status={off} window={LATER} filtered={false} onShowAll={() => {}} />);
    expect(screen.getByText("CPA reports that usage statistics are off.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Show all" })).toBeNull();
  });

  it("names the intervals that were not collected before any other cause", () => {
    const gap = { start: LATER.start + 3_600_000, end: LATER.start + 3_600_000 + 540_000, open: false, reason: "paused" as const, lengthS: 540, retentionS: 60 };
    renderWithI18n(<EmptyState status={status} window={LATER} filtered={false} gaps={[gap]} onShowAll={() => {}} />);
    const items = screen.getAllByRole("listitem").map((item) => item.textContent ?? "");
    expect(items[0]).toMatch(/^Collection was not looking during part of this range: Not collected: paused \(.+ – .+, 9 min\)\.$/);
  });
});
