import { http } from "../../lib/http";
import { asRecord, num, numOrNull, str, list } from "../../lib/wire";

/**
 * Per-credential health from our usage service: requests and failures in the last 24 hours by
 * auth_index (the analytics breakdown by account), and each one's latest failure (the newest failed
 * events). CPA panel mode without a usage service has none; the page says so.
 */
const BASE = "/v0/management/analytics";
const DAY_MS = 24 * 60 * 60 * 1000;
/** Enough failed events to find the latest failure of every key that failed recently. */
const FAILED_EVENTS = 500;

export interface LastError {
  /** ISO time of the failed request. */
  at: string;
  status: number | null;
}

export interface KeyHealth {
  requests: number;
  failures: number;
  lastError: LastError | null;
}

export type HealthByIndex = ReadonlyMap<string, KeyHealth>;

export function toHealth(breakdown: unknown, failedEvents: unknown): Map<string, KeyHealth> {
  const out = new Map<string, KeyHealth>();
  for (const item of list(asRecord(breakdown).items)) {
    const row = asRecord(item);
    const key = str(row.key);
    if (key) out.set(key, { requests: num(row.requests), failures: num(row.failures), lastError: null });
  }
  // Events come newest first, so the first one seen per account is its latest failure.
  for (const item of list(asRecord(failedEvents).events)) {
    const event = asRecord(item);
    const key = str(event.account);
    const health = out.get(key);
    if (health && !health.lastError) health.lastError = { at: str(event.timestamp), status: numOrNull(event.statusCode) };
  }
  return out;
}

export async function fetchHealth(nowMs: number = Date.now()): Promise<Map<string, KeyHealth>> {
  const window = { start: String(nowMs - DAY_MS), end: String(nowMs), tz: "UTC" };
  const breakdown = new URLSearchParams({ ...window, by: "account" });
  const failed = new URLSearchParams({ ...window, status: "failed", limit: String(FAILED_EVENTS) });
  const [rows, events] = await Promise.all([
    http.get(`${BASE}/breakdown?${breakdown.toString()}`),
    http.get(`${BASE}/events?${failed.toString()}`),
  ]);
  return toHealth(rows, events);
}

/** The reason of one credential's latest failure in the last 24 hours (the failures report's newest reason). */
export function latestReason(report: unknown): string | null {
  let best: { reason: string; lastSeen: number } | null = null;
  for (const item of list(asRecord(report).byReason)) {
    const row = asRecord(item);
    const lastSeen = num(row.lastSeen);
    if (!best || lastSeen > best.lastSeen) best = { reason: str(row.reason), lastSeen };
  }
  return best?.reason || null;
}

export async function fetchLastReason(authIndex: string, nowMs: number = Date.now()): Promise<string | null> {
  const query = new URLSearchParams({ start: String(nowMs - DAY_MS), end: String(nowMs), tz: "UTC", account: authIndex });
  return latestReason(await http.get(`${BASE}/failures?${query.toString()}`));
}
