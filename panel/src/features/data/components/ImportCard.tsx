import { useId, useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatBytes, formatInteger } from "../../../lib/format";
import { dataApi, rejectionOf, type ImportRejection } from "../api";
import { KIND_LABELS, previewImport } from "../logic";
import type { ImportPreview, ImportReport } from "../types";
import styles from "./Data.module.css";
import { DropZone } from "./DropZone";
import { ImportReportView } from "./ImportReportView";

type Phase =
  | { step: "choose" }
  | { step: "reading" }
  | { step: "preview"; file: File; preview: ImportPreview }
  | { step: "importing"; file: File; preview: ImportPreview }
  | { step: "rejected"; file: File; preview: ImportPreview; rejection: ImportRejection; skippedInvalid: boolean }
  | { step: "done"; report: ImportReport };

export function ImportCard() {
  const { t, language } = useI18n();
  const ids = useId();
  const [phase, setPhase] = useState<Phase>({ step: "choose" });
  const [error, setError] = useState<string | null>(null);

  const choose = async (file: File) => {
    setError(null);
    setPhase({ step: "reading" });
    try {
      const text = await file.text();
      setPhase({ step: "preview", file, preview: previewImport(file.name, file.size, text) });
    } catch (cause) {
      setPhase({ step: "choose" });
      setError(t("data.import.readFailed", { message: errorText(cause, t) }));
    }
  };

  const send = async (file: File, preview: ImportPreview, skipInvalid: boolean) => {
    setError(null);
    setPhase({ step: "importing", file, preview });
    try {
      const report = await dataApi.importFile(file, file.name, skipInvalid);
      setPhase({ step: "done", report });
    } catch (cause) {
      const rejection = rejectionOf(cause);
      if (rejection) {
        setPhase({ step: "rejected", file, preview, rejection, skippedInvalid: skipInvalid });
      } else {
        setPhase({ step: "preview", file, preview });
        setError(t("data.import.failed", { message: errorText(cause, t) }));
      }
    }
  };

  const reset = () => {
    setError(null);
    setPhase({ step: "choose" });
  };

  const previewing = phase.step === "preview" || phase.step === "importing" || phase.step === "rejected";

  return (
    <section className={styles.card} aria-labelledby={`${ids}-title`} aria-busy={phase.step === "reading" || phase.step === "importing"}>
      <h2 id={`${ids}-title`} className={styles.cardTitle}>
        {t("data.import.title")}
      </h2>
      <p className={styles.muted}>{t("data.import.intro")}</p>

      {phase.step === "choose" ? <DropZone disabled={false} onFile={(file) => void choose(file)} /> : null}
      {phase.step === "reading" ? <p aria-live="polite">{t("data.import.reading")}</p> : null}

      {previewing ? (
        <>
          <h3 className={styles.subTitle}>{t("data.import.previewTitle")}</h3>
          <dl className={styles.facts}>
            <dt>{t("data.import.fileName")}</dt>
            <dd>{phase.preview.name}</dd>
            <dt>{t("data.import.fileSize")}</dt>
            <dd>{formatBytes(phase.preview.size, language)}</dd>
            <dt>{t("data.import.kind")}</dt>
            <dd>{t(KIND_LABELS[phase.preview.kind])}</dd>
            {phase.preview.kind === "jsonl" ? (
              <>
                <dt>{t("data.import.lines")}</dt>
                <dd>{formatInteger(phase.preview.lines, language)}</dd>
              </>
            ) : null}
          </dl>
          {phase.preview.legacySnapshot ? (
            <Alert tone="warning" title={t("data.import.legacyTitle")}>
              {t("data.import.legacy")}
            </Alert>
          ) : null}
          {phase.preview.unexpectedExtension ? <Alert tone="warning">{t("data.import.extension")}</Alert> : null}
          {phase.preview.kind === "empty" ? <Alert tone="warning">{t("data.import.emptyWarning")}</Alert> : null}
          {phase.preview.kind === "unknown" ? <Alert tone="warning">{t("data.import.unknownWarning")}</Alert> : null}

          {phase.step === "rejected" ? (
            <Alert
              tone="error"
              title={t("data.import.rejectedTitle")}
            >
              <p>{phase.rejection.message}</p>
              {phase.skippedInvalid || phase.rejection.report.failed === 0 ? null : (
                <p className={styles.row}>
                  <Button variant="primary" onClick={() => void send(phase.file, phase.preview, true)}>
                    {t("data.import.skipInvalid")}
                  </Button>
                </p>
              )}
              <ImportReportView report={phase.rejection.report} />
            </Alert>
          ) : null}

          <div className={styles.row}>
            {phase.step !== "rejected" ? (
              <Button
                variant="primary"
                disabled={phase.step === "importing" || phase.preview.kind === "empty"}
                onClick={() => void send(phase.file, phase.preview, false)}
              >
                {phase.step === "importing" ? t("data.import.working") : t("data.import.submit")}
              </Button>
            ) : null}
            <Button variant="ghost" disabled={phase.step === "importing"} onClick={reset}>
              {t("data.import.cancel")}
            </Button>
          </div>
        </>
      ) : null}

      {error ? <Alert tone="error">{error}</Alert> : null}

      {phase.step === "done" ? (
        <>
          <Alert tone={phase.report.failed > 0 || phase.report.warnings.length > 0 ? "warning" : "success"} title={t("data.report.title")}>
            <ImportReportView report={phase.report} />
          </Alert>
          <div className={styles.row}>
            <Button onClick={reset}>{t("data.import.cancel")}</Button>
          </div>
        </>
      ) : null}
    </section>
  );
}
