/**
 * What a "not collected" band means for the line drawn through it. Values inside a gap are unknown, not
 * zero: a bucket whose whole span lies inside gaps becomes null, and uPlot (spanGaps false) breaks the
 * line and its fill there. A bucket only partly covered keeps its value: part of it was collected.
 * Times: xs in unix seconds (bucket starts, as uPlot reads them), bands in unix ms.
 */

export type ChartBucketSize = "minute" | "hour" | "day";

export interface TimeSpan {
  /** Unix ms. */
  start: number;
  end: number;
}

const BUCKET_S: Record<ChartBucketSize, number> = { minute: 60, hour: 3600, day: 86_400 };

/** Overlapping or touching bands as one: a bucket split between two adjacent gaps is fully unknown too. */
export function mergeSpans(spans: readonly TimeSpan[]): TimeSpan[] {
  const merged: TimeSpan[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end });
  }
  return merged;
}

/** Each bucket's end (unix seconds): the next bucket's start, the last one a bucket's length on. */
function bucketEnd(xs: readonly number[], index: number, bucket: ChartBucketSize): number {
  return xs[index + 1] ?? (xs[index] ?? 0) + BUCKET_S[bucket];
}

/** The values with every bucket that lies wholly inside the bands set to null. */
export function blankInsideBands(
  xs: readonly number[],
  values: readonly number[],
  bucket: ChartBucketSize,
  bands: readonly TimeSpan[],
): (number | null)[] {
  if (bands.length === 0) return [...values];
  const spans = mergeSpans(bands);
  return values.map((value, index) => {
    const startMs = (xs[index] ?? 0) * 1000;
    const endMs = bucketEnd(xs, index, bucket) * 1000;
    return spans.some((span) => span.start <= startMs && endMs <= span.end) ? null : value;
  });
}

/**
 * Colour stops (offset 0…1 across the plot, inside a band or not) for the first series' area fill, so it
 * is not painted over a band: the fill's tint over the band's made a grey sliver where the line climbs
 * out of a gap. `toX` maps unix seconds to the plot's x (the same pixels as left and width).
 */
export function fillStops(
  bands: readonly TimeSpan[],
  toX: (unixSeconds: number) => number,
  left: number,
  width: number,
): { offset: number; inside: boolean }[] {
  const stops: { offset: number; inside: boolean }[] = [{ offset: 0, inside: false }];
  if (width <= 0) return stops;
  const clamp = (x: number) => Math.min(Math.max((x - left) / width, 0), 1);
  for (const span of mergeSpans(bands)) {
    const from = clamp(toX(span.start / 1000));
    const to = clamp(toX(span.end / 1000));
    if (to <= from) continue;
    stops.push({ offset: from, inside: false }, { offset: from, inside: true });
    stops.push({ offset: to, inside: true }, { offset: to, inside: false });
  }
  stops.push({ offset: 1, inside: false });
  return stops;
}
