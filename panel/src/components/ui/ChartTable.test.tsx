import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithI18n } from "../../testing/render";
import { ChartTable } from "./ChartTable";

const SERIES = [
  { label: "Requests", values: [2, 0, 5] },
  { label: "Failures", values: [0, 0, 1] },
];

describe("ChartTable", () => {
  it("lists each non-empty point with every series' value and says how many were left out", () => {
    renderWithI18n(
      <ChartTable label="Requests over time" xs={[3600, 7200, 10800]} series={SERIES} formatValue={(v) => `${v}x`} formatTime={(s) => `t${s}`} />,
    );
    const table = screen.getByRole("table", { name: /Requests over time/ });
    expect(table).toBeTruthy();
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["Time", "Requests", "Failures"]);
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getAllByRole("cell").map((c) => c.textContent))).toEqual([
      ["2x", "0x"],
      ["5x", "1x"],
    ]);
    expect(rows.map((row) => within(row).getByRole("rowheader").textContent)).toEqual(["t3600", "t10800"]);
    expect(screen.getByText(/empty periods left out: 1/)).toBeTruthy();
  });

  it("says so when the range has nothing", () => {
    renderWithI18n(<ChartTable label="Cost" xs={[3600]} series={[{ label: "Cost", values: [0] }]} formatValue={String} formatTime={String} />);
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.getByText("Nothing in this range.")).toBeTruthy();
  });
});
