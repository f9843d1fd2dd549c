import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import type { CpaCapabilities } from "../../../lib/cpa/capabilities";
import { isNewerRelease, latestCpaVersion } from "../../../lib/cpa/system";
import type { ServiceStatus } from "../../../lib/serviceStatus";
import { useResource, type Resource } from "../../../lib/useResource";
import styles from "./System.module.css";

export function VersionsCard({ capabilities, status }: { capabilities: Resource<CpaCapabilities>; status: Resource<ServiceStatus> | null }) {
  const { t } = useI18n();
  const caps = capabilities.data;
  const tree = caps ? (caps.hasV8 ? "v8" : "v0") : null;
  const latest = useResource(() => (tree ? latestCpaVersion(tree) : new Promise<never>(() => undefined)), [tree]);
  const current = caps?.version.raw ?? "";
  const newer = latest.data ? isNewerRelease(latest.data, current) : null;

  return (
    <section className={styles.card} aria-labelledby="versions-title">
      <h2 id="versions-title" className={styles.cardTitle}>
        {t("system.versions.title")}
      </h2>
      <dl className={styles.facts}>
        <dt>{t("system.versions.cpa")}</dt>
        <dd className={styles.mono}>{current || t("system.versions.unknown")}</dd>
        <dt>{t("system.versions.cpaBuilt")}</dt>
        <dd className={styles.mono}>{caps?.buildDate || t("system.versions.unknown")}</dd>
        <dt>{t("system.versions.latest")}</dt>
        <dd>
          {latest.error ? (
            <span className={styles.muted}>{t("system.versions.latestUnknown", { message: errorText(latest.error, t) })}</span>
          ) : latest.data ? (
            <>
              <span className={styles.mono}>{latest.data}</span>{" "}
              {newer === true ? (
                <strong className={styles.warning}>{t("system.versions.updateAvailable", { version: latest.data })}</strong>
              ) : newer === false ? (
                <span className={styles.good}>{t("system.versions.upToDate")}</span>
              ) : null}
            </>
          ) : (
            t("common.status.loading")
          )}
        </dd>
        <dt>{t("system.versions.manager")}</dt>
        <dd className={styles.mono}>{status?.data?.version ?? t("system.versions.managerNone")}</dd>
      </dl>
    </section>
  );
}
