import { Alert } from "../../../components/ui/Alert";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { cpaOverviewApi } from "../../../lib/cpa/overview";
import { useResource } from "../../../lib/useResource";
import styles from "./System.module.css";

async function loadModels(): Promise<string[] | "noClientKey"> {
  const { firstClientKey } = await cpaOverviewApi.settings();
  return firstClientKey === null ? "noClientKey" : cpaOverviewApi.models(firstClientKey);
}

/** CPA's model list, asked with CPA's first client key (CPA serves it to client keys only). */
export function ModelsCard() {
  const { t } = useI18n();
  const models = useResource(loadModels, []);
  return (
    <section className={styles.card} aria-labelledby="models-title">
      <h2 id="models-title" className={styles.cardTitle}>
        {t("system.models.title")}
      </h2>
      {models.error ? <Alert tone="error">{t("system.models.failed", { message: errorText(models.error, t) })}</Alert> : null}
      {models.data === "noClientKey" ? <p className={styles.muted}>{t("system.models.noClientKey")}</p> : null}
      {Array.isArray(models.data) ? (
        <>
          <p>{t("system.models.count", { count: models.data.length })}</p>
          <ul className={styles.models} aria-labelledby="models-title">
            {[...models.data].sort().map((id) => (
              <li key={id}>{id}</li>
            ))}
          </ul>
        </>
      ) : null}
      {models.loading && !models.data ? <p>{t("common.status.loading")}</p> : null}
    </section>
  );
}
