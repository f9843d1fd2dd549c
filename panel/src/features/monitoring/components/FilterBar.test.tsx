import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithI18n } from "../../../testing/render";
import { emptyFilters } from "../logic";
import type { BreakdownRow, Filters, RangeKey } from "../types";
import { FilterBar } from "./FilterBar";

function option(key: string): BreakdownRow {
  return { key, label: key, requests: 1, failureRate: 0, tokens: 0, costUsd: 0, unpricedRequests: 0, latencyAvg: null, pricing: [] };
}

const WINDOW = { start: new Date(2026, 10, 24, 9, 0).getTime(), end: new Date(2026, 10, 25, 9, 0).getTime() };

function setup(filters: Filters = emptyFilters(), active = false, range: RangeKey = "24h") {
  const props = { onRange: vi.fn(), onCustom: vi.fn(), onFilters: vi.fn(), onClear: vi.fn() };
  renderWithI18n(
    <FilterBar
      range={range}
      window={WINDOW}
      filters={filters}
      options={{ model: [option("gpt-4o"), option("claude-sonnet")] }}
      active={active}
      {...props}
    />,
  );
  return { user: userEvent.setup(), ...props };
}

describe("FilterBar", () => {
  it("shows the current range and asks for the chosen one", async () => {
    const { user, onRange } = setup();
    const group = screen.getByRole("group", { name: "Time range" });

    expect(within(group).getByRole("button", { name: "24 h" }).getAttribute("aria-pressed")).toBe("true");
    expect(within(group).getByRole("button", { name: "7 d" }).getAttribute("aria-pressed")).toBe("false");
    await user.click(within(group).getByRole("button", { name: "7 d" }));
    expect(onRange).toHaveBeenCalledExactlyOnceWith("7d");
  });

  it("filters by the chosen model", async () => {
    const { user, onFilters } = setup();
    await user.selectOptions(screen.getByRole("combobox", { name: "Model" }), "claude-sonnet");
    expect(onFilters).toHaveBeenCalledExactlyOnceWith({ ...emptyFilters(), model: ["claude-sonnet"] });
  });

  it("drops the model filter when All is chosen", async () => {
    const { user, onFilters } = setup({ ...emptyFilters(), model: ["gpt-4o"], status: "failed" }, true);
    await user.selectOptions(screen.getByRole("combobox", { name: "Model" }), "All");
    expect(onFilters).toHaveBeenCalledExactlyOnceWith({ ...emptyFilters(), status: "failed" });
  });

  it("keeps a filter from the URL selectable when the options do not list it", () => {
    setup({ ...emptyFilters(), model: ["retired-model"] });
    const model = screen.getByRole<HTMLSelectElement>("combobox", { name: "Model" });
    expect(model.value).toBe("retired-model");
    expect(within(model).getByRole("option", { name: "retired-model" })).toBeTruthy();
  });

  it("filters by status", async () => {
    const { user, onFilters } = setup();
    await user.selectOptions(screen.getByRole("combobox", { name: "Status" }), "Failed");
    expect(onFilters).toHaveBeenLastCalledWith({ ...emptyFilters(), status: "failed" });
  });

  it("searches at once on Enter", async () => {
    const { user, onFilters } = setup();
    await user.type(screen.getByRole("searchbox", { name: "Search (press /)" }), "timeout{Enter}");
    expect(onFilters).toHaveBeenCalledExactlyOnceWith({ ...emptyFilters(), q: "timeout" });
  });

  it("offers Clear filters only while a filter is active", async () => {
    const idle = setup();
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Clear filters" }).disabled).toBe(true);
    await idle.user.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(idle.onClear).not.toHaveBeenCalled();
  });

  it("clears the filters when asked", async () => {
    const { user, onClear } = setup({ ...emptyFilters(), status: "failed" }, true);
    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(onClear).toHaveBeenCalledOnce();
  });

  it("applies a custom window typed as local date-times, refusing a backwards one", async () => {
    const { user, onCustom } = setup(emptyFilters(), false, "custom");
    const from = screen.getByLabelText("From");
    const to = screen.getByLabelText("To");
    expect((from as HTMLInputElement).value).toBe("2026-11-24T09:00");

    await user.clear(to);
    await user.type(to, "2026-11-24T08:00");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(screen.getByRole("alert").textContent).toBe("The end must be after the start.");
    expect(onCustom).not.toHaveBeenCalled();

    await user.clear(to);
    await user.type(to, "2026-11-24T21:30");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(onCustom).toHaveBeenCalledExactlyOnceWith({ start: WINDOW.start, end: new Date(2026, 10, 24, 21, 30).getTime() });
  });
});
