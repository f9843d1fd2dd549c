import { toCoverageGaps, type CoverageGap } from "../../lib/coverage";
import { cpaApi } from "../../lib/cpa/status";
import { http } from "../../lib/http";
import { toUsageTotals } from "../../lib/usageTotals";
import { asRecord, num } from "../../lib/wire";
import { rangeQuery } from "./logic";
import type { TimeRange, TimeseriesPoint, UsageSummary } from "./types";

export function toTimeseries(wire: unknown): TimeseriesPoint[] {
  const points = asRecord(wire).points;
  if (!Array.isArray(points)) return [];
  return points.map((point) => {
    const p = asRecord(point);
    return { t: num(p.t), requests: num(p.requests) };
  });
}

/** The hourly points and the coverage gaps in their range, which the chart shades. */
export function toHourlyAnswer(wire: unknown): { points: TimeseriesPoint[]; gaps: CoverageGap[] } {
  return { points: toTimeseries(wire), gaps: toCoverageGaps(asRecord(wire).coverage) };
}

export const dashboardApi = {
  summary: (range: TimeRange, timeZone: string): Promise<UsageSummary> =>
    http.get(`/v0/management/analytics/summary?${rangeQuery(range, timeZone)}`).then(toUsageTotals),

  hourly: (range: TimeRange, timeZone: string): Promise<{ points: TimeseriesPoint[]; gaps: CoverageGap[] }> =>
    http
      .get(`/v0/management/analytics/timeseries?bucket=hour&${rangeQuery(range, timeZone)}`)
      .then(toHourlyAnswer),

  enableUsageStatistics: (): Promise<void> => cpaApi.enableUsageStatistics(),
};
