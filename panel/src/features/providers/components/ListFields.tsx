import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import type { HeaderRow, ModelRow } from "../logic";
import { ProblemText, type FieldError } from "./ProblemText";
import styles from "./Providers.module.css";

interface PairsProps<T> {
  legend: string;
  rows: T[];
  onRows: (rows: T[]) => void;
  fields: readonly { key: keyof T & string; label: string }[];
  empty: () => T;
  addLabel: string;
  errorAt: (index: number, key: string) => FieldError;
}

/** An editable list of rows with two text inputs each (headers; models and their aliases). */
function Pairs<T>({ legend, rows, onRows, fields, empty, addLabel, errorAt }: PairsProps<T>) {
  const { t } = useI18n();
  const set = (index: number, key: keyof T, value: string) => onRows(rows.map((row, i) => (i === index ? { ...row, [key]: value } : row)));
  return (
    <fieldset className={styles.fieldset}>
      <legend>{legend}</legend>
      {rows.map((row, index) => (
        <div className={styles.pair} key={index}>
          {fields.map((field) => {
            const error = errorAt(index, field.key);
            return (
              <div key={field.key} className={styles.pairField}>
                <label>
                  <span>{`${field.label} ${index + 1}`}</span>
                  <input
                    value={String(row[field.key] ?? "")}
                    onChange={(e) => set(index, field.key, e.target.value)}
                    aria-invalid={error ? true : undefined}
                    spellCheck={false}
                  />
                </label>
                <ProblemText error={error} />
              </div>
            );
          })}
          <Button variant="ghost" aria-label={`${t("providers.form.removeRow")}: ${legend} ${index + 1}`} onClick={() => onRows(rows.filter((_, i) => i !== index))}>
            {t("providers.form.removeRow")}
          </Button>
        </div>
      ))}
      <Button onClick={() => onRows([...rows, empty()])}>{addLabel}</Button>
    </fieldset>
  );
}

export function HeadersField({ rows, onRows, errorAt }: { rows: HeaderRow[]; onRows: (rows: HeaderRow[]) => void; errorAt: PairsProps<HeaderRow>["errorAt"] }) {
  const { t } = useI18n();
  return (
    <Pairs
      legend={t("providers.form.headers")}
      rows={rows}
      onRows={onRows}
      fields={[
        { key: "name", label: t("providers.form.headerName") },
        { key: "value", label: t("providers.form.headerValue") },
      ]}
      empty={() => ({ name: "", value: "" })}
      addLabel={t("providers.form.addHeader")}
      errorAt={errorAt}
    />
  );
}

export function ModelsField({ rows, onRows, errorAt }: { rows: ModelRow[]; onRows: (rows: ModelRow[]) => void; errorAt: PairsProps<ModelRow>["errorAt"] }) {
  const { t } = useI18n();
  return (
    <Pairs
      legend={t("providers.form.models")}
      rows={rows}
      onRows={onRows}
      fields={[
        { key: "name", label: t("providers.form.modelName") },
        { key: "alias", label: t("providers.form.modelAlias") },
      ]}
      empty={() => ({ name: "", alias: "", raw: {} })}
      addLabel={t("providers.form.addModel")}
      errorAt={errorAt}
    />
  );
}
