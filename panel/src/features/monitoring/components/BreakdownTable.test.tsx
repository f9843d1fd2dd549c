import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Resource } from "../../../lib/useResource";
import { renderWithI18n } from "../../../testing/render";
import type { BreakdownRow } from "../types";
import { BreakdownTable } from "./BreakdownTable";

function row(label: string, requests: number, latencyAvg: number | null): BreakdownRow {
  return { key: label, label, requests, failureRate: 0.1, tokens: requests * 100, costUsd: requests / 100, unpricedRequests: 0, latencyAvg, pricing: [] };
}

// Each column orders these differently, so a wrong sort cannot pass by accident.
const ROWS = [row("claude-sonnet", 300, null), row("gpt-4o", 120, 900), row("deepseek-chat", 45, 1500), row("mistral-large", 80, 400)];

function loaded(data: BreakdownRow[]): Resource<BreakdownRow[]> {
  return { data, error: null, loading: false, reload: () => {} };
}

/** The first cell of each body row, top to bottom. */
function labels(): string[] {
  const table = screen.getByRole("table");
  return within(table)
    .getAllByRole("row")
    .slice(1)
    .map((r) => within(r).getAllByRole("cell")[0]?.textContent ?? "");
}

function sortOf(name: string): string | null {
  return screen.getByRole("columnheader", { name }).getAttribute("aria-sort");
}

describe("BreakdownTable", () => {
  it("starts sorted by requests, most first", () => {
    renderWithI18n(<BreakdownTable dim="model" onDim={() => {}} rows={loaded(ROWS)} />);
    expect(sortOf("Requests")).toBe("descending");
    expect(sortOf("Name")).toBe("none");
    expect(labels()).toEqual(["claude-sonnet", "gpt-4o", "mistral-large", "deepseek-chat"]);
  });

  it("sorts by the clicked header and flips on a second click, updating aria-sort", async () => {
    const user = userEvent.setup();
    renderWithI18n(<BreakdownTable dim="model" onDim={() => {}} rows={loaded(ROWS)} />);

    await user.click(screen.getByRole("button", { name: "Name" }));
    expect(sortOf("Name")).toBe("ascending");
    expect(sortOf("Requests")).toBe("none");
    expect(labels()).toEqual(["claude-sonnet", "deepseek-chat", "gpt-4o", "mistral-large"]);

    await user.click(screen.getByRole("button", { name: "Name" }));
    expect(sortOf("Name")).toBe("descending");
    expect(labels()).toEqual(["mistral-large", "gpt-4o", "deepseek-chat", "claude-sonnet"]);
  });

  it("keeps rows without a value last in both directions", async () => {
    const user = userEvent.setup();
    renderWithI18n(<BreakdownTable dim="model" onDim={() => {}} rows={loaded(ROWS)} />);

    await user.click(screen.getByRole("button", { name: "Avg latency" }));
    expect(sortOf("Avg latency")).toBe("descending");
    expect(labels()).toEqual(["deepseek-chat", "gpt-4o", "mistral-large", "claude-sonnet"]);

    await user.click(screen.getByRole("button", { name: "Avg latency" }));
    expect(sortOf("Avg latency")).toBe("ascending");
    expect(labels()).toEqual(["mistral-large", "gpt-4o", "deepseek-chat", "claude-sonnet"]);
  });

  it("marks the current grouping and asks for another", async () => {
    const user = userEvent.setup();
    const onDim = vi.fn();
    renderWithI18n(<BreakdownTable dim="model" onDim={onDim} rows={loaded(ROWS)} />);
    const group = screen.getByRole("group", { name: "Group by" });

    expect(within(group).getByRole("button", { name: "Model" }).getAttribute("aria-pressed")).toBe("true");
    expect(within(group).getByRole("button", { name: "Provider" }).getAttribute("aria-pressed")).toBe("false");
    await user.click(within(group).getByRole("button", { name: "Provider" }));
    expect(onDim).toHaveBeenCalledExactlyOnceWith("provider");
  });

  it("keeps a masked account on one clipped line, with the whole name in its title", () => {
    const masked = "alice.longname***@example-company.com";
    renderWithI18n(<BreakdownTable dim="account" onDim={() => {}} rows={loaded([row(masked, 5, 100)])} />);
    const label = within(screen.getByRole("table")).getByText(masked);
    expect(label.tagName).toBe("SPAN");
    expect(label.getAttribute("title")).toBe(masked);
  });

  it("says how each model was priced, with the full sentence as its title", () => {
    const dated: BreakdownRow = {
      ...row("gpt-5-2025-08-07", 10, null),
      pricing: [{ model: "gpt-5-2025-08-07", pricedAs: "gpt-5", match: "dated", source: "default" }],
    };
    const { unmount } = renderWithI18n(<BreakdownTable dim="model" onDim={() => {}} rows={loaded([dated])} />);
    const note = screen.getByTitle("Priced by the built-in table as gpt-5 (dated name).");
    expect(note.textContent).toContain("built-in · as gpt-5");
    // Grouped by another dimension, a row mixes models: no single price origin to show.
    unmount();
    renderWithI18n(<BreakdownTable dim="provider" onDim={() => {}} rows={loaded([dated])} />);
    expect(screen.queryByTitle("Priced by the built-in table as gpt-5 (dated name).")).toBeNull();
  });
});
