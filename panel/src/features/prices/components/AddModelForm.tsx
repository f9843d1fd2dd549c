import { useState, type FormEvent } from "react";
import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import { FIELD_LABELS, newDraft, validateDrafts } from "../logic";
import { PRICE_FIELDS, type DraftField, type PriceDraft } from "../types";
import styles from "./Prices.module.css";

interface AddModelFormProps {
  drafts: PriceDraft[];
  disabled: boolean;
  /** Adds the row; the form has checked it against the table. */
  onAdd: (draft: Omit<PriceDraft, "id">) => void;
}

const CANDIDATE_ID = "add-candidate";

/** Model name and prices for a new row, checked with the same rules as the table before it is added. */
export function AddModelForm({ drafts, disabled, onAdd }: AddModelFormProps) {
  const { t } = useI18n();
  const [candidate, setCandidate] = useState<PriceDraft>(() => newDraft(CANDIDATE_ID));
  const [checked, setChecked] = useState(false);
  const errors = checked ? (validateDrafts([...drafts, candidate])[CANDIDATE_ID] ?? {}) : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateDrafts([...drafts, candidate])[CANDIDATE_ID];
    if (found) {
      setChecked(true);
      return;
    }
    const { model, input, output, cacheRead, cacheWrite, source } = candidate;
    onAdd({ model: model.trim(), input, output, cacheRead, cacheWrite, source });
    setCandidate(newDraft(CANDIDATE_ID));
    setChecked(false);
  };

  const field = (name: DraftField) => {
    const id = `add-model-${name}`;
    const error = errors[name];
    return (
      <label key={name} className={styles.field} htmlFor={id}>
        {name === "model" ? t("prices.add.model") : t(FIELD_LABELS[name])}
        <input
          id={id}
          className={name === "model" ? styles.modelInput : styles.numberInput}
          value={candidate[name]}
          inputMode={name === "model" ? undefined : "decimal"}
          autoComplete="off"
          spellCheck={false}
          placeholder={name === "cacheRead" || name === "cacheWrite" ? t("prices.table.sameAsInput") : undefined}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => setCandidate((c) => ({ ...c, [name]: event.target.value }))}
        />
        {error ? (
          <span id={`${id}-error`} className={styles.fieldError}>
            {t(error)}
          </span>
        ) : null}
      </label>
    );
  };

  return (
    <section className={styles.card} aria-labelledby="add-model-title">
      <h2 id="add-model-title" className={styles.cardTitle}>
        {t("prices.add.title")}
      </h2>
      <form className={styles.addForm} onSubmit={submit} noValidate>
        {field("model")}
        {PRICE_FIELDS.map(field)}
        <Button type="submit" className={styles.addButton} disabled={disabled}>
          {t("prices.add.submit")}
        </Button>
      </form>
      <p className={styles.hint}>{t("prices.add.hint")}</p>
    </section>
  );
}
