import type { MessageKey } from "../../i18n/en";
import type { Translate } from "../../i18n/translate";
import { formatDateTime, formatPercent, formatUsd } from "../../lib/format";
import { ALERT_KINDS, type AlertItem, type AlertKind, type AlertSettings, type SettingsDraft } from "./types";

const MINUTE_MS = 60_000;
const HOUR_S = 3600;

export function isKnownKind(kind: string): kind is AlertKind {
  return (ALERT_KINDS as readonly string[]).includes(kind);
}

export const KIND_LABELS: Record<AlertKind, MessageKey> = {
  stalled: "alerts.kind.stalled",
  unreachable: "alerts.kind.unreachable",
  stopped: "alerts.kind.stopped",
  publishing_off: "alerts.kind.publishingOff",
  idle: "alerts.kind.idle",
  data_gap: "alerts.kind.dataGap",
  failure_spike: "alerts.kind.failureSpike",
  spend_spike: "alerts.kind.spendSpike",
};

export const KIND_HINTS: Record<AlertKind, MessageKey> = {
  stalled: "alerts.hint.stalled",
  unreachable: "alerts.hint.unreachable",
  stopped: "alerts.hint.stopped",
  publishing_off: "alerts.hint.publishingOff",
  idle: "alerts.hint.idle",
  data_gap: "alerts.hint.dataGap",
  failure_spike: "alerts.hint.failureSpike",
  spend_spike: "alerts.hint.spendSpike",
};

export const THRESHOLD_LABELS: Readonly<Record<string, MessageKey>> = {
  unreachable_after_seconds: "alerts.threshold.unreachableAfterSeconds",
  idle_after_hours: "alerts.threshold.idleAfterHours",
  failure_min_requests: "alerts.threshold.failureMinRequests",
  failure_factor: "alerts.threshold.failureFactor",
  failure_points: "alerts.threshold.failurePoints",
  spend_factor: "alerts.threshold.spendFactor",
  spend_floor_usd: "alerts.threshold.spendFloorUsd",
  renotify_minutes: "alerts.threshold.renotifyMinutes",
};

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}

/** Local "YYYY-MM-DDTHH:mm", as the monitoring view's custom range reads it. */
export function localMinute(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/**
 * "#/monitoring?range=custom&from=…&to=…&account=…": the monitoring view over the alert's range (whole
 * minutes around it) with its credential or API key filter. An open range ends at the clearing, or now.
 */
export function evidenceHash(alert: AlertItem, nowMs: number): string {
  const { evidence } = alert;
  const endMs = evidence.end ?? alert.clearedAt ?? nowMs;
  const from = Math.floor(evidence.start / MINUTE_MS) * MINUTE_MS;
  const to = Math.max(Math.ceil(endMs / MINUTE_MS) * MINUTE_MS, from + MINUTE_MS);
  const params = new URLSearchParams({ range: "custom", from: localMinute(from), to: localMinute(to) });
  if (evidence.account) params.set("account", evidence.account);
  if (evidence.apiKey) params.set("apiKey", evidence.apiKey);
  return `#/monitoring?${params.toString()}`;
}

/**
 * Open alerts first, newest opened first; then cleared ones, latest cleared first (the server's order,
 * kept after local changes).
 */
export function sortAlerts(alerts: readonly AlertItem[]): AlertItem[] {
  const recency = (alert: AlertItem) => alert.clearedAt ?? alert.openedAt;
  return [...alerts].sort(
    (a, b) => Number(b.open) - Number(a.open) || recency(b) - recency(a) || b.openedAt - a.openedAt || b.id - a.id,
  );
}

/** Acknowledging silences an open alert's red tint; a cleared alert has nothing left to silence. */
export function canAcknowledge(alert: AlertItem): boolean {
  return alert.open && !alert.acknowledged;
}

export function duration(seconds: number, t: Translate): string {
  if (seconds < 120) return t("alerts.duration.seconds", { count: Math.floor(seconds) });
  if (seconds < 2 * HOUR_S) return t("alerts.duration.minutes", { count: Math.floor(seconds / 60) });
  return t("alerts.duration.hours", { count: Math.floor(seconds / HOUR_S) });
}

function factNumber(alert: AlertItem, name: string): number {
  const value = alert.facts[name];
  return typeof value === "number" ? value : 0;
}

function factText(alert: AlertItem, name: string): string {
  const value = alert.facts[name];
  return typeof value === "string" ? value : "";
}

export function alertTitle(alert: AlertItem, t: Translate): string {
  if (!isKnownKind(alert.kind)) return alert.title;
  if (alert.kind === "failure_spike") {
    const key = factText(alert, "scope") === "apiKey" ? "alerts.title.apiKeyFailing" : "alerts.title.credentialFailing";
    return t(key, { name: alert.subjectLabel || alert.subject });
  }
  return t(KIND_LABELS[alert.kind]);
}

/** The alert's sentence in the panel's language, from its facts; the server's sentence for unknown kinds. */
export function alertSentence(alert: AlertItem, t: Translate, locale: string): string {
  const error = factText(alert, "error");
  switch (alert.kind) {
    case "stalled":
      return t(error ? "alerts.sentence.stalledError" : "alerts.sentence.stalled", {
        duration: duration(factNumber(alert, "seconds"), t),
        retention: factNumber(alert, "retention_s"),
        error,
      });
    case "unreachable":
      return t("alerts.sentence.unreachable", {
        duration: duration(factNumber(alert, "seconds"), t),
        error: error || t("alerts.sentence.noAnswer"),
      });
    case "stopped":
      return t("alerts.sentence.stopped", { error: error || t("alerts.sentence.seePanel") });
    case "publishing_off":
      return t("alerts.sentence.publishingOff");
    case "idle":
      return t("alerts.sentence.idle", { duration: duration(factNumber(alert, "seconds"), t) });
    case "data_gap": {
      const start = formatDateTime(factNumber(alert, "start") * 1000, locale);
      const end = alert.facts.end;
      const reason = factText(alert, "reason");
      return typeof end === "number"
        ? t("alerts.sentence.gapClosed", { start, end: formatDateTime(end * 1000, locale), reason })
        : t("alerts.sentence.gapOpen", { start, reason });
    }
    case "failure_spike":
      return t("alerts.sentence.failureSpike", {
        rate: formatPercent(factNumber(alert, "rate"), locale),
        requests: factNumber(alert, "requests"),
        baseline: formatPercent(factNumber(alert, "baseline_rate"), locale),
      });
    case "spend_spike":
      return t("alerts.sentence.spendSpike", {
        cost: formatUsd(factNumber(alert, "cost_usd"), locale),
        baseline: formatUsd(factNumber(alert, "baseline_usd"), locale),
      });
    default:
      return alert.message;
  }
}

export function draftFrom(settings: AlertSettings): SettingsDraft {
  const thresholds: Record<string, string> = {};
  for (const limit of settings.limits) thresholds[limit.name] = String(settings.thresholds[limit.name] ?? limit.defaultValue);
  return { kinds: { ...settings.kinds }, thresholds };
}

export function isDraftDirty(draft: SettingsDraft, settings: AlertSettings): boolean {
  const saved = draftFrom(settings);
  return (
    Object.keys(draft.kinds).some((kind) => draft.kinds[kind] !== saved.kinds[kind]) ||
    Object.keys(draft.thresholds).some((name) => Number(draft.thresholds[name]) !== Number(saved.thresholds[name]))
  );
}

/** Per threshold, the message key of what is wrong with the typed value (absent when it is fine). */
export function draftErrors(draft: SettingsDraft, settings: AlertSettings): Record<string, MessageKey> {
  const errors: Record<string, MessageKey> = {};
  for (const limit of settings.limits) {
    const text = (draft.thresholds[limit.name] ?? "").trim();
    const value = Number(text);
    if (text === "" || !Number.isFinite(value)) errors[limit.name] = "alerts.settings.notANumber";
    else if (value < limit.minimum || value > limit.maximum) errors[limit.name] = "alerts.settings.outOfRange";
    else if (limit.whole && !Number.isInteger(value)) errors[limit.name] = "alerts.settings.notWhole";
  }
  return errors;
}
