import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatInteger } from "../../../lib/format";
import styles from "./Dashboard.module.css";

interface TrendChartProps {
  data: [number[], number[]];
  /** Changes when the theme changes, so the chart re-reads its colours from the tokens. */
  themeKey: string;
  label: string;
}

const HEIGHT_PX = 220;
// Request counts are whole numbers, so the y axis only steps by whole numbers.
const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 1_000_000];

function token(element: Element, name: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim();
}

export function TrendChart({ data, themeKey, label }: TrendChartProps) {
  const { language } = useI18n();
  const holder = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const accent = token(element, "--color-accent");
    const muted = token(element, "--color-text-muted");
    const grid = token(element, "--color-border");
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const hourFormat = new Intl.DateTimeFormat(language, { hour: "2-digit", minute: "2-digit" });
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height: HEIGHT_PX,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        { ...axis, values: (_u, ticks) => ticks.map((s) => hourFormat.format(s * 1000)) },
        { ...axis, values: (_u, ticks) => ticks.map((v) => formatInteger(v, language)), incrs: WHOLE_STEPS, size: 56 },
      ],
      series: [
        {},
        { label, stroke: accent, width: 2, fill: `color-mix(in srgb, ${accent} 18%, transparent)`, points: { show: false } },
      ],
    };
    const chart = new uPlot(options, data, element);
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(element.clientWidth, 200), height: HEIGHT_PX }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [data, themeKey, language, label]);

  return <div ref={holder} className={styles.chart} role="img" aria-label={label} />;
}
