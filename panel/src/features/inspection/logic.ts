import type { MessageKey } from "../../i18n/en";
import type { Translate } from "../../i18n/translate";
import type { Action, InspectionSettings, RunResult, RunSummary } from "./types";

export type SettingsField = "workers" | "timeoutSeconds" | "thresholdPercent" | "sampleSize";
export type SettingsForm = Record<SettingsField, string>;
export type SettingsErrors = Partial<Record<SettingsField, MessageKey>>;

export const DEFAULT_SETTINGS: InspectionSettings = { workers: 4, timeoutSeconds: 15, thresholdPercent: 100, sampleSize: 0 };

/** Each field's bounds, whether it must be whole, and the sentence shown when it is not valid (as the server checks). */
const RULES: Record<SettingsField, { min: number; max: number; whole: boolean; error: MessageKey }> = {
  workers: { min: 1, max: 16, whole: true, error: "inspection.settings.errorWorkers" },
  timeoutSeconds: { min: 1, max: 120, whole: false, error: "inspection.settings.errorTimeout" },
  thresholdPercent: { min: 1, max: 100, whole: false, error: "inspection.settings.errorThreshold" },
  sampleSize: { min: 0, max: 100000, whole: true, error: "inspection.settings.errorSample" },
};

export function formFrom(settings: InspectionSettings): SettingsForm {
  return {
    workers: String(settings.workers),
    timeoutSeconds: String(settings.timeoutSeconds),
    thresholdPercent: String(settings.thresholdPercent),
    sampleSize: String(settings.sampleSize),
  };
}

/** The form's settings, or the message key of every field that is not valid. */
export function parseForm(form: SettingsForm): { settings: InspectionSettings } | { errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  const values = {} as InspectionSettings;
  for (const field of Object.keys(RULES) as SettingsField[]) {
    const rule = RULES[field];
    const text = form[field].trim();
    const value = text === "" ? NaN : Number(text);
    if (!Number.isFinite(value) || value < rule.min || value > rule.max || (rule.whole && !Number.isInteger(value))) {
      errors[field] = rule.error;
    } else {
      values[field] = value;
    }
  }
  return Object.keys(errors).length > 0 ? { errors } : { settings: values };
}

export function isRunning(run: RunSummary): boolean {
  return run.state === "running";
}

/** Share of the run checked, 0–1 (0 before the list is read). */
export function progressRatio(run: RunSummary): number {
  return run.total > 0 ? Math.min(run.done / run.total, 1) : 0;
}

/** Suggestions that would change something and have not been executed. */
export function pendingResults(results: readonly RunResult[]): RunResult[] {
  return results.filter((r) => r.action !== "keep" && r.executedAt === null);
}

export function countByAction(results: readonly RunResult[]): Record<Action, number> {
  const counts: Record<Action, number> = { keep: 0, disable: 0, enable: 0, delete: 0 };
  for (const r of results) counts[r.action] += 1;
  return counts;
}

/** Only the newest run, once it has ended, can be executed: older suggestions may be out of date. */
export function canExecute(run: RunSummary, newestId: number | null): boolean {
  return run.id === newestId && !isRunning(run);
}

const REASON_KEYS: Record<string, MessageKey> = {
  no_auth_index: "inspection.reason.noAuthIndex",
  no_status: "inspection.reason.noStatus",
  expired: "inspection.reason.expired",
  over_threshold: "inspection.reason.overThreshold",
  over_threshold_disabled: "inspection.reason.overThresholdDisabled",
  healthy: "inspection.reason.healthy",
  recovered: "inspection.reason.recovered",
  manual_disable: "inspection.reason.manualDisable",
  rate_limited: "inspection.reason.rateLimited",
  forbidden: "inspection.reason.forbidden",
  http_error: "inspection.reason.httpError",
  unrecognised: "inspection.reason.unrecognised",
  timeout: "inspection.reason.timeout",
  cpa_error: "inspection.reason.cpaError",
};

const WINDOW_KEYS: Record<string, MessageKey> = {
  weekly: "inspection.window.weekly",
  five_hour: "inspection.window.fiveHour",
};

/** The reason in the panel's language; a code this build does not know falls back to the server's sentence. */
export function reasonText(result: RunResult, t: Translate): string {
  const key = REASON_KEYS[result.reasonCode];
  if (!key) return result.reason;
  const values = { ...result.reasonValues };
  const window = typeof values.window === "string" ? WINDOW_KEYS[values.window] : undefined;
  if (window) values.window = t(window);
  return t(key, values);
}

export const ACTION_KEYS: Record<Action, MessageKey> = {
  keep: "inspection.action.keep",
  disable: "inspection.action.disable",
  enable: "inspection.action.enable",
  delete: "inspection.action.delete",
};
