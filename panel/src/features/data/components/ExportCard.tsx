import { useId, useState, type FormEvent } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatBytes, formatDateTime } from "../../../lib/format";
import { saveBlob } from "../../../lib/saveFile";
import { coverageOfExport, dataApi } from "../api";
import { exportQuery, filenameFromDisposition, FORMAT_LABELS, RANGE_LABELS } from "../logic";
import { EXPORT_FORMATS, EXPORT_RANGES, type ExportChoice } from "../types";
import styles from "./Data.module.css";

type Outcome =
  | {
      ok: true;
      name: string;
      size: number;
      coverage: { count: number; note: string } | null;
      aggregatedBefore: number | null;
    }
  | { ok: false; text: string };

export function ExportCard() {
  const { t, language } = useI18n();
  const ids = useId();
  const [choice, setChoice] = useState<ExportChoice>({ range: "all", format: "jsonl", startDate: "", endDate: "" });
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const built = exportQuery(choice, Date.now());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const query = exportQuery(choice, Date.now());
    if (!query.ok) {
      setOutcome({ ok: false, text: t(query.error) });
      return;
    }
    setBusy(true);
    setOutcome(null);
    try {
      const { blob, contentDisposition, headers, aggregatedBefore } = await dataApi.exportFile(query.query);
      const name = filenameFromDisposition(contentDisposition, choice.format);
      saveBlob(blob, name);
      setOutcome({ ok: true, name, size: blob.size, coverage: coverageOfExport(headers), aggregatedBefore });
    } catch (error) {
      setOutcome({ ok: false, text: t("data.export.failed", { message: errorText(error, t) }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.card} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className={styles.cardTitle}>
        {t("data.export.title")}
      </h2>
      <p className={styles.muted}>{t("data.export.intro")}</p>
      <form onSubmit={(event) => void submit(event)} className={styles.form} noValidate>
        <fieldset className={styles.fieldset}>
          <legend>{t("data.export.range")}</legend>
          {EXPORT_RANGES.map((range) => (
            <label key={range} className={styles.choice}>
              <input
                type="radio"
                name={`${ids}-range`}
                value={range}
                checked={choice.range === range}
                onChange={() => setChoice((c) => ({ ...c, range }))}
              />
              {t(RANGE_LABELS[range])}
            </label>
          ))}
        </fieldset>
        {choice.range === "custom" ? (
          <div className={styles.dates}>
            <label className={styles.field}>
              {t("data.export.start")}
              <input
                type="date"
                value={choice.startDate}
                max={choice.endDate || undefined}
                onChange={(event) => setChoice((c) => ({ ...c, startDate: event.target.value }))}
              />
            </label>
            <label className={styles.field}>
              {t("data.export.end")}
              <input
                type="date"
                value={choice.endDate}
                min={choice.startDate || undefined}
                onChange={(event) => setChoice((c) => ({ ...c, endDate: event.target.value }))}
              />
            </label>
          </div>
        ) : null}
        <fieldset className={styles.fieldset}>
          <legend>{t("data.export.format")}</legend>
          {EXPORT_FORMATS.map((format) => (
            <label key={format} className={styles.choice}>
              <input
                type="radio"
                name={`${ids}-format`}
                value={format}
                checked={choice.format === format}
                onChange={() => setChoice((c) => ({ ...c, format }))}
              />
              {t(FORMAT_LABELS[format])}
            </label>
          ))}
        </fieldset>
        <div className={styles.row}>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? t("data.export.working") : t("data.export.submit")}
          </Button>
          {!built.ok && choice.range === "custom" && choice.startDate && choice.endDate ? (
            <span className={styles.error}>{t(built.error)}</span>
          ) : null}
        </div>
      </form>
      {outcome?.ok === true ? (
        <>
          <Alert tone="success">
            {t("data.export.done", { name: outcome.name, size: formatBytes(outcome.size, language) })}
            {outcome.aggregatedBefore !== null
              ? ` ${t("retention.aggregated.export", { time: formatDateTime(outcome.aggregatedBefore, language) })}`
              : null}
          </Alert>
          {outcome.coverage ? (
            <Alert tone="warning" title={t("coverage.band.legend")}>
              {t("coverage.export.note", { count: outcome.coverage.count, note: outcome.coverage.note })}
            </Alert>
          ) : null}
        </>
      ) : outcome?.ok === false ? (
        <Alert tone="error">{outcome.text}</Alert>
      ) : null}
    </section>
  );
}
