import type { UsageTotals } from "../../lib/usageTotals";

export const RANGE_KEYS = ["today", "24h", "7d", "30d", "all", "custom"] as const;
export type RangeKey = (typeof RANGE_KEYS)[number];

export const FILTER_DIMS = ["model", "provider", "account", "apiKey", "endpoint"] as const;
export type FilterDim = (typeof FILTER_DIMS)[number];

export const STATUS_FILTERS = ["all", "success", "failed"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export type Bucket = "minute" | "hour" | "day";

export interface Filters {
  model: string[];
  provider: string[];
  account: string[];
  apiKey: string[];
  endpoint: string[];
  status: StatusFilter;
  q: string;
}

/** Everything the URL hash keeps for this page. */
export interface MonitoringQuery {
  range: RangeKey;
  /** The chosen window when range is "custom"; null otherwise. */
  custom: TimeWindow | null;
  filters: Filters;
}

export interface TimeWindow {
  start: number;
  end: number;
}

/** How one model was priced: which stored or built-in price, matched how. */
export interface PriceMatch {
  model: string;
  /** The price's model name (differs from model unless match is "exact"). */
  pricedAs: string;
  /** "exact" | "prefixed" | "dated" (other values are shown as sent). */
  match: string;
  /** "manual" (your price) | "litellm" | "default" (built-in); other values are shown as sent. */
  source: string;
}

export interface Kpis extends UsageTotals {
  /** Requests whose CPA token breakdown was inconsistent (their tokens were rebuilt). */
  inconsistentEvents: number;
  latencyAvg: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  ttftAvg: number | null;
}

export interface SeriesPoint {
  t: number;
  requests: number;
  failures: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

/** One value a filter drop-down offers: the filter key, its label and how many requests it had. */
export interface FilterOption {
  key: string;
  label: string;
  requests: number;
}

export type FilterOptions = Partial<Record<FilterDim, FilterOption[]>>;

export interface BreakdownRow {
  key: string;
  label: string;
  requests: number;
  failureRate: number | null;
  tokens: number;
  costUsd: number;
  unpricedRequests: number;
  latencyAvg: number | null;
  /** How each priced model in the row was priced. */
  pricing: PriceMatch[];
}

export interface FailureReason {
  status: number | null;
  reason: string;
  count: number;
  lastSeen: number;
  samples: string[];
}

export interface FailureReport {
  /** Failures before this instant (unix ms) come from hourly totals (retention); null when the window has none. */
  aggregatedBefore: number | null;
  total: number;
  byStatus: { status: number | null; count: number }[];
  byReason: FailureReason[];
}

export interface UsageEvent {
  id: number;
  timestamp: string;
  model: string;
  provider: string;
  /** The account's auth_index ("" when the record had none). */
  account: string;
  accountLabel: string;
  failed: boolean;
  statusCode: number | null;
  tokens: number;
  latencyMs: number | null;
  costUsd: number | null;
  /** How the request's model was priced; null when unpriced. */
  pricing: PriceMatch | null;
  /** CPA's request id ("" when the record had none): the key to CPA's request log. */
  requestId: string;
}

export interface EventPage {
  /** Raw events before this instant (unix ms) were folded into hourly totals; null when the window has none. */
  aggregatedBefore: number | null;
  events: UsageEvent[];
  nextBefore: string | null;
  newest: string | null;
}
