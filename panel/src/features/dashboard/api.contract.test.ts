// The dashboard's converters on answers captured from the real server (see tests/test_panel_contract_usage.py).
import { describe, expect, it } from "vitest";
import summaryFixture from "../../lib/fixtures/analytics-summary.json";
import seriesFixture from "../../lib/fixtures/analytics-timeseries.json";
import { toUsageTotals } from "../../lib/usageTotals";
import { toTimeseries } from "./api";

describe("dashboard converters on the server's answers", () => {
  it("reads the summary's totals", () => {
    const f = summaryFixture;
    // The panel reads these seven; the server also sends the finer buckets (cacheWrite1h, unclassified…).
    const { input, uncachedInput, output, reasoning, cacheRead, cacheWrite, total } = f.tokens;
    expect(toUsageTotals(f)).toEqual({
      requests: f.requests,
      successes: f.successes,
      failures: f.failures,
      successRate: f.successRate,
      tokens: { input, uncachedInput, output, reasoning, cacheRead, cacheWrite, total },
      costUsd: f.costUsd,
      unpricedRequests: f.unpriced.requests,
    });
  });

  it("reads the hourly requests", () => {
    expect(toTimeseries(seriesFixture)).toEqual(seriesFixture.points.map((p) => ({ t: p.t, requests: p.requests })));
    expect(seriesFixture.points.length).toBeGreaterThan(0);
  });
});
