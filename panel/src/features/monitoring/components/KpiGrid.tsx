import { useI18n } from "../../../i18n/I18nProvider";
import { formatCompact, formatInteger, formatPercent, formatUsd } from "../../../lib/format";
import { latencyText } from "../logic";
import type { Kpis } from "../types";
import styles from "./Monitoring.module.css";

export function KpiGrid({ kpis }: { kpis: Kpis | null }) {
  const { t, language } = useI18n();
  const none = t("common.value.none");
  const ms = (value: number | null) =>
    value === null ? none : latencyText(value, language, t);
  const compact = (value: number) => formatCompact(value, language);
  const k = kpis;

  const cards: { label: string; value: string; detail?: string; warn?: boolean }[] = [
    {
      label: t("monitoring.kpi.requests"),
      value: k ? formatInteger(k.requests, language) : none,
      ...(k ? { detail: t("dashboard.kpi.successDetail", { successes: k.successes, failures: k.failures }) } : {}),
    },
    { label: t("monitoring.kpi.successRate"), value: k ? formatPercent(k.successRate, language) : none },
    { label: t("monitoring.kpi.inputTokens"), value: k ? compact(k.tokens.input) : none },
    { label: t("monitoring.kpi.outputTokens"), value: k ? compact(k.tokens.output) : none },
    { label: t("monitoring.kpi.reasoningTokens"), value: k ? compact(k.tokens.reasoning) : none },
    {
      label: t("monitoring.kpi.cacheTokens"),
      value: k ? compact(k.tokens.cacheRead + k.tokens.cacheWrite) : none,
      ...(k
        ? { detail: t("monitoring.kpi.cacheDetail", { read: compact(k.tokens.cacheRead), write: compact(k.tokens.cacheWrite) }) }
        : {}),
    },
    {
      label: t("monitoring.kpi.cost"),
      value: k ? formatUsd(k.costUsd, language) : none,
      ...(k && k.unpricedRequests > 0
        ? { detail: t("monitoring.kpi.unpriced", { count: k.unpricedRequests }), warn: true }
        : {}),
    },
    {
      label: t("monitoring.kpi.latency"),
      value: k ? ms(k.latencyP50) : none,
      ...(k ? { detail: t("monitoring.kpi.latencyDetail", { p95: ms(k.latencyP95) }) } : {}),
    },
    { label: t("monitoring.kpi.ttft"), value: k ? ms(k.ttftAvg) : none },
  ];

  return (
    <>
      <div className={styles.kpis}>
        {cards.map((card) => (
          <div key={card.label} className={styles.kpi} role="group" aria-label={card.label}>
            <span className={styles.kpiLabel}>{card.label}</span>
            <span className={styles.kpiValue}>{card.value}</span>
            {card.detail ? <span className={card.warn ? styles.kpiWarn : styles.kpiDetail}>{card.detail}</span> : null}
          </div>
        ))}
      </div>
      {k && k.inconsistentEvents > 0 ? (
        <p className={styles.muted} role="note">
          {t("monitoring.kpi.inconsistent", { count: k.inconsistentEvents })}
        </p>
      ) : null}
    </>
  );
}
