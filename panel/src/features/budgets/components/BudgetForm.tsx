import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { TextField } from "../../../components/ui/TextField";
import type { MessageKey } from "../../../i18n/en";
import { useI18n } from "../../../i18n/I18nProvider";
import { BUDGET_PERIODS, BUDGET_SCOPE_KINDS, periodName, type BudgetScopeKind } from "../../../lib/budgets";
import type { Resource } from "../../../lib/useResource";
import type { BudgetDraft, ScopeOption, ScopeOptions } from "../types";
import styles from "./Budgets.module.css";

const SCOPE_KIND_KEYS: Record<BudgetScopeKind, MessageKey> = {
  overall: "budgets.form.scopeOverall",
  provider: "budgets.form.scopeProvider",
  apiKey: "budgets.form.scopeApiKey",
};

interface BudgetFormProps {
  /** The budget being edited (its draft), or a new one. */
  initial: BudgetDraft;
  isEdit: boolean;
  options: Resource<ScopeOptions>;
  /** Saves; a rejection carries the server's sentence, shown above the buttons. */
  onSubmit: (draft: BudgetDraft) => Promise<void>;
  onCancel?: (() => void) | undefined;
}

/** Period, limit, scope and thresholds. Values are checked by the server, whose sentence is shown as is. */
export function BudgetForm({ initial, isEdit, options, onSubmit, onCancel }: BudgetFormProps) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<BudgetDraft>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const periodId = useId();
  const kindId = useId();
  const valueId = useId();
  const titleId = useId();
  const set = (changes: Partial<BudgetDraft>) => setDraft((d) => ({ ...d, ...changes }));
  const firstField = useRef<HTMLSelectElement>(null);
  // Edit is pressed in the list above: bring the form to the keyboard and the eye.
  useEffect(() => {
    if (!isEdit) return;
    firstField.current?.focus();
    firstField.current?.scrollIntoView?.({ block: "center" });
  }, [isEdit]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(draft);
    } catch (failure) {
      setError(t("budgets.form.failed", { message: errorText(failure, t) }));
    } finally {
      setBusy(false);
    }
  };

  const choices: ScopeOption[] =
    draft.scopeKind === "provider" ? options.data?.providers ?? [] : options.data?.apiKeys ?? [];
  const listed = choices.some((option) => option.key === draft.scopeValue) || draft.scopeValue === "";
  return (
    <section className={styles.card} aria-labelledby={titleId}>
      <h2 id={titleId} className={styles.cardTitle}>
        {t(isEdit ? "budgets.form.editTitle" : "budgets.form.createTitle")}
      </h2>
      <form className={styles.form} onSubmit={(event) => void submit(event)} noValidate>
        <div className={styles.field}>
          <label htmlFor={periodId}>{t("budgets.form.period")}</label>
          <select
            ref={firstField}
            id={periodId}
            value={draft.period}
            onChange={(event) => set({ period: event.target.value as BudgetDraft["period"] })}
          >
            {BUDGET_PERIODS.map((period) => (
              <option key={period} value={period}>
                {periodName(period, t)}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label={t("budgets.form.limit")}
          value={draft.limit}
          onValue={(limit) => set({ limit })}
          hint={t("budgets.form.limitHint")}
          inputMode="decimal"
          autoComplete="off"
        />
        <div className={styles.field}>
          <label htmlFor={kindId}>{t("budgets.form.scope")}</label>
          <select
            id={kindId}
            value={draft.scopeKind}
            onChange={(event) => set({ scopeKind: event.target.value as BudgetScopeKind, scopeValue: "" })}
          >
            {BUDGET_SCOPE_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(SCOPE_KIND_KEYS[kind])}
              </option>
            ))}
          </select>
        </div>
        {draft.scopeKind !== "overall" ? (
          <div className={styles.field}>
            <label htmlFor={valueId}>
              {t(draft.scopeKind === "provider" ? "budgets.form.provider" : "budgets.form.apiKey")}
            </label>
            <select id={valueId} value={draft.scopeValue} onChange={(event) => set({ scopeValue: event.target.value })}>
              <option value="">{t("budgets.form.choose")}</option>
              {!listed ? <option value={draft.scopeValue}>{draft.scopeValue}</option> : null}
              {choices.map((option) => (
                <option key={option.key} value={option.key}>
                  {option.label}
                </option>
              ))}
            </select>
            {options.error ? (
              <span className={styles.hint}>
                {t("budgets.form.optionsFailed", { message: errorText(options.error, t) })}
              </span>
            ) : options.data && choices.length === 0 ? (
              <span className={styles.hint}>{t("budgets.form.noOptions")}</span>
            ) : null}
          </div>
        ) : null}
        <TextField
          label={t("budgets.form.thresholds")}
          value={draft.thresholds}
          onValue={(thresholds) => set({ thresholds })}
          hint={t("budgets.form.thresholdsHint")}
          autoComplete="off"
        />
        {error ? (
          <div className={styles.formActions}>
            <Alert tone="error">{error}</Alert>
          </div>
        ) : null}
        <div className={styles.formActions}>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? t("budgets.form.saving") : t(isEdit ? "budgets.form.save" : "budgets.form.create")}
          </Button>
          {onCancel ? (
            <Button variant="ghost" onClick={onCancel} disabled={busy}>
              {t("budgets.form.cancel")}
            </Button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
