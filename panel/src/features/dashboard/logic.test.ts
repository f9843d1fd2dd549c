import { describe, expect, it } from "vitest";
import { stateTone, toCollectorState } from "../../lib/serviceStatus";
import { toUsageTotals } from "../../lib/usageTotals";
import { toTimeseries } from "./api";
import { last24Hours, rangeQuery, summaryRanges, toHourlySeries, usagePublishingOff } from "./logic";

const HOUR = 3_600_000;

describe("toHourlySeries", () => {
  const range = { start: 1_795_500_000_000, end: 1_795_500_000_000 + 23 * HOUR + 1_234 };

  it("makes one zero-filled slot per hour in unix seconds", () => {
    const [xs, ys] = toHourlySeries([], range);
    expect(xs.length).toBe(24);
    expect(xs[0]).toBe(range.start / 1000);
    expect(xs[1]).toBe(range.start / 1000 + 3600);
    expect(ys).toEqual(new Array(24).fill(0));
  });

  it("places each bucket in its hour and ignores points outside the range", () => {
    const points = [
      { t: range.start, requests: 5 },
      { t: range.start + 2 * HOUR, requests: 7 },
      { t: range.start - HOUR, requests: 99 },
      { t: range.start + 30 * HOUR, requests: 99 },
    ];
    const [, ys] = toHourlySeries(points, range);
    expect(ys.slice(0, 4)).toEqual([5, 0, 7, 0]);
    expect(ys.reduce((a, b) => a + b, 0)).toBe(12);
  });
});

describe("ranges", () => {
  it("starts today at local midnight and the week six days earlier", () => {
    const now = new Date(2026, 10, 25, 15, 30).getTime();
    const { today, last7Days } = summaryRanges(now);
    expect(today).toEqual({ start: new Date(2026, 10, 25).getTime(), end: now });
    expect(last7Days).toEqual({ start: new Date(2026, 10, 19).getTime(), end: now });
  });

  it("covers the current hour and the 23 before it", () => {
    const now = new Date(2026, 10, 25, 15, 30).getTime();
    expect(last24Hours(now)).toEqual({ start: new Date(2026, 10, 24, 16).getTime(), end: now });
  });

  it("encodes the range and time zone", () => {
    expect(rangeQuery({ start: 1, end: 2 }, "Asia/Shanghai")).toBe("start=1&end=2&tz=Asia%2FShanghai");
  });
});

describe("collector state", () => {
  it("maps known states and keeps unknown ones distinct", () => {
    expect(toCollectorState("running")).toBe("running");
    expect(toCollectorState("warming-up")).toBe("unknown");
  });

  it.each([
    ["running", "good"],
    ["paused", "warning"],
    ["error", "bad"],
    ["stopped", "neutral"],
  ] as const)("%s has tone %s", (state, tone) => {
    expect(stateTone(state)).toBe(tone);
  });

  it("shows the fix-it banner only for an explicit false", () => {
    expect([usagePublishingOff(false), usagePublishingOff(null), usagePublishingOff(true)]).toEqual([true, false, false]);
  });
});

describe("wire conversion", () => {
  it("reads the summary, keeping a null success rate", () => {
    const wire = {
      requests: 0,
      successes: 0,
      failures: 0,
      successRate: null,
      tokens: { input: 0, output: 0, reasoning: 0, total: 0 },
      costUsd: 0.0,
      unpriced: { requests: 0, models: [] },
    };
    expect(toUsageTotals(wire)).toEqual({
      requests: 0,
      successes: 0,
      failures: 0,
      successRate: null,
      tokens: { input: 0, uncachedInput: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
      costUsd: 0,
      unpricedRequests: 0,
    });
  });

  it("reads timeseries points and tolerates a missing list", () => {
    expect(toTimeseries({ points: [{ t: 1000, label: "x", requests: 3 }] })).toEqual([{ t: 1000, requests: 3 }]);
    expect(toTimeseries({})).toEqual([]);
  });
});
