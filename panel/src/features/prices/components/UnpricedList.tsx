import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import type { Resource } from "../../../lib/useResource";
import { unpricedModels } from "../logic";
import type { PriceDraft, SeenModel } from "../types";
import styles from "./Prices.module.css";

interface UnpricedListProps {
  seen: Resource<SeenModel[]>;
  drafts: PriceDraft[];
  disabled: boolean;
  onAdd: (model: string) => void;
}

/** Models seen in usage with unpriced requests that the table does not list; "Add" puts one in the table. */
export function UnpricedList({ seen, drafts, disabled, onAdd }: UnpricedListProps) {
  const { t } = useI18n();
  const models = unpricedModels(seen.data ?? [], drafts);
  return (
    <section className={styles.card} aria-labelledby="unpriced-title">
      <h2 id="unpriced-title" className={styles.cardTitle}>
        {t("prices.unpriced.title")}
      </h2>
      {seen.error && !seen.data ? (
        <Alert tone="error">{t("prices.unpriced.loadFailed", { message: errorText(seen.error, t) })}</Alert>
      ) : !seen.data ? (
        <p aria-live="polite">{t("common.status.loading")}</p>
      ) : models.length === 0 ? (
        <p className={styles.muted}>{t("prices.unpriced.none")}</p>
      ) : (
        <>
          <p className={styles.hint}>{t("prices.unpriced.intro")}</p>
          <ul className={styles.modelList}>
            {models.map((m) => (
              <li key={m.model}>
                <span className={styles.modelName}>{m.model}</span>
                <span className={styles.actions}>
                  <span className={styles.warn}>{t("prices.unpriced.requests", { count: m.unpricedRequests })}</span>
                  <Button
                    disabled={disabled}
                    aria-label={t("prices.unpriced.addLabel", { model: m.model })}
                    onClick={() => onAdd(m.model)}
                  >
                    {t("prices.unpriced.add")}
                  </Button>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
