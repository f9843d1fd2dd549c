import { describe, expect, it } from "vitest";
import { chartRows, summarizeSeries, type SummaryWords } from "./chartSummary";

const words: SummaryWords = {
  series: ({ label, total, peak, time }) => `${label}: total ${total}, peak ${peak} at ${time}`,
  empty: (label) => `${label}: none`,
};

describe("summarizeSeries", () => {
  it("gives each series' total and its first highest point", () => {
    const text = summarizeSeries(
      [3600, 7200, 10800],
      [
        { label: "Requests", values: [2, 5, 5] },
        { label: "Failures", values: [0, 0, 0] },
      ],
      String,
      (s) => `t${s}`,
      words,
    );
    expect(text).toBe("Requests: total 12, peak 5 at t7200; Failures: none");
  });
});

describe("chartRows", () => {
  it("keeps the points where any series has a value and counts the empty ones", () => {
    const { rows, omitted } = chartRows(
      [3600, 7200, 10800, 14400],
      [
        { label: "Requests", values: [2, 0, 5, 0] },
        { label: "Failures", values: [0, 0, 1, 0] },
      ],
    );
    expect(rows).toEqual([
      { x: 3600, values: [2, 0] },
      { x: 10800, values: [5, 1] },
    ]);
    expect(omitted).toBe(2);
  });
});
