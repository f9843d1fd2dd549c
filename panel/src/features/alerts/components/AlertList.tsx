import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatDateTime } from "../../../lib/format";
import { alertSentence, alertTitle, canAcknowledge, evidenceHash } from "../logic";
import type { AlertItem } from "../types";
import styles from "./Alerts.module.css";

interface AlertListProps {
  alerts: AlertItem[];
  nowMs: number;
  /** The alert being acknowledged right now, if any. */
  busyId: number | null;
  onAcknowledge: (id: number) => void;
}

/** The alerts, open first: what happened, when, a link to the monitoring view that shows it, and (open ones) acknowledge. */
export function AlertList({ alerts, nowMs, busyId, onAcknowledge }: AlertListProps) {
  const { t, language } = useI18n();
  if (alerts.length === 0) return <p className={styles.muted}>{t("alerts.list.empty")}</p>;
  return (
    <ul className={styles.list} aria-label={t("alerts.list.listLabel")}>
      {alerts.map((alert) => {
        const titleId = `alert-${alert.id}-title`;
        const tone = alert.open ? (alert.acknowledged ? styles.itemAcknowledged : styles.itemOpen) : "";
        return (
          <li key={alert.id}>
            <article className={`${styles.item} ${tone}`} aria-labelledby={titleId}>
              <div className={styles.itemHead}>
                <h3 id={titleId} className={styles.itemTitle}>
                  {alertTitle(alert, t)}
                </h3>
                <span className={alert.open ? styles.badgeOpen : styles.badge}>
                  {alert.open ? t("alerts.state.open") : t("alerts.state.cleared")}
                </span>
                {alert.acknowledged ? <span className={styles.badgeAcknowledged}>{t("alerts.state.acknowledged")}</span> : null}
              </div>
              <p>{alertSentence(alert, t, language)}</p>
              <p className={styles.times}>
                {t("alerts.time.opened", { time: formatDateTime(alert.openedAt, language) })}
                {alert.clearedAt !== null ? `, ${t("alerts.time.cleared", { time: formatDateTime(alert.clearedAt, language) })}` : ""}
              </p>
              <div className={styles.actions}>
                <a className={styles.link} href={evidenceHash(alert, nowMs)}>
                  {t("alerts.action.evidence")}
                </a>
                {canAcknowledge(alert) ? (
                  <Button onClick={() => onAcknowledge(alert.id)} disabled={busyId !== null}>
                    {busyId === alert.id ? t("alerts.action.acknowledging") : t("alerts.action.acknowledge")}
                  </Button>
                ) : null}
              </div>
            </article>
          </li>
        );
      })}
    </ul>
  );
}
