import { describe, expect, it } from "vitest";
import { summarizeSeries, type SummaryWords } from "./chartSummary";

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
