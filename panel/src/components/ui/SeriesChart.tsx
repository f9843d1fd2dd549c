import { useEffect, useMemo, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useI18n } from "../../i18n/I18nProvider";
import { formatCompact } from "../../lib/format";
import { axisWidth, WHOLE_STEPS } from "./chartAxes";
import { blankInsideBands, fillStops } from "./chartBands";
import { ChartTable } from "./ChartTable";
import { seriesLegendValue, timeLegend } from "./chartLegend";
import { summarizeSeries } from "./chartSummary";
import styles from "./SeriesChart.module.css";

export type ChartBucket = "minute" | "hour" | "day";

export interface ChartSeries {
  label: string;
  values: number[];
  /** A colour token from tokens.css, e.g. "--color-accent". */
  colorToken: string;
}

/** A shaded stretch of the time axis, e.g. an interval the usage service could not collect. */
export interface ChartBand {
  /** Unix ms. */
  start: number;
  end: number;
  /** Names the band in the legend under the chart and in the tooltip over it. */
  label: string;
}

interface SeriesChartProps {
  xs: number[];
  series: ChartSeries[];
  bucket: ChartBucket;
  formatValue: (value: number) => string;
  /** Whole-number axes (request counts) step by whole numbers only. */
  whole: boolean;
  themeKey: string;
  label: string;
  bands?: readonly ChartBand[];
}

const HEIGHT_PX = 220;
const NO_BANDS: readonly ChartBand[] = [];

/** Draws each band across the plot, behind the series (uPlot's drawClear runs before they are drawn). */
function drawBands(chart: uPlot, bands: readonly ChartBand[], fill: string, edge: string): void {
  const { ctx, bbox } = chart;
  ctx.save();
  for (const band of bands) {
    const left = Math.max(chart.valToPos(band.start / 1000, "x", true), bbox.left);
    const right = Math.min(chart.valToPos(band.end / 1000, "x", true), bbox.left + bbox.width);
    if (right <= left) continue;
    ctx.fillStyle = fill;
    ctx.fillRect(left, bbox.top, right - left, bbox.height);
    ctx.fillStyle = edge;
    ctx.fillRect(left, bbox.top, Math.min(2, right - left), bbox.height);
  }
  ctx.restore();
}

/** The band under the pointer (x in CSS pixels over the plot), for the tooltip. */
function bandAt(chart: uPlot, bands: readonly ChartBand[], left: number | undefined): ChartBand | null {
  if (left === undefined || left < 0) return null;
  const seconds = chart.posToVal(left, "x");
  return bands.find((band) => band.start / 1000 <= seconds && seconds < band.end / 1000) ?? null;
}

/** The first series' area fill, left out across the bands (tinted over a band it made a grey sliver). */
function fillOutsideBands(chart: uPlot, bands: readonly ChartBand[], color: string): CanvasRenderingContext2D["fillStyle"] {
  const { ctx, bbox } = chart;
  if (bands.length === 0) return color;
  try {
    const gradient = ctx.createLinearGradient(bbox.left, 0, bbox.left + bbox.width, 0);
    const toX = (seconds: number) => chart.valToPos(seconds, "x", true);
    for (const stop of fillStops(bands, toX, bbox.left, bbox.width)) {
      gradient.addColorStop(stop.offset, stop.inside ? "rgba(0, 0, 0, 0)" : color);
    }
    return gradient;
  } catch {
    return color; // a colour the gradient cannot parse: the plain fill
  }
}

function token(element: Element, name: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim();
}

/** A time-series line chart (uPlot) drawn in the theme's colours; shared by every page with a chart. */
export function SeriesChart({ xs, series, bucket, formatValue, whole, themeKey, label, bands = NO_BANDS }: SeriesChartProps) {
  const { t, language } = useI18n();
  const holder = useRef<HTMLDivElement>(null);
  const [tableShown, setTableShown] = useState(false);
  const formatTime = useMemo(() => {
    const time = new Intl.DateTimeFormat(language, {
      month: "numeric",
      day: "numeric",
      hour: bucket === "day" ? undefined : "2-digit",
      minute: bucket === "minute" ? "2-digit" : undefined,
    });
    return (unixSeconds: number) => time.format(unixSeconds * 1000);
  }, [bucket, language]);
  const summary = useMemo(
    () =>
      summarizeSeries(xs, series, formatValue, formatTime, {
        series: (parts) => t("common.chart.series", parts),
        empty: (name) => t("common.chart.empty", { label: name }),
      }),
    [xs, series, formatValue, formatTime, t],
  );

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const muted = token(element, "--color-text-muted");
    const grid = token(element, "--color-border");
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const warning = token(element, "--color-warning");
    const bandFill = `color-mix(in srgb, ${warning} 16%, transparent)`;
    const timeFormat = new Intl.DateTimeFormat(
      language,
      bucket === "day" ? { month: "short", day: "numeric" } : { month: "numeric", day: "numeric", hour: "2-digit" },
    );
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height: HEIGHT_PX,
      legend: { show: series.length > 1 },
      // Room on the right for the last time label, which is centred on its tick (it was cut off).
      padding: [12, 44, 0, 0],
      cursor: { drag: { x: false, y: false } },
      hooks: {
        drawClear: [(chart) => drawBands(chart, bands, bandFill, warning)],
        // A native tooltip over a band names it ("Not collected: paused …").
        setCursor: [
          (chart) => {
            chart.over.title = bandAt(chart, bands, chart.cursor.left)?.label ?? "";
          },
        ],
      },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max : 1] } },
      axes: [
        { ...axis, space: 110, values: (_u, ticks) => ticks.map((s) => timeFormat.format(s * 1000)) },
        {
          ...axis,
          // Counts are shortened on the axis (20M); the legend and the table keep exact values.
          values: (_u, ticks) => ticks.map((tick) => (whole ? formatCompact(tick, language) : formatValue(tick))),
          size: (_u, labels) => axisWidth(labels ?? []),
          ...(whole ? { incrs: [...WHOLE_STEPS] } : {}),
        },
      ],
      series: [
        timeLegend({ time: t("common.chart.time"), total: t("common.chart.total") }, (s) => timeFormat.format(s * 1000)),
        ...series.map((s, index) => {
          const color = token(element, s.colorToken);
          return {
            label: s.label,
            stroke: color,
            width: 2,
            value: seriesLegendValue(s.values, formatValue, t("coverage.band.label")),
            points: { show: false },
            // Null inside a gap: the line breaks there instead of dropping to a zero nobody measured.
            spanGaps: false,
            ...(index === 0
              ? { fill: (chart: uPlot) => fillOutsideBands(chart, bands, `color-mix(in srgb, ${color} 15%, transparent)`) }
              : {}),
          };
        }),
      ],
    };
    const data: uPlot.AlignedData = [xs, ...series.map((s) => blankInsideBands(xs, s.values, bucket, bands))];
    const chart = new uPlot(options, data, element);
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(element.clientWidth, 200), height: HEIGHT_PX }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [xs, series, bucket, formatValue, whole, themeKey, language, t, bands]);

  return (
    <div>
      <div
        ref={holder}
        className={styles.chart}
        role="img"
        aria-label={[`${label}. ${summary}`, ...bands.map((band) => band.label)].join(" ")}
      />
      {bands.length > 0 ? (
        <ul className={styles.bands} aria-label={t("coverage.band.legend")}>
          {bands.map((band) => (
            <li key={`${band.start}-${band.end}`}>
              <span className={styles.bandSwatch} aria-hidden="true" />
              {band.label}
            </li>
          ))}
        </ul>
      ) : null}
      <details className={styles.data} onToggle={(event) => setTableShown(event.currentTarget.open)}>
        <summary>
          {t("common.chart.showTable")}
          {/* Every chart has this toggle; its hidden label says which chart it belongs to. */}
          <span className={styles.srOnly}> ({label})</span>
        </summary>
        {/* Built only when opened: a 30-day hourly chart has hundreds of rows. */}
        {tableShown ? <ChartTable label={label} xs={xs} series={series} formatValue={formatValue} formatTime={formatTime} /> : null}
      </details>
    </div>
  );
}
