import { useId, useMemo, useState, type FormEvent, type KeyboardEvent } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { TextField } from "../../../components/ui/TextField";
import { useI18n } from "../../../i18n/I18nProvider";
import { COMPAT_FAMILY, type Family, type ProviderEntry } from "../../../lib/cpa/providers";
import { emptyForm, entryFromForm, formFromEntry, validateForm, type EntryForm } from "../logic";
import { CompatKeysField } from "./CompatKeysField";
import { HeadersField, ModelsField } from "./ListFields";
import { PROBLEMS } from "./ProblemText";
import styles from "./Providers.module.css";
import { UpstreamTools } from "./UpstreamTools";

const NEEDS_BASE_HINT = new Set(["codex-api-key", "xai-api-key", COMPAT_FAMILY]);

interface EntryEditorProps {
  family: Family;
  familyLabel: string;
  title: string;
  /** The entry as CPA had it when the editor opened; null when adding. */
  original: ProviderEntry | null;
  busy: boolean;
  onSubmit: (entry: ProviderEntry) => void;
  onCancel: () => void;
}

/** One entry's fields. Saving is refused while CPA would reject or silently drop the entry. Esc cancels. */
export function EntryEditor({ family, familyLabel, title, original, busy, onSubmit, onCancel }: EntryEditorProps) {
  const { t } = useI18n();
  const [form, setForm] = useState<EntryForm>(() => (original ? formFromEntry(original) : emptyForm(family)));
  const [tried, setTried] = useState(false);
  const excludedId = useId();
  const errors = useMemo(() => validateForm(form, family), [form, family]);
  const errorCount = Object.keys(errors).length;
  const shown = (path: string) => (tried ? errors[path] : undefined);
  const text = (path: string) => {
    const problem = shown(path);
    return problem ? t(PROBLEMS[problem], { family: familyLabel }) : null;
  };
  const update = (patch: Partial<EntryForm>) => setForm((f) => ({ ...f, ...patch }));
  const compat = family === COMPAT_FAMILY;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (errorCount === 0) onSubmit(entryFromForm(form, family, original));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    }
  };

  return (
    <form className={styles.editor} aria-label={title} onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <h3 className={styles.editorTitle}>{title}</h3>
      {tried && errorCount > 0 ? <Alert tone="error">{t("providers.form.refused", { count: errorCount })}</Alert> : null}
      <div className={styles.grid}>
        {compat ? (
          <TextField label={t("providers.form.name")} value={form.name} onValue={(name) => update({ name })} error={text("name")} />
        ) : (
          <TextField
            label={t("providers.form.apiKey")}
            value={form.apiKey}
            onValue={(apiKey) => update({ apiKey })}
            type="password"
            autoComplete="off"
            error={text("apiKey")}
          />
        )}
        <TextField
          label={t("providers.form.baseUrl")}
          value={form.baseUrl}
          onValue={(baseUrl) => update({ baseUrl })}
          error={text("baseUrl")}
          hint={NEEDS_BASE_HINT.has(family) ? t("providers.form.baseUrlRequired", { family: familyLabel }) : t("providers.form.baseUrlOptional")}
          spellCheck={false}
        />
        {compat ? null : (
          <TextField label={t("providers.form.proxyUrl")} value={form.proxyUrl} onValue={(proxyUrl) => update({ proxyUrl })} error={text("proxyUrl")} hint={t("providers.form.proxyHint")} spellCheck={false} />
        )}
        <TextField label={t("providers.form.prefix")} value={form.prefix} onValue={(prefix) => update({ prefix })} hint={t("providers.form.prefixHint")} />
        <TextField label={t("providers.form.priority")} value={form.priority} onValue={(priority) => update({ priority })} error={text("priority")} inputMode="numeric" />
        {compat ? null : (
          <TextField label={t("providers.form.weight")} value={form.weight} onValue={(weight) => update({ weight })} error={text("weight")} hint={t("providers.form.weightHint")} inputMode="numeric" />
        )}
      </div>
      {compat ? (
        <>
          <label className={styles.check}>
            <input type="checkbox" checked={form.disabled} onChange={(e) => update({ disabled: e.target.checked })} />
            {t("providers.form.disabled")}
          </label>
          <CompatKeysField rows={form.keys} onRows={(keys) => update({ keys })} errorAt={(i, key) => shown(`keys.${i}.${key}`)} />
        </>
      ) : null}
      <HeadersField rows={form.headers} onRows={(headers) => update({ headers })} errorAt={(i, key) => shown(`headers.${i}.${key}`)} />
      <ModelsField rows={form.models} onRows={(models) => update({ models })} errorAt={(i, key) => shown(`models.${i}.${key}`)} />
      {compat ? null : (
        <div className={styles.field}>
          <label htmlFor={excludedId}>{t("providers.form.excluded")}</label>
          <textarea id={excludedId} rows={3} value={form.excludedModels} onChange={(e) => update({ excludedModels: e.target.value })} spellCheck={false} />
          <span className={styles.hint}>{t("providers.form.excludedHint")}</span>
        </div>
      )}
      <UpstreamTools family={family} form={form} original={original} onAddModels={(names) => update({ models: [...form.models, ...names.map((name) => ({ name, alias: "", raw: {} }))] })} />
      <div className={styles.actions}>
        <Button type="submit" variant="primary" disabled={busy}>
          {t("providers.form.save")}
        </Button>
        <Button onClick={onCancel}>{t("providers.form.cancel")}</Button>
      </div>
    </form>
  );
}
