import { useId, useState, type DragEvent } from "react";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import formStyles from "../../../components/ui/Form.module.css";
import { useI18n } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/en";
import type { CredentialsApi } from "../../../lib/cpa/credentials";
import { BATCH_CONCURRENCY, checkUpload, MAX_UPLOAD_BYTES, pastedFiles, runLimited, type UploadCheck } from "../logic";
import type { UploadResult } from "../types";
import styles from "./Credentials.module.css";

const REASONS: Record<Exclude<UploadCheck, { ok: true }>["reason"], MessageKey> = {
  tooLarge: "credentials.upload.tooLarge",
  notJson: "credentials.upload.notJson",
  notObject: "credentials.upload.notObject",
  notJsonName: "credentials.upload.notJsonName",
};

interface Props {
  api: CredentialsApi;
  onUploaded: (names: string[]) => void;
}

/** Files by picker, drop or paste. Each is checked here first; the valid ones go to CPA one request each. */
export function UploadPanel({ api, onUploaded }: Props) {
  const { t } = useI18n();
  const ids = useId();
  const [results, setResults] = useState<UploadResult[]>([]);
  const [pasted, setPasted] = useState("");
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);

  const send = async (files: { name: string; size: number; read: () => Promise<string | null> }[]) => {
    setBusy(true);
    const out: UploadResult[] = [];
    const valid: { name: string; text: string }[] = [];
    for (const file of files) {
      const check = checkUpload(file.name, file.size, file.size > MAX_UPLOAD_BYTES ? null : await file.read());
      if (check.ok) valid.push({ name: file.name, text: check.text });
      else out.push({ name: file.name, ok: false, message: t(REASONS[check.reason], { name: file.name }) });
    }
    const uploaded: string[] = [];
    await runLimited(valid, BATCH_CONCURRENCY, (f) => api.upload(f.name, f.text), (f, error) => {
      if (error === null) uploaded.push(f.name);
      out.push({
        name: f.name,
        ok: error === null,
        message: error === null ? t("credentials.upload.done", { name: f.name }) : t("credentials.upload.refused", { name: f.name, reason: errorText(error, t) }),
      });
    });
    const order = new Map(files.map((f, i) => [f.name, i]));
    setResults(out.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0)));
    setBusy(false);
    if (uploaded.length > 0) onUploaded(uploaded);
  };

  const sendFiles = (list: FileList | null) => {
    if (!list || list.length === 0) return;
    void send([...list].map((f) => ({ name: f.name, size: f.size, read: () => f.text() })));
  };

  const sendPasted = () => {
    const files = pastedFiles(pasted);
    if (files === null) {
      setResults([{ name: t("credentials.upload.pastedName"), ok: false, message: t("credentials.upload.pastedInvalid") }]);
      return;
    }
    void send(files.map((f) => ({ name: f.name, size: new Blob([f.text]).size, read: () => Promise.resolve(f.text) }))).then(() => setPasted(""));
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    sendFiles(event.dataTransfer.files);
  };

  return (
    <section className={styles.upload} aria-label={t("credentials.upload.title")}>
      <h2 className={styles.sectionTitle}>{t("credentials.upload.title")}</h2>
      <div
        className={`${styles.dropZone} ${dragging ? styles.dragging : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={`${ids}-files`}>{t("credentials.upload.pick")}</label>
        <input id={`${ids}-files`} type="file" accept=".json,application/json" multiple disabled={busy}
          onChange={(e) => {
            sendFiles(e.target.files);
            e.target.value = "";
          }} />
        <span className={formStyles.hint}>{t("credentials.upload.hint")}</span>
      </div>
      <div className={formStyles.field}>
        <label htmlFor={`${ids}-paste`}>{t("credentials.upload.paste")}</label>
        <textarea id={`${ids}-paste`} rows={3} value={pasted} onChange={(e) => setPasted(e.target.value)} />
        <div>
          <Button onClick={sendPasted} disabled={busy || pasted.trim() === ""}>{t("credentials.upload.sendPasted")}</Button>
        </div>
      </div>
      {results.length > 0 ? (
        <ul aria-label={t("credentials.upload.results")} className={styles.results}>
          {results.map((r, i) => (
            <li key={`${r.name}-${i}`} className={r.ok ? styles.good : styles.bad}>
              {r.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
