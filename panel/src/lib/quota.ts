import type { MessageKey } from "../i18n/en";
import { http } from "./http";
import { asRecord, num, numOrNull, str, list, strOrNull } from "./wire";

/**
 * Our quota API (/quota/*, served by CPA Manager, never by CPA): each credential's latest quota reading,
 * the collector's refresh progress, our usage inside the current windows and a 7-day history per credential.
 * The Quota page and the Credentials page's badge both read it, so the types and the state mapping live here.
 */

export interface QuotaWindow {
  key: string;
  usedPercent: number;
  /** When the window resets (ms since epoch), or null when the provider does not say. */
  resetsAtMs: number | null;
  windowSeconds: number | null;
}

/** What the server stored: ok (windows), expired/forbidden (401/403), rate_limited (429), failed, unrecognised. */
export type ReadingState = "ok" | "expired" | "forbidden" | "rate_limited" | "failed" | "unrecognised";

export interface QuotaReading {
  atMs: number;
  state: ReadingState | string;
  plan: string | null;
  windows: QuotaWindow[];
  /** Unrecognised answers: the redacted sample (JSON text with reason and sample); else e.g. "HTTP 401". */
  detail: string | null;
}

export interface CredentialQuota {
  authIndex: string;
  provider: string;
  /** The account, masked by the server. */
  label: string;
  reading: QuotaReading | null;
  /** Null when the collector does not poll it (disabled in CPA, or gone). */
  nextCheckMs: number | null;
  lastCheckedMs: number | null;
  stopped: string | null;
  polled: boolean;
}

/** A card's state: what the user needs to know first. */
export type CardState = "ok" | "low" | "exhausted" | "rejected" | "rateLimited" | "unrecognised" | "failed" | "unchecked";

export interface RefreshProgress {
  total: number;
  done: number;
  running: boolean;
  requestedMs: number | null;
}

export interface QuotaStatus {
  intervalSeconds: number | null;
  refresh: RefreshProgress;
}

export interface WindowUsage {
  window: string;
  startMs: number;
  endMs: number;
  requests: number;
  failures: number;
  tokens: number;
  costUsd: number;
  unpricedRequests: number;
}

export interface Sparklines {
  startMs: number;
  bucketMs: number;
  /** auth_index → window key → used % per bucket (null: no reading). */
  series: Map<string, Map<string, (number | null)[]>>;
}

const sec = (value: unknown): number | null => {
  const n = numOrNull(value);
  return n === null ? null : n * 1000;
};

function toWindow(wire: unknown): QuotaWindow {
  const w = asRecord(wire);
  return { key: str(w.key), usedPercent: num(w.used_percent), resetsAtMs: sec(w.resets_at), windowSeconds: numOrNull(w.window_seconds) };
}

function toReading(wire: unknown): QuotaReading | null {
  if (wire === null || typeof wire !== "object") return null;
  const s = asRecord(wire);
  return {
    atMs: sec(s.at) ?? 0,
    state: str(s.state) || "failed",
    plan: typeof s.plan === "string" && s.plan !== "" ? s.plan : null,
    windows: list(s.windows).map(toWindow),
    detail: strOrNull(s.detail),
  };
}

export function toCredentialQuota(wire: unknown): CredentialQuota {
  const c = asRecord(wire);
  const schedule = c.schedule === null || typeof c.schedule !== "object" ? null : asRecord(c.schedule);
  return {
    authIndex: str(c.auth_index),
    provider: str(c.provider) || "unknown",
    label: str(c.label),
    reading: toReading(c.snapshot),
    nextCheckMs: schedule ? sec(schedule.next_check) : null,
    lastCheckedMs: schedule ? sec(schedule.last_checked) : null,
    stopped: schedule ? strOrNull(schedule.stopped) : null,
    polled: schedule !== null,
  };
}

export function toProgress(wire: unknown): RefreshProgress {
  const p = asRecord(wire);
  return { total: num(p.total), done: num(p.done), running: p.running === true, requestedMs: sec(p.requested_at) };
}

export function toWindowUsage(wire: unknown): Map<string, WindowUsage[]> {
  const out = new Map<string, WindowUsage[]>();
  for (const [index, usages] of Object.entries(asRecord(asRecord(wire).credentials))) {
    out.set(index, list(usages).map((item) => {
      const u = asRecord(item);
      return {
        window: str(u.window), startMs: (sec(u.start) ?? 0), endMs: (sec(u.end) ?? 0), requests: num(u.requests),
        failures: num(u.failures), tokens: num(u.tokens), costUsd: num(u.cost_usd), unpricedRequests: num(u.unpriced_requests),
      };
    }));
  }
  return out;
}

export function toSparklines(wire: unknown): Sparklines {
  const w = asRecord(wire);
  const series = new Map<string, Map<string, (number | null)[]>>();
  for (const [index, windows] of Object.entries(asRecord(w.credentials))) {
    const lines = new Map<string, (number | null)[]>();
    for (const [key, values] of Object.entries(asRecord(windows))) {
      if (Array.isArray(values)) lines.set(key, values.map((v) => numOrNull(v)));
    }
    series.set(index, lines);
  }
  return { startMs: sec(w.start) ?? 0, bucketMs: (sec(w.bucket_seconds) ?? 0), series };
}

export const quotaApi = {
  latest: async (): Promise<CredentialQuota[]> => {
    const body = asRecord(await http.get("/quota/latest"));
    return list(body.credentials).map(toCredentialQuota);
  },
  /** Check one credential (or all when authIndex is omitted) now; progress comes from status(). */
  refresh: async (authIndex?: string): Promise<RefreshProgress> =>
    toProgress(asRecord(await http.post("/quota/refresh", authIndex ? { auth_index: authIndex } : {})).refresh),
  status: async (): Promise<QuotaStatus> => {
    const body = asRecord(await http.get("/quota/status"));
    return { intervalSeconds: numOrNull(body.interval_seconds), refresh: toProgress(body.refresh) };
  },
  usage: async (): Promise<Map<string, WindowUsage[]>> => toWindowUsage(await http.get("/quota/usage")),
  sparklines: async (days = 7): Promise<Sparklines> => toSparklines(await http.get(`/quota/sparklines?days=${days}`)),
};

/** Used % in any window from which a usable credential counts as running low (amber, not green). */
export const LOW_USED_PERCENT = 90;

/** Maps a credential's stored reading to the state its card and badge show. */
export function cardState(c: CredentialQuota): CardState {
  const r = c.reading;
  if (!r) return "unchecked";
  switch (r.state) {
    case "ok":
      if (r.windows.some((w) => w.usedPercent >= 100)) return "exhausted";
      return r.windows.some((w) => w.usedPercent >= LOW_USED_PERCENT) ? "low" : "ok";
    case "expired":
    case "forbidden":
      return "rejected";
    case "rate_limited":
      return "rateLimited";
    case "unrecognised":
      return "unrecognised";
    default:
      return "failed";
  }
}

/** The window with the least quota left (the one that limits the credential), or null without windows. */
export function tightestWindow(c: CredentialQuota): QuotaWindow | null {
  let found: QuotaWindow | null = null;
  for (const w of c.reading?.windows ?? []) {
    if (found === null || w.usedPercent > found.usedPercent) found = w;
  }
  return found;
}

/** When an exhausted credential can be used again: the latest reset among its full windows. */
export function recoveryMs(c: CredentialQuota): number | null {
  const full = (c.reading?.windows ?? []).filter((w) => w.usedPercent >= 100);
  if (full.length === 0 || full.some((w) => w.resetsAtMs === null)) return null;
  return Math.max(...full.map((w) => w.resetsAtMs as number));
}

/** How a state reads at a glance; the Quota page's card and the Credentials page's badge colour by it. */
export type StateTone = "good" | "warning" | "bad" | "muted";

export function stateTone(state: CardState): StateTone {
  if (state === "ok") return "good";
  if (state === "unchecked") return "muted";
  if (state === "exhausted" || state === "rejected") return "bad";
  return "warning";
}

/** States in which the remaining % and the next reset mean something (the credential has a usable reading). */
export function showsWindows(state: CardState): boolean {
  return state === "ok" || state === "low" || state === "exhausted";
}

export interface QuotaBadge {
  state: CardState;
  /** Lowest remaining % over the windows, 0–100, or null without windows. */
  remainingPercent: number | null;
  /** When the tightest window resets (for an exhausted credential: when it recovers). */
  resetsAtMs: number | null;
}

export function quotaBadge(c: CredentialQuota): QuotaBadge {
  const state = cardState(c);
  const tight = tightestWindow(c);
  const remaining = tight === null ? null : Math.max(0, Math.min(100, 100 - tight.usedPercent));
  const resets = state === "exhausted" ? recoveryMs(c) : (tight?.resetsAtMs ?? null);
  return { state, remainingPercent: remaining, resetsAtMs: resets };
}

export interface CountdownParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** A duration in whole units, rounded down; negative durations count as zero. */
export function countdownParts(ms: number): CountdownParts {
  const total = Math.max(0, Math.floor(ms / 1000));
  return { days: Math.floor(total / 86_400), hours: Math.floor(total / 3600) % 24, minutes: Math.floor(total / 60) % 60, seconds: total % 60 };
}

/** The message and values for "resets in …": seconds only under a minute, two units above. */
export function countdownMessage(ms: number): { key: MessageKey; vars: Record<string, number> } {
  if (ms <= 0) return { key: "quota.countdown.due", vars: {} };
  const p = countdownParts(ms);
  if (p.days > 0) return { key: "quota.countdown.days", vars: { d: p.days, h: p.hours } };
  if (p.hours > 0) return { key: "quota.countdown.hours", vars: { h: p.hours, m: p.minutes } };
  if (p.minutes > 0) return { key: "quota.countdown.minutes", vars: { m: p.minutes, s: p.seconds } };
  return { key: "quota.countdown.seconds", vars: { s: p.seconds } };
}

export const STATE_LABELS: Record<CardState, MessageKey> = {
  ok: "quota.state.ok",
  low: "quota.state.low",
  exhausted: "quota.state.exhausted",
  rejected: "quota.state.rejected",
  rateLimited: "quota.state.rateLimited",
  unrecognised: "quota.state.unrecognised",
  failed: "quota.state.failed",
  unchecked: "quota.state.unchecked",
};
