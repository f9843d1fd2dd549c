import { Button } from "../../../components/ui/Button";
import type { MessageKey } from "../../../i18n/en";
import { useI18n } from "../../../i18n/I18nProvider";
import { FIELD_LABELS, sourceLabelKey } from "../logic";
import { PRICE_FIELDS, type DraftField, type PriceDraft } from "../types";
import styles from "./Prices.module.css";

interface PriceTableProps {
  drafts: PriceDraft[];
  /** Errors to show now, per row id. */
  errors: Record<string, Partial<Record<DraftField, MessageKey>>>;
  disabled: boolean;
  onChange: (id: string, field: DraftField, value: string) => void;
  onDelete: (id: string) => void;
  /** Id of the heading that names the table. */
  labelledBy: string;
}

export function inputId(rowId: string, field: DraftField): string {
  return `price-${rowId}-${field}`;
}

/** The editable price table: one row per model, numeric text inputs, empty cache fields mean "same as input". */
export function PriceTable({ drafts, errors, disabled, onChange, onDelete, labelledBy }: PriceTableProps) {
  const { t } = useI18n();
  const sourceText = (source: string) => {
    if (!source) return t("prices.table.newRow");
    const key = sourceLabelKey(source);
    return key ? t(key) : source;
  };
  if (drafts.length === 0) return <p className={styles.muted}>{t("prices.table.empty")}</p>;

  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">{t("prices.table.model")}</th>
            {PRICE_FIELDS.map((field) => (
              <th key={field} scope="col" className={styles.num}>
                {t(FIELD_LABELS[field])}
              </th>
            ))}
            <th scope="col">{t("prices.table.source")}</th>
            <th scope="col">{t("prices.table.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {drafts.map((draft) => {
            const rowErrors = errors[draft.id] ?? {};
            const name = draft.model.trim() || t("prices.table.unnamed");
            const cell = (field: DraftField, className: string, placeholder?: string) => {
              const id = inputId(draft.id, field);
              const error = rowErrors[field];
              const label = field === "model" ? t("prices.table.model") : t(FIELD_LABELS[field]);
              return (
                <>
                  <input
                    id={id}
                    className={className}
                    value={draft[field]}
                    inputMode={field === "model" ? undefined : "decimal"}
                    autoComplete="off"
                    spellCheck={false}
                    placeholder={placeholder}
                    disabled={disabled}
                    aria-label={t("prices.table.fieldLabel", { model: name, field: label })}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                    onChange={(event) => onChange(draft.id, field, event.target.value)}
                  />
                  {error ? (
                    <span id={`${id}-error`} className={styles.fieldError}>
                      {t(error)}
                    </span>
                  ) : null}
                </>
              );
            };
            return (
              <tr key={draft.id}>
                <td>{cell("model", styles.modelInput ?? "")}</td>
                {PRICE_FIELDS.map((field) => (
                  <td key={field} className={styles.num}>
                    {cell(
                      field,
                      styles.numberInput ?? "",
                      field === "cacheRead" || field === "cacheWrite" ? t("prices.table.sameAsInput") : undefined,
                    )}
                  </td>
                ))}
                <td className={styles.source}>{sourceText(draft.source)}</td>
                <td>
                  <Button
                    variant="ghost"
                    disabled={disabled}
                    aria-label={t("prices.table.deleteLabel", { model: name })}
                    onClick={() => onDelete(draft.id)}
                  >
                    {t("prices.table.delete")}
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
