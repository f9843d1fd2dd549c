import type { MessageKey } from "../../i18n/en";
import { isHttpUrl, normalizeBaseUrl } from "../../lib/url";
import { asRecord, boolOrNull, num, numOrNull, str } from "../../lib/wire";

export const DEFAULT_SERVICE_URL = "http://127.0.0.1:18317";

export interface ConnectFormErrors {
  serviceUrl?: MessageKey;
  cpaUrl?: MessageKey;
}

export function validateConnectForm(serviceUrl: string, cpaUrl: string): ConnectFormErrors {
  const errors: ConnectFormErrors = {};
  if (!isHttpUrl(serviceUrl)) errors.serviceUrl = "settings.usageService.urlInvalid";
  if (!isHttpUrl(cpaUrl)) errors.cpaUrl = "settings.usageService.urlInvalid";
  return errors;
}

/**
 * The address the usage service should use for CPA: this page's origin, since CPA served it. A page
 * opened from a file has no usable origin, so the user must type one.
 */
export function defaultCpaUrl(origin: string): string {
  return /^https?:\/\//i.test(origin) ? normalizeBaseUrl(origin) : "";
}

export const MAX_RETENTION_DAYS = 3650;

export interface Storage {
  databaseBytes: number;
  rawEvents: number;
  aggregatedEvents: number;
  bytesPerEvent: number | null;
  /** Unix ms; null when nothing is stored. */
  oldestRawEvent: number | null;
  /** Raw events before this instant (unix ms) were folded into hourly totals; null when none were. */
  aggregatedBefore: number | null;
  reclaimableBytes: number;
  retention: { days: number | null; source: string; fixed: boolean; maxDays: number };
}

export function toStorage(wire: unknown): Storage {
  const body = asRecord(wire);
  const retention = asRecord(body.retention);
  return {
    databaseBytes: num(body.databaseBytes),
    rawEvents: num(body.rawEvents),
    aggregatedEvents: num(body.aggregatedEvents),
    bytesPerEvent: numOrNull(body.bytesPerEvent),
    oldestRawEvent: numOrNull(body.oldestRawEvent),
    aggregatedBefore: numOrNull(body.aggregatedBefore),
    reclaimableBytes: num(body.reclaimableBytes),
    retention: {
      days: numOrNull(retention.days),
      source: str(retention.source, "default"),
      fixed: boolOrNull(retention.fixed) ?? false,
      maxDays: num(retention.maxDays, MAX_RETENTION_DAYS),
    },
  };
}

/** The retention field's text as days (null: keep everything), or undefined when it is not a valid value. */
export function parseRetentionDays(text: string, maxDays = MAX_RETENTION_DAYS): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  if (!/^\d+$/.test(trimmed)) return undefined;
  const days = Number(trimmed);
  return days >= 1 && days <= maxDays ? days : undefined;
}
