import { Alert } from "../../../components/ui/Alert";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatCompact, formatInteger, formatPercent, formatUsd } from "../../../lib/format";
import type { Resource } from "../../../lib/useResource";
import type { UsageSummary } from "../types";
import styles from "./Dashboard.module.css";

interface KpiCardsProps {
  title: string;
  summary: Resource<UsageSummary>;
}

export function KpiCards({ title, summary }: KpiCardsProps) {
  const { t, language } = useI18n();
  const s = summary.data;
  const headingId = `kpi-${title.replace(/\W+/g, "-")}`;

  return (
    <section className={styles.kpiGroup} aria-labelledby={headingId} aria-busy={summary.loading}>
      <h2 id={headingId} className={styles.sectionTitle}>
        {title}
      </h2>
      {summary.error && !s ? (
        <Alert tone="error">{t("dashboard.kpi.loadFailed", { message: errorText(summary.error, t) })}</Alert>
      ) : (
        <div className={styles.kpis}>
          <div className={styles.kpi}>
            <span className={styles.kpiLabel}>{t("dashboard.kpi.requests")}</span>
            <span className={styles.kpiValue}>{s ? formatInteger(s.requests, language) : t("common.value.none")}</span>
          </div>
          <div className={styles.kpi}>
            <span className={styles.kpiLabel}>{t("dashboard.kpi.successRate")}</span>
            <span className={styles.kpiValue}>{s ? formatPercent(s.successRate, language) : t("common.value.none")}</span>
            {s ? (
              <span className={styles.kpiDetail}>
                {t("dashboard.kpi.successDetail", { successes: s.successes, failures: s.failures })}
              </span>
            ) : null}
          </div>
          <div className={styles.kpi}>
            <span className={styles.kpiLabel}>{t("dashboard.kpi.tokens")}</span>
            <span className={styles.kpiValue}>{s ? formatCompact(s.tokens.total, language) : t("common.value.none")}</span>
            {s ? (
              <span className={styles.kpiDetail}>
                {t("dashboard.kpi.tokensDetail", {
                  input: formatCompact(s.tokens.input, language),
                  output: formatCompact(s.tokens.output, language),
                })}
              </span>
            ) : null}
          </div>
          <div className={styles.kpi}>
            <span className={styles.kpiLabel}>{t("dashboard.kpi.cost")}</span>
            <span className={styles.kpiValue}>{s ? formatUsd(s.costUsd, language) : t("common.value.none")}</span>
            {s && s.unpricedRequests > 0 ? (
              <span className={styles.kpiDetail}>{t("dashboard.kpi.unpriced", { count: s.unpricedRequests })}</span>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}
