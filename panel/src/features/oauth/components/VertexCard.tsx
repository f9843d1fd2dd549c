import { useId, useState, type FormEvent } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import formStyles from "../../../components/ui/Form.module.css";
import surface from "../../../components/ui/Surface.module.css";
import { TextField } from "../../../components/ui/TextField";
import { useI18n } from "../../../i18n/I18nProvider";
import { importVertex, type VertexImport } from "../../../lib/cpa/credentials";
import styles from "./OAuth.module.css";

const MAX_BYTES = 1024 * 1024;

/** A Vertex service-account file and its region; CPA saves it as vertex-<project>.json. */
export function VertexCard({ hasV8 }: { hasV8: boolean }) {
  const { t } = useI18n();
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [location, setLocation] = useState("us-central1");
  const [result, setResult] = useState<VertexImport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setError(null);
    setResult(null);
    if (file.size > MAX_BYTES) return setError(t("oauth.vertex.tooLarge", { name: file.name }));
    try {
      JSON.parse(await file.text());
    } catch {
      return setError(t("oauth.vertex.notJson", { name: file.name }));
    }
    setBusy(true);
    try {
      setResult(await importVertex(hasV8, file, file.name, location));
    } catch (cause) {
      setError(errorText(cause, t));
    } finally {
      setBusy(false);
    }
  };

  const saved = result?.authFile.split("/").pop() ?? "";
  return (
    <section className={`${surface.card} ${styles.card}`} aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`} className={styles.cardTitle}>{t("oauth.vertex.title")}</h3>
      <form onSubmit={submit} className={formStyles.field}>
        <label htmlFor={`${ids}-file`}>{t("oauth.vertex.file")}</label>
        <input id={`${ids}-file`} type="file" accept=".json,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <TextField label={t("oauth.vertex.location")} value={location} onValue={setLocation} hint={t("oauth.vertex.locationHint")} />
        <div>
          <Button variant="primary" type="submit" disabled={!file || busy}>{t("oauth.vertex.import")}</Button>
        </div>
      </form>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {result ? (
        <Alert tone="success" title={t("oauth.vertex.done")}>
          <dl className={formStyles.facts}>
            <dt>{t("oauth.vertex.project")}</dt>
            <dd>{result.projectId}</dd>
            <dt>{t("oauth.vertex.email")}</dt>
            <dd>{result.email}</dd>
            <dt>{t("oauth.vertex.location")}</dt>
            <dd>{result.location}</dd>
            <dt>{t("oauth.vertex.saved")}</dt>
            <dd><a href={`#/credentials?highlight=${encodeURIComponent(saved)}`}>{saved}</a></dd>
          </dl>
        </Alert>
      ) : null}
    </section>
  );
}
