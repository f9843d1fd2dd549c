import type { TimeRange, TimeseriesPoint } from "./types";

const HOUR_MS = 3_600_000;


export function rangeQuery(range: TimeRange, timeZone: string): string {
  return new URLSearchParams({ start: String(range.start), end: String(range.end), tz: timeZone }).toString();
}

function startOfLocalDay(ms: number): number {
  const day = new Date(ms);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

/** "Today" is local midnight to now; "last 7 days" is today plus the six days before it. */
export function summaryRanges(nowMs: number): { today: TimeRange; last7Days: TimeRange } {
  const midnight = startOfLocalDay(nowMs);
  const sixDaysBack = new Date(midnight);
  sixDaysBack.setDate(sixDaysBack.getDate() - 6);
  return {
    today: { start: midnight, end: nowMs },
    last7Days: { start: sixDaysBack.getTime(), end: nowMs },
  };
}

/** 24 hourly buckets ending with the current (partial) hour. */
export function last24Hours(nowMs: number): TimeRange {
  const hour = new Date(nowMs);
  hour.setMinutes(0, 0, 0);
  return { start: hour.getTime() - 23 * HOUR_MS, end: nowMs };
}

/**
 * uPlot data for a requests-per-hour chart: x in unix seconds, one slot per hour from range.start,
 * zero where the server returned no bucket (it omits empty ones). Points outside the range are ignored.
 */
export function toHourlySeries(points: readonly TimeseriesPoint[], range: TimeRange): [number[], number[]] {
  const slots = Math.max(1, Math.ceil((range.end - range.start) / HOUR_MS));
  const xs = Array.from({ length: slots }, (_, i) => (range.start + i * HOUR_MS) / 1000);
  const ys = new Array<number>(slots).fill(0);
  for (const point of points) {
    const index = Math.floor((point.t - range.start) / HOUR_MS);
    if (index >= 0 && index < slots) ys[index] = (ys[index] ?? 0) + point.requests;
  }
  return [xs, ys];
}

export function hasAnyRequests(series: [number[], number[]]): boolean {
  return series[1].some((value) => value > 0);
}

/** True when the fix-it banner should show: CPA said explicitly that it is not publishing usage. */
export function usagePublishingOff(enabled: boolean | null): boolean {
  return enabled === false;
}

