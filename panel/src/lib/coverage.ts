/**
 * The coverage ledger: intervals in which the usage service could not have seen every event (paused,
 * stopped, failing, CPA unreachable, the app not running, the computer asleep). The charts shade them and
 * the "why is it empty?" surfaces list them, so "no requests" and "we were not looking" are never confused.
 * Wire shape: GET /coverage and the `coverage` list beside /analytics/timeseries points.
 */
import type { MessageKey } from "../i18n/en";
import { http } from "./http";
import { asRecord, num, str } from "./wire";

export const GAP_REASONS = ["paused", "stopped", "failing", "unreachable", "not_running", "suspended"] as const;
export type GapReason = (typeof GAP_REASONS)[number] | "unknown";

export interface CoverageGap {
  /** Unix ms, event time: when the missing requests were made. An open gap ends one retention before "now" as the server answered. */
  start: number;
  end: number;
  open: boolean;
  reason: GapReason;
  lengthS: number;
  retentionS: number;
}

export const REASON_LABELS: Record<GapReason, MessageKey> = {
  paused: "coverage.reason.paused",
  stopped: "coverage.reason.stopped",
  failing: "coverage.reason.failing",
  unreachable: "coverage.reason.unreachable",
  not_running: "coverage.reason.notRunning",
  suspended: "coverage.reason.suspended",
  unknown: "coverage.reason.unknown",
};

function toReason(value: unknown): GapReason {
  const text = str(value);
  return (GAP_REASONS as readonly string[]).includes(text) ? (text as GapReason) : "unknown";
}

/** A list of gaps from the wire; anything that is not a list (an older service) is no gaps. */
export function toCoverageGaps(wire: unknown): CoverageGap[] {
  if (!Array.isArray(wire)) return [];
  return wire
    .map((item) => {
      const g = asRecord(item);
      return {
        start: num(g.start),
        end: num(g.end),
        open: g.open === true,
        reason: toReason(g.reason),
        lengthS: num(g.lengthS),
        retentionS: num(g.retentionS),
      };
    })
    .filter((gap) => gap.end > gap.start);
}

/** Gaps overlapping [start, end). */
export function gapsOverlapping(gaps: readonly CoverageGap[], window: { start: number; end: number }): CoverageGap[] {
  return gaps.filter((gap) => gap.start < window.end && gap.end > window.start);
}

/** A length as people say it: 45 s, 9 min, 2.5 h, 3 days. */
export function formatGapLength(seconds: number, locale: string): string {
  const unit = (value: number, name: "second" | "minute" | "hour" | "day", digits = 0) =>
    new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "short", maximumFractionDigits: digits }).format(value);
  if (seconds < 90) return unit(seconds, "second");
  if (seconds < 2 * 3600) return unit(Math.round(seconds / 60), "minute");
  if (seconds < 2 * 86400) return unit(seconds / 3600, "hour", 1);
  return unit(seconds / 86400, "day", 1);
}

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** "Not collected: paused (6/12 10:01 – 10:10, 9 min)": one gap named for a chart legend or a checklist. */
export function describeGap(gap: CoverageGap, t: Translate, locale: string): string {
  const time = new Intl.DateTimeFormat(locale, { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });
  return t("coverage.band.item", {
    reason: t(REASON_LABELS[gap.reason]),
    from: time.format(gap.start),
    to: gap.open ? t("coverage.band.ongoing") : time.format(gap.end),
    length: formatGapLength(gap.lengthS, locale),
  });
}

export const coverageApi = {
  /** The ledger's gaps overlapping [start, end). */
  gaps: async (window: { start: number; end: number }): Promise<CoverageGap[]> => {
    const query = new URLSearchParams({ start: String(Math.floor(window.start)), end: String(Math.ceil(window.end)) });
    return toCoverageGaps(asRecord(await http.get(`/coverage?${query.toString()}`)).gaps);
  },
};
