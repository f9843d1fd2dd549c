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
  value: (self: unknown, raw: number | null) => string;
}

export function timeLegend(words: LegendWords, formatTime: (unixSeconds: number) => string): LegendReadout {
  return { label: words.time, value: (_self, raw) => (raw === null ? words.total : formatTime(raw)) };
}

export function seriesLegendValue(values: readonly number[], formatValue: (value: number) => string): LegendReadout["value"] {
  const total = values.reduce((sum, value) => sum + value, 0);
  return (_self, raw) => formatValue(raw === null ? total : raw);
}
