/** Locale-aware formatting shared by every page. Pure: the caller passes locale and "now". */

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export function formatInteger(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** From here on a latency is shown in seconds: "24,007 ms" reads like a count, "24.0 s" does not. */
const LATENCY_SECONDS_FROM_MS = 10_000;

/** A latency's number and unit: whole milliseconds below 10 s ("850"), seconds with one decimal above ("24.0").
 * The caller puts the unit's word around it (monitoring.value.ms / .seconds), so both locales agree. */
export function latencyParts(ms: number, locale: string): { unit: "ms" | "s"; value: string } {
  if (Math.abs(ms) < LATENCY_SECONDS_FROM_MS) return { unit: "ms", value: formatInteger(ms, locale) };
  const seconds = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ms / 1000);
  return { unit: "s", value: seconds };
}

/** Large counts in short form (12.3K, 4.5M; 1.2万 in Chinese); exact below 10 000. */
export function formatCompact(value: number, locale: string): string {
  if (Math.abs(value) < 10_000) return formatInteger(value, locale);
  return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(value);
}

/** A 0..1 ratio as a percentage; null (no requests) gives the placeholder. */
export function formatPercent(ratio: number | null, locale: string, placeholder = "—"): string {
  if (ratio === null || !Number.isFinite(ratio)) return placeholder;
  const digits = ratio === 0 || ratio === 1 ? 0 : 1;
  return new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(ratio);
}

/** USD with 2 decimals, or up to 4 when the amount is below one dollar so small costs stay visible. */
export function formatUsd(amount: number, locale: string): string {
  const small = amount !== 0 && Math.abs(amount) < 1;
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: small ? 4 : 2,
  }).format(amount);
}

/** "3 minutes ago" / "in 20 seconds"; 0 or negative timestamps mean "never" and return null. */
/**
 * Money people compare (a budget's spend against its limit): always two decimals, so "$0.76 of $3.00" reads
 * like "$26.50 of $31.00"; a non-zero amount under a cent says "< $0.01" instead of a misleading "$0.00".
 */
export function formatMoney(amount: number, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (amount > 0 && amount < 0.01) return `< ${format.format(0.01)}`;
  return format.format(amount);
}

export function formatRelativeTime(timestampMs: number, nowMs: number, locale: string): string | null {
  if (!(timestampMs > 0)) return null;
  const diff = timestampMs - nowMs;
  const abs = Math.abs(diff);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  if (abs < MINUTE_MS) return format.format(Math.round(diff / 1000), "second");
  if (abs < HOUR_MS) return format.format(Math.round(diff / MINUTE_MS), "minute");
  if (abs < DAY_MS) return format.format(Math.round(diff / HOUR_MS), "hour");
  return format.format(Math.round(diff / DAY_MS), "day");
}

export function formatDateTime(timestampMs: number, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "medium",
    ...(timeZone ? { timeZone } : {}),
  }).format(timestampMs);
}

/** A byte count in B, KB or MB (1024-based, one decimal above bytes). */
/** A date and time to the minute in the user's locale (period bounds: seconds say nothing there). */
export function formatDateTimeMinutes(timestampMs: number, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    ...(timeZone ? { timeZone } : {}),
  }).format(timestampMs);
}

export function formatBytes(bytes: number, locale: string): string {
  const units = ["B", "KB", "MB", "GB"] as const;
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
