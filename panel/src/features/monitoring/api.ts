import { toCoverageGaps, type CoverageGap } from "../../lib/coverage";
import { ApiError, http } from "../../lib/http";
import { toTokenCounts, toUsageTotals } from "../../lib/usageTotals";
import { asRecord, num, numOrNull, str, strList, list } from "../../lib/wire";
import { analyticsQuery } from "./logic";
import { FILTER_DIMS } from "./types";
import type {
  BreakdownRow,
  Bucket,
  EventPage,
  FailureReport,
  FilterDim,
  FilterOption,
  FilterOptions,
  Filters,
  Kpis,
  PriceMatch,
  SeriesPoint,
  TimeWindow,
  UsageEvent,
} from "./types";

const BASE = "/v0/management/analytics";

export function toPriceMatch(wire: unknown): PriceMatch | null {
  if (wire === null || typeof wire !== "object") return null;
  const m = asRecord(wire);
  const model = str(m.model);
  return { model, pricedAs: str(m.pricedAs) || model, match: str(m.match), source: str(m.source) };
}

export function toPriceMatches(wire: unknown): PriceMatch[] {
  return list(wire).flatMap((item) => toPriceMatch(item) ?? []);
}

export function toKpis(wire: unknown): Kpis {
  const body = asRecord(wire);
  const latency = asRecord(body.latencyMs);
  return {
    ...toUsageTotals(body),
    inconsistentEvents: num(body.inconsistentEvents),
    latencyAvg: numOrNull(latency.avg),
    latencyP50: numOrNull(latency.p50),
    latencyP95: numOrNull(latency.p95),
    ttftAvg: numOrNull(asRecord(body.ttftMs).avg),
  };
}

export function toSeries(wire: unknown): SeriesPoint[] {
  return list(asRecord(wire).points).map((point) => {
    const p = asRecord(point);
    const tokens = toTokenCounts(p.tokens);
    return {
      t: num(p.t),
      requests: num(p.requests),
      failures: num(p.failures),
      costUsd: num(p.costUsd),
      inputTokens: tokens.input,
      outputTokens: tokens.output,
    };
  });
}

export function toBreakdown(wire: unknown): BreakdownRow[] {
  return list(asRecord(wire).items).map((item) => {
    const i = asRecord(item);
    const requests = num(i.requests);
    const failureRate = numOrNull(i.failureRate) ?? (requests > 0 ? num(i.failures) / requests : null);
    return {
      key: str(i.key),
      label: str(i.label) || str(i.key),
      requests,
      failureRate,
      tokens: num(asRecord(i.tokens).total),
      costUsd: num(i.costUsd),
      unpricedRequests: num(asRecord(i.unpriced).requests),
      latencyAvg: numOrNull(asRecord(i.latencyMs).avg),
      pricing: toPriceMatches(i.pricing),
    };
  });
}

function toFilterOption(item: unknown): FilterOption {
  const i = asRecord(item);
  return { key: str(i.key), label: str(i.label) || str(i.key), requests: num(i.requests) };
}

/** The options answer, each dimension sorted by label for the drop-downs. */
export function toFilterOptions(wire: unknown): FilterOptions {
  const dimensions = asRecord(asRecord(wire).dimensions);
  const out: FilterOptions = {};
  for (const dim of FILTER_DIMS) out[dim] = sortByLabel(list(dimensions[dim]).map(toFilterOption));
  return out;
}

function sortByLabel<T extends { label: string }>(items: T[]): T[] {
  return items.sort((a, b) => a.label.localeCompare(b.label));
}

export function toFailures(wire: unknown): FailureReport {
  const body = asRecord(wire);
  return {
    aggregatedBefore: numOrNull(body.aggregatedBefore),
    total: num(body.total),
    byStatus: list(body.byStatus).map((item) => {
      const i = asRecord(item);
      return { status: numOrNull(i.status), count: num(i.count) };
    }),
    byReason: list(body.byReason).map((item) => {
      const i = asRecord(item);
      return {
        status: numOrNull(i.status),
        reason: str(i.reason),
        count: num(i.count),
        lastSeen: num(i.lastSeen),
        samples: strList(i.samples).slice(0, 3),
      };
    }),
  };
}

export function toEvent(wire: unknown): UsageEvent {
  const e = asRecord(wire);
  return {
    id: num(e.id),
    timestamp: str(e.timestamp),
    model: str(e.model),
    provider: str(e.provider),
    account: str(e.account),
    accountLabel: str(e.accountLabel),
    failed: e.failed === true,
    statusCode: numOrNull(e.statusCode),
    tokens: num(asRecord(e.tokens).total),
    latencyMs: numOrNull(e.latencyMs),
    costUsd: numOrNull(e.costUsd),
    pricing: toPriceMatch(e.pricing),
    requestId: str(e.requestId),
  };
}

export function toEventPage(wire: unknown): EventPage {
  const body = asRecord(wire);
  return {
    aggregatedBefore: numOrNull(body.aggregatedBefore),
    events: list(body.events).map(toEvent),
    nextBefore: str(body.nextBefore) || null,
    newest: str(body.newest) || null,
  };
}

/** A usage service older than the options endpoint (CPA panel mode can meet one): the five unfiltered
 * breakdowns list the same values, at several times the cost. */
async function optionsFromBreakdowns(window: TimeWindow, tz: string): Promise<FilterOptions> {
  const answers = await Promise.all(FILTER_DIMS.map((by) => http.get(`${BASE}/breakdown?${analyticsQuery(window, tz, null, { by })}`)));
  const out: FilterOptions = {};
  FILTER_DIMS.forEach((dim, index) => {
    out[dim] = sortByLabel(list(asRecord(answers[index]).items).map(toFilterOption));
  });
  return out;
}

/** The series' points and the coverage gaps in its window, which the charts shade. */
export interface SeriesAnswer {
  points: SeriesPoint[];
  gaps: CoverageGap[];
}

export function toSeriesAnswer(wire: unknown): SeriesAnswer {
  return { points: toSeries(wire), gaps: toCoverageGaps(asRecord(wire).coverage) };
}

export const monitoringApi = {
  summary: (window: TimeWindow, tz: string, filters: Filters): Promise<Kpis> =>
    http.get(`${BASE}/summary?${analyticsQuery(window, tz, filters)}`).then(toKpis),

  timeseries: (window: TimeWindow, tz: string, filters: Filters, bucket: Bucket): Promise<SeriesAnswer> =>
    http.get(`${BASE}/timeseries?${analyticsQuery(window, tz, filters, { bucket })}`).then(toSeriesAnswer),

  breakdown: (window: TimeWindow, tz: string, filters: Filters, by: FilterDim): Promise<BreakdownRow[]> =>
    http.get(`${BASE}/breakdown?${analyticsQuery(window, tz, filters, { by })}`).then(toBreakdown),

  /** The filter drop-downs' values over the whole range, unfiltered. */
  options: async (window: TimeWindow, tz: string): Promise<FilterOptions> => {
    try {
      return toFilterOptions(await http.get(`${BASE}/options?${analyticsQuery(window, tz, null)}`));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      return optionsFromBreakdowns(window, tz);
    }
  },

  failures: (window: TimeWindow, tz: string, filters: Filters): Promise<FailureReport> =>
    http.get(`${BASE}/failures?${analyticsQuery(window, tz, filters)}`).then((wire) => inWindow(toFailures(wire), window)),

  events: (
    window: TimeWindow,
    tz: string,
    filters: Filters,
    cursor: { before?: string | null; after?: string | null; limit: number },
  ): Promise<EventPage> =>
    http
      .get(`${BASE}/events?${analyticsQuery(window, tz, filters, { limit: cursor.limit, before: cursor.before, after: cursor.after })}`)
      .then((wire) => inWindow(toEventPage(wire), window)),
};

/** Keeps retention's cutoff only when the window reaches back before it. */
function inWindow<T extends { aggregatedBefore: number | null }>(value: T, window: TimeWindow): T {
  const before = value.aggregatedBefore;
  return before !== null && window.start < before ? value : { ...value, aggregatedBefore: null };
}
