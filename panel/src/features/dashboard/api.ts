import { http } from "../../lib/http";
import { asRecord, boolOrNull, num, numOrNull, str, strList } from "../../lib/wire";
import { rangeQuery, toCollectorState } from "./logic";
import type { ServiceStatus, TimeRange, TimeseriesPoint, UsageSummary } from "./types";

export function toServiceStatus(wire: unknown): ServiceStatus {
  const body = asRecord(wire);
  const c = asRecord(body.collector);
  const rawState = str(c.state);
  const warnings = [...strList(body.warnings), ...strList(c.warnings)];
  return {
    version: str(body.version),
    configured: body.configured === true,
    events: num(body.events),
    collector: {
      state: toCollectorState(rawState),
      rawState,
      transport: str(c.transport),
      upstream: str(c.upstream),
      lastInsertedAt: num(c.lastInsertedAt),
      totalInserted: num(c.totalInserted),
      lastError: str(c.lastError),
      lastErrorAt: num(c.lastErrorAt),
      nextRetryAt: num(c.nextRetryAt),
      usageStatisticsEnabled: boolOrNull(c.usageStatisticsEnabled),
    },
    warnings: [...new Set(warnings)],
  };
}

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
  status: (): Promise<ServiceStatus> => http.get("/status").then(toServiceStatus),

  summary: (range: TimeRange, timeZone: string): Promise<UsageSummary> =>
    http.get(`/v0/management/analytics/summary?${rangeQuery(range, timeZone)}`).then(toUsageSummary),

  hourly: (range: TimeRange, timeZone: string): Promise<TimeseriesPoint[]> =>
    http
      .get(`/v0/management/analytics/timeseries?bucket=hour&${rangeQuery(range, timeZone)}`)
      .then(toTimeseries),

  /** Proxied to CPA by our server with the saved key. */
  enableUsageStatistics: (): Promise<void> =>
    http.put("/v0/management/usage-statistics-enabled", { value: true }).then(() => undefined),
};
