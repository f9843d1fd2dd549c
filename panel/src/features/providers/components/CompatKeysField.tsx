import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import type { CompatKeyRow } from "../logic";
import { ProblemText, type FieldError } from "./ProblemText";
import styles from "./Providers.module.css";

interface CompatKeysFieldProps {
  rows: CompatKeyRow[];
  onRows: (rows: CompatKeyRow[]) => void;
  errorAt: (index: number, key: string) => FieldError;
}

/** An OpenAI-compatible provider's keys: each with its own proxy and weight. */
export function CompatKeysField({ rows, onRows, errorAt }: CompatKeysFieldProps) {
  const { t } = useI18n();
  const set = (index: number, patch: Partial<CompatKeyRow>) => onRows(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const input = (index: number, key: "apiKey" | "proxyUrl" | "weight", label: string, type = "text") => (
    <div className={styles.pairField}>
      <label>
        <span>{`${label} ${index + 1}`}</span>
        <input
          type={type}
          autoComplete="off"
          spellCheck={false}
          value={rows[index]?.[key] ?? ""}
          onChange={(e) => set(index, { [key]: e.target.value })}
          aria-invalid={errorAt(index, key) ? true : undefined}
        />
      </label>
      <ProblemText error={errorAt(index, key)} />
    </div>
  );
  return (
    <fieldset className={styles.fieldset}>
      <legend>{t("providers.form.keys")}</legend>
      {rows.map((_, index) => (
        <div className={styles.pair} key={index}>
          {input(index, "apiKey", t("providers.form.apiKey"), "password")}
          {input(index, "proxyUrl", t("providers.form.proxyUrl"))}
          {input(index, "weight", t("providers.form.weight"))}
          <Button variant="ghost" aria-label={`${t("providers.form.removeRow")}: ${t("providers.form.apiKey")} ${index + 1}`} onClick={() => onRows(rows.filter((__, i) => i !== index))}>
            {t("providers.form.removeRow")}
          </Button>
        </div>
      ))}
      <Button onClick={() => onRows([...rows, { apiKey: "", proxyUrl: "", weight: "", authIndex: null, raw: {} }])}>{t("providers.form.addKey")}</Button>
    </fieldset>
  );
}
