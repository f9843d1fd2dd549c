import type { ReactNode } from "react";
import { errorText } from "../../../components/ui/errorText";
import type { MessageKey } from "../../../i18n/en";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatInteger } from "../../../lib/format";
import { MAIN_FAMILIES, OTHER_FAMILIES, type ProviderFamily } from "../../../lib/cpa/overview";
import type { Resource } from "../../../lib/useResource";
import { useCpaOverview } from "../hooks/useCpaOverview";
import styles from "./Dashboard.module.css";

const FAMILY_LABELS: Record<ProviderFamily, MessageKey> = {
  gemini: "dashboard.cpa.familyGemini",
  codex: "dashboard.cpa.familyCodex",
  claude: "dashboard.cpa.familyClaude",
  openaiCompatible: "dashboard.cpa.familyOpenai",
  vertex: "dashboard.cpa.familyVertex",
  xai: "dashboard.cpa.familyXai",
  interactions: "dashboard.cpa.familyInteractions",
  meta: "dashboard.cpa.familyMeta",
};

/** One card; while its own call fails it is greyed with the reason, and the rest of the page carries on. */
interface CardProps<T> {
  id: string;
  title: string;
  resource: Resource<T>;
  children: (data: T) => ReactNode;
  className?: string | undefined;
}

function Card<T>({ id, title, resource, children, className }: CardProps<T>) {
  const { t } = useI18n();
  const failed = resource.error !== null && resource.error !== undefined;
  return (
    <section className={`${styles.kpi} ${className ?? ""} ${failed ? styles.unavailable : ""}`} aria-labelledby={id} aria-busy={resource.loading}>
      <h3 id={id} className={styles.cpaLabel}>
        {title}
      </h3>
      {failed ? (
        <span className={styles.kpiDetail}>{t("dashboard.cpa.unavailable", { message: errorText(resource.error, t) })}</span>
      ) : resource.data !== null ? (
        children(resource.data)
      ) : (
        <span className={styles.kpiDetail}>{t("common.status.loading")}</span>
      )}
    </section>
  );
}

export function CpaCards() {
  const { t, language } = useI18n();
  const { settings, credentials, models } = useCpaOverview();
  const count = (value: number) => formatInteger(value, language);
  const onOff = (on: boolean) => t(on ? "dashboard.cpa.on" : "dashboard.cpa.off");

  return (
    <section aria-labelledby="cpa-cards-title" className={styles.kpiGroup}>
      <h2 id="cpa-cards-title" className={styles.sectionTitle}>
        {t("dashboard.cpa.title")}
      </h2>
      <div className={styles.kpis}>
        <Card id="cpa-client-keys" title={t("dashboard.cpa.clientKeys")} resource={settings}>
          {(s) => (
            <>
              <a className={styles.cpaValue} href="#/keys">
                {count(s.clientKeyCount)}
              </a>
              <span className={styles.kpiDetail}>{t("dashboard.cpa.clientKeysDetail")}</span>
            </>
          )}
        </Card>
        <Card id="cpa-provider-keys" title={t("dashboard.cpa.providerKeys")} resource={settings}>
          {(s) => {
            const families = [...MAIN_FAMILIES, ...OTHER_FAMILIES.filter((f) => s.providerKeys[f] > 0)];
            const total = families.reduce((sum, f) => sum + s.providerKeys[f], 0);
            return (
              <>
                <a className={styles.cpaValue} href="#/providers">
                  {count(total)}
                </a>
                <ul className={styles.familyList}>
                  {families.map((family) => (
                    <li key={family}>
                      {t(FAMILY_LABELS[family])}: <strong>{count(s.providerKeys[family])}</strong>
                    </li>
                  ))}
                </ul>
              </>
            );
          }}
        </Card>
        <Card id="cpa-credentials" title={t("dashboard.cpa.credentials")} resource={credentials}>
          {(c) => (
            <>
              <a className={styles.cpaValue} href="#/credentials">
                {count(c.healthy)}
              </a>
              <span className={styles.kpiDetail}>{t("dashboard.cpa.healthy")}</span>
              <a className={c.problems > 0 ? styles.errorText : styles.kpiDetail} href="#/credentials?filter=problems">
                {t("dashboard.cpa.problems", { count: c.problems })}
              </a>
              {c.disabled > 0 ? <span className={styles.kpiDetail}>{t("dashboard.cpa.disabled", { count: c.disabled })}</span> : null}
            </>
          )}
        </Card>
        <Card id="cpa-models" title={t("dashboard.cpa.models")} resource={models}>
          {(m) =>
            m === "noClientKey" ? (
              <span className={styles.kpiDetail}>{t("dashboard.cpa.noClientKey")}</span>
            ) : (
              <>
                <a className={styles.cpaValue} href="#/system">
                  {count(m.length)}
                </a>
                <span className={styles.kpiDetail}>{t("dashboard.cpa.modelsDetail")}</span>
              </>
            )
          }
        </Card>
      </div>
      <Card id="cpa-config" title={t("dashboard.cpa.config")} resource={settings} className={styles.cpaConfig}>
        {(s) => (
          <ul className={styles.pills}>
            <li><a href="#/config">{t("dashboard.cpa.debug", { value: onOff(s.debug) })}</a></li>
            <li><a href="#/config">{t("dashboard.cpa.fileLogging", { value: onOff(s.loggingToFile) })}</a></li>
            <li><a href="#/config">{t("dashboard.cpa.retries", { count: s.requestRetry })}</a></li>
            <li><a href="#/config">{s.proxyUrl ? t("dashboard.cpa.proxy", { value: s.proxyUrl }) : t("dashboard.cpa.noProxy")}</a></li>
            <li><a href="#/config">{t("dashboard.cpa.routing", { value: s.routingStrategy })}</a></li>
          </ul>
        )}
      </Card>
    </section>
  );
}
