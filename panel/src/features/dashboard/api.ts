import { cpaApi } from "../../lib/cpa";
import { http } from "../../lib/http";
import { asRecord, num, numOrNull } from "../../lib/wire";
import { rangeQuery } from "./logic";
import type { TimeRange, TimeseriesPoint, UsageSummary } from "./types";

export function toUsageSummary(wire: unknown): UsageSummary {
  const body = asRecord(wire);
  const tokens = asRecord(body.tokens);
  return {
    requests: num(body.requests),
    successes: num(body.successes),
    failures: num(body.failures),
    successRate: numOrNull(body.successRate),
    tokens: { input: num(tokens.input), output: num(tokens.output), total: num(tokens.total) },
    costUsd: num(body.costUsd),
    unpricedRequests: num(asRecord(body.unpriced).requests),
  };
}

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
    http.get(`/v0/management/analytics/summary?${rangeQuery(range, timeZone)}`).then(toUsageSummary),

  hourly: (range: TimeRange, timeZone: string): Promise<TimeseriesPoint[]> =>
    http
      .get(`/v0/management/analytics/timeseries?bucket=hour&${rangeQuery(range, timeZone)}`)
      .then(toTimeseries),

  enableUsageStatistics: (): Promise<void> => cpaApi.enableUsageStatistics(),
};
