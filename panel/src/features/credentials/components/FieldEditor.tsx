import { useEffect, useId, useState, type FormEvent } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { errorText } from "../../../components/ui/errorText";
import formStyles from "../../../components/ui/Form.module.css";
import { TextField } from "../../../components/ui/TextField";
import { useI18n } from "../../../i18n/I18nProvider";
import { toCredentialFields, type CredentialFields, type CredentialsApi } from "../../../lib/cpa/credentials";
import type { Json } from "../../../lib/wire";
import { headersText, parseHeaders } from "../logic";
import { fieldChanges, type FieldForm } from "./fieldForm";

interface Props {
  api: CredentialsApi;
  name: string;
  exclusionsReplaceGlobal: boolean;
  onClose: () => void;
  onSaved: (fields: CredentialFields) => void;
}

function toForm(fields: CredentialFields): FieldForm {
  return {
    prefix: fields.prefix,
    proxyUrl: fields.proxyUrl,
    headers: headersText(fields.headers),
    priority: fields.priority === null ? "" : String(fields.priority),
    weight: fields.weight === null ? "" : String(fields.weight),
    note: fields.note,
    websockets: fields.websockets,
    excluded: fields.excludedModels.join("\n"),
  };
}

/**
 * The fields CPA's list leaves out, read from the file itself. Saving re-reads the file first: when it changed
 * since the editor opened (another panel, a refresh), nothing is written and the user sees the new values.
 */
export function FieldEditor({ api, name, exclusionsReplaceGlobal, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const ids = useId();
  const [original, setOriginal] = useState<CredentialFields | null>(null);
  const [form, setForm] = useState<FieldForm | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    api.readFile(name).then(
      (file: Json) => {
        if (!live) return;
        const fields = toCredentialFields(file);
        setOriginal(fields);
        setForm(toForm(fields));
      },
      (cause: unknown) => live && setError(errorText(cause, t)),
    );
    return () => void (live = false);
  }, [api, name, t]);

  const set = <K extends keyof FieldForm>(key: K, value: FieldForm[K]) => setForm((f) => (f ? { ...f, [key]: value } : f));
  const headerCheck = parseHeaders(form?.headers ?? "");
  const badNumber = (text: string) => text.trim() !== "" && !/^-?\d+$/.test(text.trim());
  const invalid = headerCheck.badLines.length > 0 || badNumber(form?.priority ?? "") || badNumber(form?.weight ?? "") ||
    (form?.weight.trim() !== "" && Number(form?.weight) < 0);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!form || !original || invalid) return;
    setSaving(true);
    setError(null);
    try {
      const current = toCredentialFields(await api.readFile(name));
      if (JSON.stringify(current) !== JSON.stringify(original)) {
        setConflict(true);
        setOriginal(current);
        setForm(toForm(current));
        return;
      }
      const changes = fieldChanges(original, form);
      if (Object.keys(changes).length > 0) await api.patchFields(name, changes);
      onSaved(current);
      onClose();
    } catch (cause) {
      setError(errorText(cause, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog title={t("credentials.editor.title", { name })} onClose={onClose} wide>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {conflict ? <Alert tone="warning">{t("credentials.editor.conflict")}</Alert> : null}
      {!form ? (
        error ? null : <p>{t("credentials.editor.loading")}</p>
      ) : (
        <form onSubmit={save} className={formStyles.field}>
          <TextField label={t("credentials.editor.prefix")} value={form.prefix} onValue={(v) => set("prefix", v)} />
          <TextField label={t("credentials.editor.proxyUrl")} value={form.proxyUrl} onValue={(v) => set("proxyUrl", v)} placeholder="socks5://host:1080" />
          <TextField label={t("credentials.editor.priority")} value={form.priority} onValue={(v) => set("priority", v)} inputMode="numeric"
            error={badNumber(form.priority) ? t("credentials.editor.wholeNumber") : null} />
          <TextField label={t("credentials.editor.weight")} value={form.weight} onValue={(v) => set("weight", v)} inputMode="numeric"
            error={badNumber(form.weight) || Number(form.weight) < 0 ? t("credentials.editor.wholeNumber") : null} />
          <TextField label={t("credentials.editor.note")} value={form.note} onValue={(v) => set("note", v)} />
          <div className={formStyles.field}>
            <label htmlFor={`${ids}-headers`}>{t("credentials.editor.headers")}</label>
            <textarea id={`${ids}-headers`} rows={3} value={form.headers} onChange={(e) => set("headers", e.target.value)}
              aria-invalid={headerCheck.badLines.length > 0 || undefined} aria-describedby={`${ids}-headers-note`} />
            <span id={`${ids}-headers-note`} className={headerCheck.badLines.length > 0 ? formStyles.fieldError : formStyles.hint}>
              {headerCheck.badLines.length > 0 ? t("credentials.editor.badHeaders", { lines: headerCheck.badLines.join(", ") }) : t("credentials.editor.headersHint")}
            </span>
          </div>
          <div className={formStyles.field}>
            <label htmlFor={`${ids}-excluded`}>{t("credentials.editor.excluded")}</label>
            <textarea id={`${ids}-excluded`} rows={3} value={form.excluded} onChange={(e) => set("excluded", e.target.value)} aria-describedby={`${ids}-excluded-note`} />
            <span id={`${ids}-excluded-note`} className={formStyles.hint}>
              {exclusionsReplaceGlobal ? t("credentials.editor.excludedReplaces") : t("credentials.editor.excludedAdds")}
            </span>
          </div>
          <label>
            <input type="checkbox" checked={form.websockets} onChange={(e) => set("websockets", e.target.checked)} /> {t("credentials.editor.websockets")}
          </label>
          <div>
            <Button variant="primary" type="submit" disabled={saving || invalid}>
              {t("credentials.editor.save")}
            </Button>{" "}
            <Button onClick={onClose}>{t("credentials.common.cancel")}</Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
