import { describe, expect, it } from "vitest";
import { en } from "../i18n/en";
import coverageFixture from "./fixtures/coverage.json";
import seriesFixture from "./fixtures/analytics-timeseries.json";
import { describeGap, formatGapLength, gapsOverlapping, toCoverageGaps } from "./coverage";

function t(key: keyof typeof en, vars: Record<string, string | number> = {}): string {
  const message = en[key];
  const template = typeof message === "string" ? message : message.other;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

describe("coverage", () => {
  it("reads the gaps the server sends (the fixture is the real /coverage answer)", () => {
    const gaps = toCoverageGaps(coverageFixture.gaps);
    // Event time: a 10-minute pause from 1787407200000 at 60 s retention misses the requests of its first 9 minutes.
    expect(gaps).toEqual([
      { start: 1787407200000, end: 1787407740000, open: false, reason: "paused", lengthS: 540, retentionS: 60 },
    ]);
    expect(toCoverageGaps(seriesFixture.coverage)).toEqual([]);
  });

  it("keeps unknown reasons readable and drops empty or malformed gaps", () => {
    expect(toCoverageGaps([{ start: 1, end: 5, reason: "meteor" }, { start: 5, end: 5, reason: "paused" }, "x"])).toEqual([
      { start: 1, end: 5, open: false, reason: "unknown", lengthS: 0, retentionS: 0 },
    ]);
    expect(toCoverageGaps(undefined)).toEqual([]);
  });

  it("keeps the gaps that overlap a window", () => {
    const gaps = toCoverageGaps([{ start: 10, end: 20, reason: "paused" }, { start: 30, end: 40, reason: "stopped" }]);
    expect(gapsOverlapping(gaps, { start: 20, end: 30 })).toEqual([]);
    expect(gapsOverlapping(gaps, { start: 15, end: 35 }).map((g) => g.reason)).toEqual(["paused", "stopped"]);
  });

  it("says lengths as people do", () => {
    expect(formatGapLength(45, "en")).toBe("45 sec");
    expect(formatGapLength(540, "en")).toBe("9 min");
    expect(formatGapLength(3 * 3600, "en")).toBe("3 hr");
    expect(formatGapLength(3 * 86400, "en")).toBe("3 days");
  });

  it("names a gap with its reason, times and length", () => {
    const [gap] = toCoverageGaps(coverageFixture.gaps);
    if (!gap) throw new Error("no gap in the fixture");
    expect(describeGap(gap, t, "en")).toMatch(/^Not collected: paused \(.+ – .+, 9 min\)$/);
    expect(describeGap({ ...gap, open: true }, t, "en")).toMatch(/^Not collected: paused \(.+ – now, 9 min\)$/);
  });
});
