/**
 * A chart's text alternative: per series its total and its peak with the time of the peak, e.g.
 * "Requests: total 300, peak 15 at 11/24, 08 AM". Screen readers get this instead of the canvas.
 */
export interface SummarySeries {
  label: string;
  values: readonly number[];
}

export interface SummaryWords {
  /** "{label}: total {total}, peak {peak} at {time}" with the parts filled in. */
  series: (parts: { label: string; total: string; peak: string; time: string }) => string;
  /** For a series that is zero throughout. */
  empty: (label: string) => string;
}

export function summarizeSeries(
  xs: readonly number[],
  series: readonly SummarySeries[],
  formatValue: (value: number) => string,
  formatTime: (unixSeconds: number) => string,
  words: SummaryWords,
): string {
  return series
    .map((s) => {
      let total = 0;
      let peakIndex = -1;
      s.values.forEach((value, index) => {
        total += value;
        if (value > 0 && (peakIndex < 0 || value > (s.values[peakIndex] ?? 0))) peakIndex = index;
      });
      const peakAt = xs[peakIndex];
      if (peakIndex < 0 || peakAt === undefined) return words.empty(s.label);
      return words.series({
        label: s.label,
        total: formatValue(total),
        peak: formatValue(s.values[peakIndex] ?? 0),
        time: formatTime(peakAt),
      });
    })
    .join("; ");
}

export interface ChartRow {
  x: number;
  values: number[];
}

/** The rows of a chart's data table: one per point where any series is non-zero (a 30-day hourly chart
 * is mostly empty hours, which would bury the numbers), plus how many empty points were left out. */
export function chartRows(xs: readonly number[], series: readonly SummarySeries[]): { rows: ChartRow[]; omitted: number } {
  const rows: ChartRow[] = [];
  xs.forEach((x, index) => {
    const values = series.map((s) => s.values[index] ?? 0);
    if (values.some((value) => value !== 0)) rows.push({ x, values });
  });
  return { rows, omitted: xs.length - rows.length };
}
