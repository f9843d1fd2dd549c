import { http } from "../../lib/http";
import { asRecord, num, str, list } from "../../lib/wire";
import type { CredentialUsage, UsageFigures } from "./types";

/**
 * Our own usage per credential, from the usage service's analytics: the account breakdown is keyed by
 * CPA's auth_index, so it joins the credential list directly. Last used is exact for the credentials in the
 * newest events page; for the others the breakdown's `lastHourAt` gives it to the hour.
 */
const BASE = "/v0/management/analytics";
const DAY_MS = 86_400_000;
const NEWEST_EVENTS = 500;

const ZERO: UsageFigures = { requests: 0, failures: 0, tokens: 0, costUsd: 0 };

function query(start: number, end: number, extra: Record<string, string>): string {
  return new URLSearchParams({ start: String(start), end: String(end), tz: "UTC", ...extra }).toString();
}

export function toFigures(wire: unknown): Map<string, UsageFigures> {
  const items = asRecord(wire).items;
  const out = new Map<string, UsageFigures>();
  for (const item of list(items)) {
    const i = asRecord(item);
    const key = str(i.key);
    if (key === "") continue;
    out.set(key, { requests: num(i.requests), failures: num(i.failures), tokens: num(asRecord(i.tokens).total), costUsd: num(i.costUsd) });
  }
  return out;
}

export function toLastUsed(wire: unknown): Map<string, number> {
  const events = asRecord(wire).events;
  const out = new Map<string, number>();
  for (const event of list(events)) {
    const e = asRecord(event);
    const account = str(e.account);
    const ms = Date.parse(str(e.timestamp));
    if (account !== "" && Number.isFinite(ms) && ms > (out.get(account) ?? 0)) out.set(account, ms);
  }
  return out;
}

/** Each account's last hour with a request (unix ms of the hour's start), from a breakdown by account. */
export function toLastHours(wire: unknown): Map<string, number> {
  const items = asRecord(wire).items;
  const out = new Map<string, number>();
  for (const item of list(items)) {
    const i = asRecord(item);
    const hour = i.lastHourAt;
    if (str(i.key) !== "" && typeof hour === "number" && Number.isFinite(hour)) out.set(str(i.key), hour);
  }
  return out;
}

export function mergeUsage(
  day: Map<string, UsageFigures>,
  week: Map<string, UsageFigures>,
  last: Map<string, number>,
  lastHours: Map<string, number> = new Map(),
): Map<string, CredentialUsage> {
  const out = new Map<string, CredentialUsage>();
  for (const key of new Set([...week.keys(), ...day.keys()])) {
    const d = day.get(key) ?? ZERO;
    const w = week.get(key) ?? ZERO;
    out.set(key, {
      day: d,
      week: w,
      lastUsedMs: last.get(key) ?? null,
      lastHourMs: lastHours.get(key) ?? null,
      usedWithin: d.requests > 0 ? "day" : w.requests > 0 ? "week" : null,
    });
  }
  return out;
}

export const credentialUsageApi = {
  byAuthIndex: async (nowMs: number): Promise<Map<string, CredentialUsage>> => {
    const [day, week, events] = await Promise.all([
      http.get(`${BASE}/breakdown?${query(nowMs - DAY_MS, nowMs, { by: "account" })}`),
      http.get(`${BASE}/breakdown?${query(nowMs - 7 * DAY_MS, nowMs, { by: "account" })}`),
      http.get(`${BASE}/events?${query(nowMs - 7 * DAY_MS, nowMs, { limit: String(NEWEST_EVENTS) })}`),
    ]);
    return mergeUsage(toFigures(day), toFigures(week), toLastUsed(events), toLastHours(week));
  },
};
