import type { MessageKey } from "../../i18n/en";
import {
  FILTER_DIMS,
  RANGE_KEYS,
  STATUS_FILTERS,
  type BreakdownRow,
  type Bucket,
  type Filters,
  type MonitoringQuery,
  type RangeKey,
  type SeriesPoint,
  type StatusFilter,
  type TimeWindow,
  type UsageEvent,
} from "./types";
import type { TokenCounts } from "../../lib/usageTotals";
import { latencyParts } from "../../lib/format";
import type { Translate } from "../../i18n/translate";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export const DEFAULT_RANGE: RangeKey = "24h";
export const EVENTS_CAP = 500;
export const EVENTS_PAGE = 50;

export const RANGE_LABELS: Record<RangeKey, MessageKey> = {
  today: "monitoring.range.today",
  "24h": "monitoring.range.last24h",
  "7d": "monitoring.range.last7d",
  "30d": "monitoring.range.last30d",
  all: "monitoring.range.all",
  custom: "monitoring.range.custom",
};

export const DIM_LABELS: Record<(typeof FILTER_DIMS)[number], MessageKey> = {
  model: "monitoring.dim.model",
  provider: "monitoring.dim.provider",
  account: "monitoring.dim.account",
  apiKey: "monitoring.dim.apiKey",
  endpoint: "monitoring.dim.endpoint",
};

export const STATUS_LABELS: Record<StatusFilter, MessageKey> = {
  all: "monitoring.status.all",
  success: "monitoring.status.success",
  failed: "monitoring.status.failed",
};

export function emptyFilters(): Filters {
  return { model: [], provider: [], account: [], apiKey: [], endpoint: [], status: "all", q: "" };
}

export function hasActiveFilters(filters: Filters): boolean {
  return FILTER_DIMS.some((dim) => filters[dim].length > 0) || filters.status !== "all" || filters.q.trim() !== "";
}

function splitList(value: string | null): string[] {
  if (!value) return [];
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}

/** Local "YYYY-MM-DDTHH:mm", the value a datetime-local input takes. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** Reads a local "YYYY-MM-DDTHH:mm"; null for anything else. */
export function fromLocalInput(value: string | null): number | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** A custom window from two local date-times, or null unless it is a real, forward window. */
export function customWindow(from: string | null, to: string | null): TimeWindow | null {
  const start = fromLocalInput(from);
  const end = fromLocalInput(to);
  return start !== null && end !== null && start < end ? { start, end } : null;
}

/** Reads range and filters from a hash like "#/monitoring?range=7d&model=a,b"; unknown values fall back to defaults. */
export function parseMonitoringHash(hash: string): MonitoringQuery {
  const index = hash.indexOf("?");
  const params = new URLSearchParams(index >= 0 ? hash.slice(index + 1) : "");
  const rawRange = params.get("range");
  let range = (RANGE_KEYS as readonly string[]).includes(rawRange ?? "") ? (rawRange as RangeKey) : DEFAULT_RANGE;
  const custom = range === "custom" ? customWindow(params.get("from"), params.get("to")) : null;
  if (range === "custom" && !custom) range = DEFAULT_RANGE;
  const rawStatus = params.get("status");
  const status = (STATUS_FILTERS as readonly string[]).includes(rawStatus ?? "") ? (rawStatus as StatusFilter) : "all";
  const filters = emptyFilters();
  for (const dim of FILTER_DIMS) filters[dim] = splitList(params.get(dim));
  filters.status = status;
  filters.q = params.get("q") ?? "";
  return { range, custom, filters };
}

/** The filter part of a query string, in a fixed order; empty values and defaults are left out. */
function appendFilters(params: URLSearchParams, filters: Filters): void {
  for (const dim of FILTER_DIMS) {
    if (filters[dim].length > 0) params.set(dim, filters[dim].join(","));
  }
  if (filters.status !== "all") params.set("status", filters.status);
  const q = filters.q.trim();
  if (q !== "") params.set("q", q);
}

/** "#/monitoring?range=7d&model=x" for the page's state; the default range is left out. */
export function monitoringHash(query: MonitoringQuery): string {
  const params = new URLSearchParams();
  if (query.range !== DEFAULT_RANGE) params.set("range", query.range);
  if (query.range === "custom" && query.custom) {
    params.set("from", toLocalInput(query.custom.start));
    params.set("to", toLocalInput(query.custom.end));
  }
  appendFilters(params, query.filters);
  const text = params.toString();
  return text === "" ? "#/monitoring" : `#/monitoring?${text}`;
}

/** Query string for the analytics API: start, end (unix ms), tz, the active filters, then extras. */
export function analyticsQuery(
  window: TimeWindow,
  timeZone: string,
  filters: Filters | null,
  extra: Readonly<Record<string, string | number | null | undefined>> = {},
): string {
  const params = new URLSearchParams({ start: String(window.start), end: String(window.end), tz: timeZone });
  if (filters) appendFilters(params, filters);
  for (const [name, value] of Object.entries(extra)) {
    if (value !== null && value !== undefined && value !== "") params.set(name, String(value));
  }
  return params.toString();
}

function startOfLocalDay(ms: number): number {
  const day = new Date(ms);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

/** The window a range stands for at nowMs. "all" starts at the oldest stored event (oldestStoredMs, from
 * /status; 0 when unknown), and covers at least the last 24 hours. */
export function rangeWindow(range: RangeKey, nowMs: number, custom: TimeWindow | null = null, oldestStoredMs = 0): TimeWindow {
  switch (range) {
    case "all":
      return { start: oldestStoredMs > 0 ? Math.min(oldestStoredMs, nowMs - DAY_MS) : nowMs - DAY_MS, end: nowMs };
    case "custom":
      return custom ?? { start: nowMs - DAY_MS, end: nowMs };
    case "today":
      return { start: startOfLocalDay(nowMs), end: nowMs };
    case "24h":
      return { start: nowMs - DAY_MS, end: nowMs };
    case "7d":
      return { start: nowMs - 7 * DAY_MS, end: nowMs };
    case "30d":
      return { start: nowMs - 30 * DAY_MS, end: nowMs };
  }
}

/** Hourly buckets up to a week (plus slack for a DST shift), daily beyond. */
export function bucketFor(window: TimeWindow): Bucket {
  return window.end - window.start <= 7 * DAY_MS + HOUR_MS ? "hour" : "day";
}

export function bucketMs(bucket: Bucket): number {
  return bucket === "minute" ? MINUTE_MS : bucket === "hour" ? HOUR_MS : DAY_MS;
}

/** uPlot columns: x (unix s), requests, failures, cost, input tokens, output tokens. */
export type ChartData = [number[], number[], number[], number[], number[], number[]];

/**
 * uPlot arrays (see ChartData) with one slot per bucket across the window,
 * zero where the server sent no bucket (it omits empty ones). Slots are aligned to the server's
 * buckets (so time zones with odd offsets still line up); a point matches its nearest slot.
 */
export function toChartData(points: readonly SeriesPoint[], window: TimeWindow, bucket: Bucket): ChartData {
  const step = bucketMs(bucket);
  const anchor = points[0]?.t ?? window.start;
  const first = anchor - Math.floor((anchor - window.start) / step) * step;
  const start = first > window.start ? first - step : first;
  const slots = Math.max(1, Math.ceil((window.end - start) / step));
  const xs = Array.from({ length: slots }, (_, i) => (start + i * step) / 1000);
  const requests = new Array<number>(slots).fill(0);
  const failures = new Array<number>(slots).fill(0);
  const cost = new Array<number>(slots).fill(0);
  const input = new Array<number>(slots).fill(0);
  const output = new Array<number>(slots).fill(0);
  for (const point of points) {
    const index = Math.round((point.t - start) / step);
    if (index < 0 || index >= slots) continue;
    requests[index] = (requests[index] ?? 0) + point.requests;
    failures[index] = (failures[index] ?? 0) + point.failures;
    cost[index] = (cost[index] ?? 0) + point.costUsd;
    input[index] = (input[index] ?? 0) + point.inputTokens;
    output[index] = (output[index] ?? 0) + point.outputTokens;
  }
  return [xs, requests, failures, cost, input, output];
}

export type SortKey = "label" | "requests" | "failureRate" | "tokens" | "costUsd" | "latencyAvg";
export type SortDir = "asc" | "desc";
export interface SortState {
  key: SortKey;
  dir: SortDir;
}

/** Clicking the sorted column flips it; a new column starts descending (labels ascending). */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, dir: current.dir === "asc" ? "desc" : "asc" };
  return { key, dir: key === "label" ? "asc" : "desc" };
}

/** Sorted copy; nulls always go last, ties keep server order. */
export function sortRows(rows: readonly BreakdownRow[], sort: SortState): BreakdownRow[] {
  const sign = sort.dir === "asc" ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const x = a.row[sort.key];
      const y = b.row[sort.key];
      if (x === null || y === null) {
        if (x === y) return a.index - b.index;
        return x === null ? 1 : -1;
      }
      const diff = typeof x === "string" && typeof y === "string" ? x.localeCompare(y) : Number(x) - Number(y);
      return diff !== 0 ? diff * sign : a.index - b.index;
    })
    .map(({ row }) => row);
}

/** New events (newest first) go on top; duplicates by id are dropped; at most `cap` rows are kept. */
export function mergeNewEvents(existing: readonly UsageEvent[], incoming: readonly UsageEvent[], cap = EVENTS_CAP): UsageEvent[] {
  const seen = new Set<number>();
  const out: UsageEvent[] = [];
  for (const event of [...incoming, ...existing]) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    out.push(event);
    if (out.length >= cap) break;
  }
  return out;
}

/** Older events go below; duplicates by id are dropped. */
export function appendOlderEvents(existing: readonly UsageEvent[], older: readonly UsageEvent[]): UsageEvent[] {
  const seen = new Set(existing.map((event) => event.id));
  return [...existing, ...older.filter((event) => !seen.has(event.id))];
}

/**
 * The server's keyset cursor for an event: "<unix ns>:<id>", built from its RFC 3339 timestamp
 * without floating point (so microseconds survive). Null when the timestamp cannot be read.
 */
export function eventCursor(event: Pick<UsageEvent, "id" | "timestamp">): string | null {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(event.timestamp);
  if (!match) return null;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (!Number.isFinite(seconds)) return null;
  const fraction = (match[2] ?? "").padEnd(9, "0");
  return `${Math.floor(seconds / 1000)}${fraction}:${event.id}`;
}

/**
 * The cursor for "Load older" after rows were capped: if the server's cursor points past rows we
 * dropped, page on from the last row we still show instead.
 */
export function olderCursor(rows: readonly UsageEvent[], serverCursor: string | null, truncated: boolean): string | null {
  if (!truncated) return serverCursor;
  const last = rows[rows.length - 1];
  return last ? eventCursor(last) : serverCursor;
}

/** Typing "/" anywhere but in a form field focuses the search box. */
export function isSearchShortcut(key: string, targetTag: string | undefined, editable: boolean): boolean {
  if (key !== "/") return false;
  const tag = (targetTag ?? "").toUpperCase();
  return !editable && tag !== "INPUT" && tag !== "TEXTAREA" && tag !== "SELECT";
}

export type MixPart = "uncachedInput" | "cacheRead" | "cacheWrite" | "output";

/**
 * Where the tokens went, as parts that do not overlap: input split by cache use, then output
 * (reasoning is part of output, so it is not a part of its own). Shares sum to 1 unless all are 0.
 */
export function tokenMix(tokens: TokenCounts): { part: MixPart; tokens: number; share: number }[] {
  const split = tokens.uncachedInput + tokens.cacheRead + tokens.cacheWrite;
  // Records without a cache breakdown only know their total input.
  const uncached = split > 0 ? tokens.uncachedInput : tokens.input;
  const parts: [MixPart, number][] = [
    ["uncachedInput", uncached],
    ["cacheRead", tokens.cacheRead],
    ["cacheWrite", tokens.cacheWrite],
    ["output", tokens.output],
  ];
  const total = parts.reduce((sum, [, n]) => sum + n, 0);
  return parts.map(([part, n]) => ({ part, tokens: n, share: total > 0 ? n / total : 0 }));
}

/** A latency with its unit word: "850 ms", "24.0 s" ("850 毫秒", "24.0 秒"). */
export function latencyText(ms: number, language: string, t: Translate): string {
  const { unit, value } = latencyParts(ms, language);
  return t(unit === "s" ? "monitoring.value.seconds" : "monitoring.value.ms", { value });
}
