import { Alert } from "../../../components/ui/Alert";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatDateTime, formatInteger } from "../../../lib/format";
import type { Resource } from "../../../lib/useResource";
import type { FailureReport } from "../types";
import styles from "./Monitoring.module.css";

export function FailuresPanel({ report }: { report: Resource<FailureReport> }) {
  const { t, language } = useI18n();
  const r = report.data;
  const statusText = (status: number | null) => (status === null ? t("monitoring.failures.noStatus") : String(status));

  return (
    <section className={styles.card} aria-labelledby="failures-title">
      <h2 id="failures-title" className={styles.cardTitle}>
        {t("monitoring.failures.title")}
      </h2>
      {r && r.aggregatedBefore !== null ? (
        <p className={styles.muted}>{t("retention.aggregated.failures", { time: formatDateTime(r.aggregatedBefore, language) })}</p>
      ) : null}
      {report.error && !r ? (
        <Alert tone="error">{t("monitoring.page.loadFailed", { message: errorText(report.error, t) })}</Alert>
      ) : !r ? (
        <p aria-live="polite">{t("common.status.loading")}</p>
      ) : r.total === 0 ? (
        <p className={styles.muted}>{t("monitoring.failures.none")}</p>
      ) : (
        <div className={styles.failures}>
          <div>
            <h3 className={styles.subTitle}>{t("monitoring.failures.byStatus")}</h3>
            <table className={styles.table}>
              <thead>
                <tr>
                  <th scope="col">{t("monitoring.failures.status")}</th>
                  <th scope="col" className={styles.num}>
                    {t("monitoring.failures.count")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.byStatus.map((row) => (
                  <tr key={String(row.status)}>
                    <td>{statusText(row.status)}</td>
                    <td className={styles.num}>{formatInteger(row.count, language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className={styles.reasons}>
            <h3 className={styles.subTitle}>{t("monitoring.failures.byReason")}</h3>
            <ul className={styles.reasonList}>
              {r.byReason.map((row) => (
                <li key={`${String(row.status)}-${row.reason}`}>
                  <details>
                    <summary>
                      <strong>{statusText(row.status)}</strong> {row.reason}{" "}
                      <span className={styles.muted}>
                        {t("monitoring.failures.reasonDetail", {
                          count: row.count,
                          when: row.lastSeen > 0 ? formatDateTime(row.lastSeen, language) : t("common.value.never"),
                        })}
                      </span>
                    </summary>
                    {row.samples.length === 0 ? (
                      <p className={styles.muted}>{t("monitoring.failures.noSamples")}</p>
                    ) : (
                      row.samples.map((sample, index) => (
                        <pre key={index} className={styles.sample}>
                          {sample}
                        </pre>
                      ))
                    )}
                  </details>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}
