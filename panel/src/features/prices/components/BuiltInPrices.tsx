import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import { builtInNotOverridden, FIELD_LABELS, priceText } from "../logic";
import { PRICE_FIELDS, type BuiltInPrices as BuiltIn, type ModelPrice, type PriceDraft } from "../types";
import styles from "./Prices.module.css";

interface BuiltInPricesProps {
  defaults: BuiltIn;
  drafts: PriceDraft[];
  disabled: boolean;
  onCustomise: (price: ModelPrice) => void;
}

/** The shipped defaults the table does not override: read-only; "Customise" copies one into the table. */
export function BuiltInPrices({ defaults, drafts, disabled, onCustomise }: BuiltInPricesProps) {
  const { t } = useI18n();
  const rows = builtInNotOverridden(defaults.prices, drafts);
  const title = defaults.generated
    ? t("prices.builtIn.titleDated", { date: defaults.generated })
    : t("prices.builtIn.title");
  return (
    <section className={styles.card} aria-labelledby="builtin-title">
      <h2 id="builtin-title" className={styles.cardTitle}>
        {title}
      </h2>
      <p className={styles.hint}>{t("prices.builtIn.intro")}</p>
      {rows.length === 0 ? (
        <p className={styles.muted}>{t("prices.builtIn.none")}</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className={`${styles.table} ${styles.readOnlyTable}`} aria-labelledby="builtin-title">
            <thead>
              <tr>
                <th scope="col">{t("prices.table.model")}</th>
                {PRICE_FIELDS.map((field) => (
                  <th key={field} scope="col" className={styles.num}>
                    {t(FIELD_LABELS[field])}
                  </th>
                ))}
                <th scope="col">{t("prices.table.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((price) => (
                <tr key={price.model}>
                  <td className={styles.modelName}>{price.model}</td>
                  {PRICE_FIELDS.map((field) => (
                    <td key={field} className={styles.num}>
                      {priceText(price[field]) || t("prices.table.sameAsInput")}
                    </td>
                  ))}
                  <td>
                    <Button
                      variant="ghost"
                      disabled={disabled}
                      aria-label={t("prices.builtIn.customiseLabel", { model: price.model })}
                      onClick={() => onCustomise(price)}
                    >
                      {t("prices.builtIn.customise")}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
