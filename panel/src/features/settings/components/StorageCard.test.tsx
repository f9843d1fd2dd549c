import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeServer, json } from "../../../testing/fakeServer";
import { renderWithI18n } from "../../../testing/render";
import { StorageCard } from "./StorageCard";

function storage(retention: { days: number | null; source: string; fixed: boolean }) {
  return {
    databaseBytes: 3 * 1024 * 1024,
    rawEvents: 12000,
    aggregatedEvents: 30000,
    bytesPerEvent: 74.9,
    oldestRawEvent: Date.UTC(2026, 10, 1),
    aggregatedBefore: Date.UTC(2026, 10, 1),
    reclaimableBytes: 0,
    incrementalVacuum: true,
    retention: { ...retention, maxDays: 3650 },
  };
}

describe("StorageCard", () => {
  it("shows the database figures and saves a retention", async () => {
    let saved: unknown = null;
    const server = fakeServer({
      "GET /maintenance/storage": () => json(storage({ days: null, source: "default", fixed: false })),
      "PUT /maintenance/retention": (call) => {
        saved = JSON.parse(String(call.body));
        return json(storage({ days: 30, source: "panel", fixed: false }));
      },
    });
    renderWithI18n(<StorageCard />);
    expect(await screen.findByText("3.0 MB")).toBeTruthy();
    expect(screen.getByText("12,000 raw, 30,000 in hourly totals")).toBeTruthy();
    expect(screen.getByText("75")).toBeTruthy();

    const user = userEvent.setup();
    const field = screen.getByRole("textbox", { name: "Keep raw events for (days)" });
    await user.type(field, "30");
    await user.click(screen.getByRole("button", { name: "Save retention" }));
    await waitFor(() => expect(saved).toEqual({ days: 30 }));
    expect(await screen.findByText(/Retention saved/)).toBeTruthy();
    expect(server.calls.filter((c) => c.method === "PUT")).toHaveLength(1);
  });

  it("refuses a negative or absurd number of days with a sentence, without asking the server", async () => {
    const server = fakeServer({
      "GET /maintenance/storage": () => json(storage({ days: null, source: "default", fixed: false })),
    });
    renderWithI18n(<StorageCard />);
    const user = userEvent.setup();
    const field = await screen.findByRole("textbox", { name: "Keep raw events for (days)" });
    for (const bad of ["-3", "99999"]) {
      await user.clear(field);
      await user.type(field, bad);
      await user.click(screen.getByRole("button", { name: "Save retention" }));
      expect(screen.getByText("Enter a whole number of days from 1 to 3,650, or leave it empty to keep everything.")).toBeTruthy();
    }
    expect(server.calls.filter((c) => c.method === "PUT")).toHaveLength(0);
  });

  it("says where a fixed retention is set instead of offering the field", async () => {
    fakeServer({ "GET /maintenance/storage": () => json(storage({ days: 90, source: "settings", fixed: true })) });
    renderWithI18n(<StorageCard />);
    expect(await screen.findByText("Set to 90 by USAGE_RETENTION_DAYS or config.json retentionDays; change it there.")).toBeTruthy();
    expect(screen.queryByRole("textbox")).toBeNull();
  });
});
