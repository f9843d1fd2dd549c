import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { useConnection } from "../../../lib/connection";
import { formatBytes } from "../../../lib/format";
import { STATE_LABELS, type ServiceStatus } from "../../../lib/serviceStatus";
import type { Resource } from "../../../lib/useResource";
import styles from "./System.module.css";

/** The usage service: where this panel runs, CPA panel mode's external service, and /status's facts. */
export function ServiceFactsCard({ status }: { status: Resource<ServiceStatus> | null }) {
  const { t, language } = useI18n();
  const connection = useConnection();
  const s = status?.data;
  return (
    <section className={styles.card} aria-labelledby="service-title">
      <h2 id="service-title" className={styles.cardTitle}>
        {t("system.service.title")}
      </h2>
      <dl className={styles.facts}>
        <dt>{t("system.service.mode")}</dt>
        <dd>{connection.mode === "full" ? t("system.service.modeFull") : t("system.service.modeCpa")}</dd>
        {connection.mode === "cpa" ? (
          <>
            <dt>{t("system.service.external")}</dt>
            <dd>
              <span className={styles.mono}>{connection.usageServiceUrl ?? t("system.service.externalNone")}</span>{" "}
              <a href="#/settings">{t("system.service.change")}</a>
            </dd>
          </>
        ) : null}
        {s ? (
          <>
            <dt>{t("system.service.collector")}</dt>
            <dd>{t(STATE_LABELS[s.collector.state], { state: s.collector.rawState })}</dd>
            <dt>{t("system.service.dataFolder")}</dt>
            <dd className={styles.mono}>{s.paths.data}</dd>
            <dt>{t("system.service.database")}</dt>
            <dd>
              <span className={styles.mono}>{s.paths.database}</span> ({formatBytes(s.dbSizeBytes, language)})
            </dd>
            <dt>{t("system.service.logFolder")}</dt>
            <dd className={styles.mono}>{s.paths.logs}</dd>
          </>
        ) : null}
      </dl>
      {status?.error && !s ? <p className={styles.muted}>{t("system.service.unavailable", { message: errorText(status.error, t) })}</p> : null}
    </section>
  );
}
