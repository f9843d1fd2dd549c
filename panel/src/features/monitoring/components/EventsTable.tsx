import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { ClippedText } from "../../../components/ui/ClippedText";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatCompact, formatDateTime, formatUsd } from "../../../lib/format";
import type { EventsState } from "../hooks/useEvents";
import { latencyText } from "../logic";
import { pricingText } from "../pricing";
import styles from "./Monitoring.module.css";

/**
 * `requestLogs`: CPA keeps a log per request (request-log on), so every event with a request id links
 * to it; failed events link either way, since CPA then keeps an error log under the same id.
 */
export function EventsTable({ events, requestLogs }: { events: EventsState; requestLogs: boolean }) {
  const { t, language } = useI18n();
  const none = t("common.value.none");

  return (
    <section className={styles.card} aria-labelledby="events-title" aria-busy={events.loading}>
      <div className={styles.cardHeader}>
        <h2 id="events-title" className={styles.cardTitle}>
          {t("monitoring.events.title")}
        </h2>
        <label className={styles.toggle}>
          <input type="checkbox" checked={events.autoRefresh} onChange={(e) => events.setAutoRefresh(e.target.checked)} />
          {t("monitoring.events.autoRefresh")}
        </label>
      </div>
      {events.error ? <Alert tone="error">{t("monitoring.page.loadFailed", { message: errorText(events.error, t) })}</Alert> : null}
      {events.aggregatedBefore !== null ? (
        <p className={styles.muted}>{t("retention.aggregated.events", { time: formatDateTime(events.aggregatedBefore, language) })}</p>
      ) : null}
      {events.rows.length === 0 ? (
        <p className={styles.muted}>{events.loading ? t("common.status.loading") : t("monitoring.events.empty")}</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className={styles.table} aria-labelledby="events-title">
            <thead>
              <tr>
                <th scope="col">{t("monitoring.events.time")}</th>
                <th scope="col">{t("monitoring.dim.model")}</th>
                <th scope="col">{t("monitoring.dim.provider")}</th>
                <th scope="col">{t("monitoring.dim.account")}</th>
                <th scope="col">{t("monitoring.events.status")}</th>
                <th scope="col" className={styles.num}>
                  {t("monitoring.events.tokens")}
                </th>
                <th scope="col" className={styles.num}>
                  {t("monitoring.events.latency")}
                </th>
                <th scope="col" className={styles.num}>
                  {t("monitoring.events.cost")}
                </th>
                <th scope="col">{t("monitoring.events.requestLog")}</th>
              </tr>
            </thead>
            <tbody>
              {events.rows.map((row) => {
                const time = Date.parse(row.timestamp);
                return (
                  <tr key={row.id}>
                    <td className={styles.nowrap}>{Number.isFinite(time) ? formatDateTime(time, language) : row.timestamp}</td>
                    <td>{row.model || none}</td>
                    <td>{row.provider || none}</td>
                    <td>{row.accountLabel ? <ClippedText text={row.accountLabel} /> : none}</td>
                    <td className={row.failed ? styles.bad : styles.good}>
                      {row.failed ? (row.statusCode === null ? t("monitoring.events.failed") : String(row.statusCode)) : t("monitoring.events.ok")}
                    </td>
                    <td className={styles.num}>{formatCompact(row.tokens, language)}</td>
                    <td className={styles.num}>
                      {row.latencyMs === null ? none : latencyText(row.latencyMs, language, t)}
                    </td>
                    <td className={styles.num} title={row.pricing ? pricingText(row.pricing, t).sentence : undefined}>
                      {row.costUsd === null ? none : formatUsd(row.costUsd, language)}
                    </td>
                    <td>
                      {row.requestId && (requestLogs || row.failed) ? (
                        <a
                          href={`#/logs?request=${encodeURIComponent(row.requestId)}`}
                          aria-label={t("monitoring.events.openRequestLog", { id: row.requestId })}
                        >
                          {row.requestId}
                        </a>
                      ) : (
                        none
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {events.hasOlder ? (
        <div className={styles.more}>
          <Button onClick={events.loadOlder} disabled={events.loading}>
            {events.loading ? t("common.status.loading") : t("monitoring.events.loadOlder")}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
