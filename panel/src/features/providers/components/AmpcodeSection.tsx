import { useEffect, useState, type FormEvent } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { TextField } from "../../../components/ui/TextField";
import { useI18n } from "../../../i18n/I18nProvider";
import type { AmpcodeSettings } from "../../../lib/cpa/ampcode";
import { useAmpcode } from "../hooks/useAmpcode";
import styles from "./Providers.module.css";

type Notice = { tone: "success" | "warning" | "error"; text: string };

/** Ampcode (CPA before v7.2.0): upstream URL and key, per-client upstream keys, model mappings. */
export function AmpcodeSection() {
  const { t } = useI18n();
  const { resource, save } = useAmpcode();
  const [form, setForm] = useState<AmpcodeSettings | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  useEffect(() => setForm(resource.data), [resource.data]);
  const update = (patch: Partial<AmpcodeSettings>) => setForm((f) => (f ? { ...f, ...patch } : f));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form) return;
    setBusy(true);
    setNotice(null);
    try {
      const result = await save(form);
      setNotice(result.kind === "saved" ? { tone: "success", text: t("providers.amp.saved") } : { tone: "warning", text: t("providers.amp.changed") });
    } catch (error) {
      setNotice({ tone: "error", text: t("providers.notice.failed", { message: errorText(error, t) }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.card} aria-labelledby="family-ampcode">
      <h2 id="family-ampcode" className={styles.cardTitle}>{t("providers.amp.title")}</h2>
      <p className={styles.muted}>{t("providers.amp.intro")}</p>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {resource.error && !form ? <Alert tone="error">{errorText(resource.error, t)}</Alert> : null}
      {form ? (
        <form className={styles.editor} aria-label={t("providers.amp.title")} onSubmit={(e) => void submit(e)}>
          <div className={styles.grid}>
            <TextField label={t("providers.amp.upstreamUrl")} value={form.upstreamUrl} onValue={(upstreamUrl) => update({ upstreamUrl })} spellCheck={false} />
            <TextField label={t("providers.amp.upstreamKey")} type="password" autoComplete="off" value={form.upstreamApiKey} onValue={(upstreamApiKey) => update({ upstreamApiKey })} />
          </div>
          <label className={styles.check}>
            <input type="checkbox" checked={form.forceModelMappings} onChange={(e) => update({ forceModelMappings: e.target.checked })} />
            {t("providers.amp.force")}
          </label>
          <fieldset className={styles.fieldset}>
            <legend>{t("providers.amp.mappings")}</legend>
            {form.modelMappings.map((m, i) => (
              <div className={styles.pair} key={i}>
                <TextField label={`${t("providers.amp.from")} ${i + 1}`} value={m.from} onValue={(from) => update({ modelMappings: form.modelMappings.map((x, j) => (j === i ? { ...x, from } : x)) })} />
                <TextField label={`${t("providers.amp.to")} ${i + 1}`} value={m.to} onValue={(to) => update({ modelMappings: form.modelMappings.map((x, j) => (j === i ? { ...x, to } : x)) })} />
                <Button variant="ghost" onClick={() => update({ modelMappings: form.modelMappings.filter((_, j) => j !== i) })}>{t("providers.form.removeRow")}</Button>
              </div>
            ))}
            <Button onClick={() => update({ modelMappings: [...form.modelMappings, { from: "", to: "" }] })}>{t("providers.amp.addMapping")}</Button>
          </fieldset>
          <fieldset className={styles.fieldset}>
            <legend>{t("providers.amp.upstreamKeys")}</legend>
            {form.upstreamApiKeys.map((k, i) => (
              <div className={styles.pair} key={i}>
                <TextField label={`${t("providers.amp.upstreamKey")} ${i + 1}`} type="password" autoComplete="off" value={k.upstreamApiKey} onValue={(upstreamApiKey) => update({ upstreamApiKeys: form.upstreamApiKeys.map((x, j) => (j === i ? { ...x, upstreamApiKey } : x)) })} />
                <ListInput
                  label={`${t("providers.amp.clientKeys")} ${i + 1}`}
                  initial={k.apiKeys}
                  onList={(apiKeys) => update({ upstreamApiKeys: form.upstreamApiKeys.map((x, j) => (j === i ? { ...x, apiKeys } : x)) })}
                />
                <Button variant="ghost" onClick={() => update({ upstreamApiKeys: form.upstreamApiKeys.filter((_, j) => j !== i) })}>{t("providers.form.removeRow")}</Button>
              </div>
            ))}
            <Button onClick={() => update({ upstreamApiKeys: [...form.upstreamApiKeys, { upstreamApiKey: "", apiKeys: [] }] })}>{t("providers.amp.addUpstreamKey")}</Button>
          </fieldset>
          <div className={styles.actions}>
            <Button type="submit" variant="primary" disabled={busy}>{t("providers.amp.save")}</Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

/** A comma-separated list typed as text (kept as typed, so a trailing comma does not vanish). */
function ListInput({ label, initial, onList }: { label: string; initial: string[]; onList: (list: string[]) => void }) {
  const [text, setText] = useState(() => initial.join(", "));
  return (
    <TextField
      label={label}
      value={text}
      onValue={(value) => {
        setText(value);
        onList(value.split(",").map((s) => s.trim()).filter((s) => s !== ""));
      }}
    />
  );
}
