import { useEffect, useId, useState, type FormEvent } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import type { CpaTree } from "../../../lib/cpa/client";
import { cpaLogsApi } from "../../../lib/cpa/logs";
import { ApiError } from "../../../lib/http";
import { saveBlob } from "../../../lib/saveFile";
import { sanitizeLine } from "../logic";
import styles from "./Logs.module.css";

type Shown =
  | { phase: "none" }
  | { phase: "loading"; id: string }
  | { phase: "shown"; id: string; text: string; blob: Blob; name: string }
  | { phase: "missing"; id: string }
  | { phase: "failed"; error: unknown };

/** A request's log by CPA's request id; `initialId` (from #/logs?request=…) opens at once. */
export function RequestLogCard({ tree, initialId }: { tree: CpaTree; initialId: string }) {
  const { t } = useI18n();
  const inputId = useId();
  const [id, setId] = useState(initialId);
  const [shown, setShown] = useState<Shown>({ phase: "none" });

  async function open(requestId: string) {
    const wanted = requestId.trim();
    if (wanted === "") return;
    setShown({ phase: "loading", id: wanted });
    try {
      const { blob, name } = await cpaLogsApi.requestLog(tree, wanted);
      setShown({ phase: "shown", id: wanted, text: sanitizeLine((await blob.text()).replace(/\r\n/g, "\n")), blob, name });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) setShown({ phase: "missing", id: wanted });
      else setShown({ phase: "failed", error });
    }
  }

  useEffect(() => {
    setId(initialId);
    if (initialId !== "") void open(initialId);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- open once per id named in the address
  }, [initialId, tree]);

  function submit(event: FormEvent) {
    event.preventDefault();
    void open(id);
  }

  return (
    <section className={styles.card} aria-labelledby="request-log-title">
      <h2 id="request-log-title" className={styles.cardTitle}>
        {t("logs.request.title")}
      </h2>
      <p className={styles.muted}>{t("logs.request.intro")}</p>
      <form className={styles.inline} onSubmit={submit}>
        <label className={styles.compactField} htmlFor={inputId}>
          {t("logs.request.id")}
          <input id={inputId} value={id} spellCheck={false} onChange={(event) => setId(event.target.value)} />
        </label>
        <Button type="submit">{t("logs.request.open")}</Button>
      </form>
      {shown.phase === "loading" ? <p aria-live="polite">{t("logs.request.loading")}</p> : null}
      {shown.phase === "missing" ? <Alert tone="info">{t("logs.request.notFound", { id: shown.id })}</Alert> : null}
      {shown.phase === "failed" ? <Alert tone="error">{t("logs.request.failed", { message: errorText(shown.error, t) })}</Alert> : null}
      {shown.phase === "shown" ? (
        <>
          <div className={styles.buttons}>
            <span className={styles.muted}>{shown.name}</span>
            <Button onClick={() => saveBlob(shown.blob, shown.name)}>{t("logs.request.download")}</Button>
          </div>
          <pre className={styles.full} aria-label={shown.name} tabIndex={0}>
            {shown.text}
          </pre>
        </>
      ) : null}
    </section>
  );
}
