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

export const dashboardApi = {
  summary: (range: TimeRange, timeZone: string): Promise<UsageSummary> =>
    http.get(`/v0/management/analytics/summary?${rangeQuery(range, timeZone)}`).then(toUsageTotals),

  hourly: (range: TimeRange, timeZone: string): Promise<TimeseriesPoint[]> =>
    http
      .get(`/v0/management/analytics/timeseries?bucket=hour&${rangeQuery(range, timeZone)}`)
      .then(toTimeseries),

  enableUsageStatistics: (): Promise<void> => cpaApi.enableUsageStatistics(),
};
