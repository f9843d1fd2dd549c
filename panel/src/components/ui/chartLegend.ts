/**
 * What a chart's legend reads. While the pointer is over the chart uPlot passes the point's value; away
 * from it, it passes null, and the legend used to show bare series names (and uPlot's own English
 * "Time"). Away from the chart the legend now shows each series' total over the range, under a
 * localised "Total" in the time column.
 */

export interface LegendWords {
  /** The x series' name, e.g. "Time" / "时间". */
  time: string;
  /** The time column's readout when nothing is hovered, e.g. "Total" / "合计". */
  total: string;
}

export interface LegendReadout {
  label: string;
  /** uPlot passes the hovered point's index; none (null) when the pointer is away from the chart. */
  value: (self: unknown, raw: number | null, seriesIndex?: number, index?: number | null) => string;
}

export function timeLegend(words: LegendWords, formatTime: (unixSeconds: number) => string): LegendReadout {
  return { label: words.time, value: (_self, raw) => (raw === null ? words.total : formatTime(raw)) };
}

/** `unknown` is read over a point with no value (a bucket inside a gap in collection). */
export function seriesLegendValue(
  values: readonly number[],
  formatValue: (value: number) => string,
  unknown = "–",
): LegendReadout["value"] {
  const total = values.reduce((sum, value) => sum + value, 0);
  return (_self, raw, _seriesIndex, index) => {
    if (raw !== null) return formatValue(raw);
    return index === null || index === undefined ? formatValue(total) : unknown;
  };
}
