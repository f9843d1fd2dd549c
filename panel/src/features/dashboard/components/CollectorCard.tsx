import { useI18n } from "../../../i18n/I18nProvider";
import { formatDateTime, formatInteger, formatRelativeTime } from "../../../lib/format";
import { STATE_LABELS, stateTone, type ServiceStatus } from "../../../lib/serviceStatus";
import styles from "./Dashboard.module.css";

export function CollectorCard({ status, now }: { status: ServiceStatus; now: number }) {
  const { t, language } = useI18n();
  const c = status.collector;
  const when = (ms: number) => formatRelativeTime(ms, now, language) ?? t("common.value.never");

  return (
    <section className={styles.card} aria-labelledby="collector-title">
      <h2 id="collector-title" className={styles.cardTitle}>
        {t("dashboard.collector.title")}
      </h2>
      <dl className={styles.facts}>
        <dt>{t("dashboard.collector.state")}</dt>
        <dd>
          <span className={`${styles.badge} ${styles[stateTone(c.state)]}`}>
            {t(STATE_LABELS[c.state], { state: c.rawState })}
          </span>
        </dd>
        <dt>{t("dashboard.collector.transport")}</dt>
        <dd>{c.transport || t("dashboard.collector.notConnected")}</dd>
        <dt>{t("dashboard.collector.upstream")}</dt>
        <dd className={styles.mono}>{c.upstream || t("common.value.none")}</dd>
        <dt>{t("dashboard.collector.lastEvent")}</dt>
        <dd>
          {c.lastInsertedAt > 0 ? (
            <time dateTime={new Date(c.lastInsertedAt).toISOString()} title={formatDateTime(c.lastInsertedAt, language)}>
              {when(c.lastInsertedAt)}
            </time>
          ) : (
            t("common.value.never")
          )}
        </dd>
        <dt>{t("dashboard.collector.events")}</dt>
        <dd>{formatInteger(status.events, language)}</dd>
        <dt>{t("dashboard.collector.lastError")}</dt>
        <dd>
          {c.lastError ? (
            <>
              <span className={styles.errorText}>{c.lastError}</span>
              {c.lastErrorAt > 0 ? (
                <span className={styles.muted}> · {t("dashboard.collector.errorWhen", { when: when(c.lastErrorAt) })}</span>
              ) : null}
              {c.nextRetryAt > now ? (
                <span className={styles.muted}> · {t("dashboard.collector.nextRetry", { when: when(c.nextRetryAt) })}</span>
              ) : null}
            </>
          ) : (
            t("dashboard.collector.noError")
          )}
        </dd>
      </dl>
    </section>
  );
}
