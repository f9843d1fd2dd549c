import type { UsageTotals } from "../../lib/usageTotals";

export interface TimeRange {
  start: number;
  end: number;
}

/** The summary the dashboard shows: the shared analytics totals. */
export type UsageSummary = UsageTotals;

export interface TimeseriesPoint {
  t: number;
  requests: number;
}
