import { useMemo } from "react";
import { useI18n } from "../../i18n/I18nProvider";
import { chartRows, type SummarySeries } from "./chartSummary";
import surface from "./Surface.module.css";
import styles from "./SeriesChart.module.css";

interface ChartTableProps {
  label: string;
  xs: readonly number[];
  series: readonly SummarySeries[];
  formatValue: (value: number) => string;
  formatTime: (unixSeconds: number) => string;
}

/** A chart's numbers as a table: exact values for anyone who wants them, and for screen readers. */
export function ChartTable({ label, xs, series, formatValue, formatTime }: ChartTableProps) {
  const { t } = useI18n();
  const { rows, omitted } = useMemo(() => chartRows(xs, series), [xs, series]);
  if (rows.length === 0) return <p className={styles.note}>{t("common.chart.noData")}</p>;
  return (
    <div className={`${surface.tableWrap} ${styles.tableScroll}`}>
      <table className={surface.table}>
        <caption className={styles.caption}>
          {label}
          {omitted > 0 ? ` — ${t("common.chart.emptyOmitted", { count: omitted })}` : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("common.chart.time")}</th>
            {series.map((s) => (
              <th key={s.label} scope="col" className={surface.num}>
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.x}>
              <th scope="row">{formatTime(row.x)}</th>
              {row.values.map((value, index) => (
                <td key={series[index]?.label ?? index} className={surface.num}>
                  {formatValue(value)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
