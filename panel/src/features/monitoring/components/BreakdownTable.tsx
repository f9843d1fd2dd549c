import { useMemo, useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { ClippedText } from "../../../components/ui/ClippedText";
import { errorText } from "../../../components/ui/errorText";
import type { MessageKey } from "../../../i18n/en";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatCompact, formatInteger, formatPercent, formatUsd } from "../../../lib/format";
import type { Resource } from "../../../lib/useResource";
import { pricingText } from "../pricing";
import { DIM_LABELS, latencyText, nextSort, sortRows, type SortKey, type SortState } from "../logic";
import { FILTER_DIMS, type BreakdownRow, type FilterDim } from "../types";
import styles from "./Monitoring.module.css";

interface BreakdownTableProps {
  dim: FilterDim;
  onDim: (dim: FilterDim) => void;
  rows: Resource<BreakdownRow[]>;
}

/** Dimensions whose labels are masked names (e-mails, keys): kept on one line, never broken mid-word. */
const MASKED_DIMS: ReadonlySet<FilterDim> = new Set(["account", "apiKey"]);

const COLUMNS: { key: SortKey; label: MessageKey; numeric: boolean }[] = [
  { key: "label", label: "monitoring.breakdown.name", numeric: false },
  { key: "requests", label: "monitoring.breakdown.requests", numeric: true },
  { key: "failureRate", label: "monitoring.breakdown.failureRate", numeric: true },
  { key: "tokens", label: "monitoring.breakdown.tokens", numeric: true },
  { key: "costUsd", label: "monitoring.breakdown.cost", numeric: true },
  { key: "latencyAvg", label: "monitoring.breakdown.latency", numeric: true },
];

/** A by-model row's price origin: a compact label, with the full sentence as its title and accessible name. */
function PricingNote({ row }: { row: BreakdownRow }) {
  const { t } = useI18n();
  const match = row.pricing[0];
  if (!match) return null;
  const text = pricingText(match, t);
  return (
    <span className={styles.pricing} title={text.sentence}>
      <span aria-hidden="true">{text.label}</span>
      <span className={styles.srOnly}>{text.sentence}</span>
    </span>
  );
}

export function BreakdownTable({ dim, onDim, rows }: BreakdownTableProps) {
  const { t, language } = useI18n();
  const [sort, setSort] = useState<SortState>({ key: "requests", dir: "desc" });
  const sorted = useMemo(() => sortRows(rows.data ?? [], sort), [rows.data, sort]);

  return (
    <section className={styles.card} aria-labelledby="breakdown-title">
      <h2 id="breakdown-title" className={styles.cardTitle}>
        {t("monitoring.breakdown.title")}
      </h2>
      <div className={styles.tabs} role="group" aria-label={t("monitoring.breakdown.by")}>
        {FILTER_DIMS.map((d) => (
          <button key={d} type="button" className={styles.tab} aria-pressed={d === dim} onClick={() => onDim(d)}>
            {t(DIM_LABELS[d])}
          </button>
        ))}
      </div>
      {rows.error && !rows.data ? (
        <Alert tone="error">{t("monitoring.page.loadFailed", { message: errorText(rows.error, t) })}</Alert>
      ) : !rows.data ? (
        <p aria-live="polite">{t("common.status.loading")}</p>
      ) : sorted.length === 0 ? (
        <p className={styles.muted}>{t("monitoring.breakdown.empty")}</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className={styles.table} aria-labelledby="breakdown-title">
            <thead>
              <tr>
                {COLUMNS.map((col) => (
                  <th
                    key={col.key}
                    scope="col"
                    className={col.numeric ? styles.num : undefined}
                    aria-sort={sort.key === col.key ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}
                  >
                    <button type="button" className={styles.sortButton} onClick={() => setSort(nextSort(sort, col.key))}>
                      {t(col.label)}
                      <span aria-hidden="true">{sort.key === col.key ? (sort.dir === "asc" ? " ▲" : " ▼") : ""}</span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sorted.map((row) => (
                <tr key={row.key}>
                  {MASKED_DIMS.has(dim) ? (
                    <td>
                      <ClippedText text={row.label} />
                    </td>
                  ) : (
                    <td className={styles.labelCell} title={row.label}>
                      {row.label}
                    </td>
                  )}
                  <td className={styles.num}>{formatInteger(row.requests, language)}</td>
                  <td className={styles.num}>{formatPercent(row.failureRate, language)}</td>
                  <td className={styles.num}>{formatCompact(row.tokens, language)}</td>
                  <td className={styles.num}>
                    {formatUsd(row.costUsd, language)}
                    {row.unpricedRequests > 0 ? (
                      <span className={styles.unpriced} title={t("monitoring.kpi.unpriced", { count: row.unpricedRequests })}>
                        {" "}
                        {t("monitoring.breakdown.unpriced")}
                      </span>
                    ) : null}
                    {dim === "model" ? <PricingNote row={row} /> : null}
                  </td>
                  <td className={styles.num}>
                    {row.latencyAvg === null
                      ? t("common.value.none")
                      : latencyText(row.latencyAvg, language, t)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
