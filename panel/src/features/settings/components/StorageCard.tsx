import { useEffect, useState, type FormEvent } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { TextField } from "../../../components/ui/TextField";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatBytes, formatDateTime, formatInteger } from "../../../lib/format";
import { useResource } from "../../../lib/useResource";
import { settingsApi } from "../api";
import { parseRetentionDays, type Storage } from "../logic";
import styles from "./Settings.module.css";

/** The database's size and events, and how long raw events are kept (issue 17 §4). */
export function StorageCard() {
  const { t } = useI18n();
  const storage = useResource(settingsApi.storage, []);
  return (
    <section className={styles.card} aria-labelledby="storage-title">
      <h2 id="storage-title" className={styles.cardTitle}>
        {t("retention.storage.title")}
      </h2>
      {storage.data ? <StorageFacts storage={storage.data} /> : null}
      {storage.error && !storage.data ? (
        <Alert tone="error">{t("retention.storage.loadFailed", { message: errorText(storage.error, t) })}</Alert>
      ) : null}
      {storage.data ? <RetentionForm storage={storage.data} onSaved={storage.reload} /> : null}
    </section>
  );
}

function StorageFacts({ storage }: { storage: Storage }) {
  const { t, language } = useI18n();
  const none = t("common.value.none");
  return (
    <dl className={styles.facts}>
      <dt>{t("retention.storage.size")}</dt>
      <dd>{formatBytes(storage.databaseBytes, language)}</dd>
      <dt>{t("retention.storage.events")}</dt>
      <dd>
        {t("retention.storage.eventsValue", {
          raw: formatInteger(storage.rawEvents, language),
          aggregated: formatInteger(storage.aggregatedEvents, language),
        })}
      </dd>
      <dt>{t("retention.storage.bytesPerEvent")}</dt>
      <dd>{storage.bytesPerEvent === null ? none : formatInteger(Math.round(storage.bytesPerEvent), language)}</dd>
      <dt>{t("retention.storage.oldest")}</dt>
      <dd>{storage.oldestRawEvent === null ? none : formatDateTime(storage.oldestRawEvent, language)}</dd>
      {storage.aggregatedBefore !== null ? (
        <>
          <dt>{t("retention.storage.aggregatedBefore")}</dt>
          <dd>{formatDateTime(storage.aggregatedBefore, language)}</dd>
        </>
      ) : null}
      {storage.reclaimableBytes > 0 ? (
        <>
          <dt>{t("retention.storage.reclaimable")}</dt>
          <dd>{formatBytes(storage.reclaimableBytes, language)}</dd>
        </>
      ) : null}
    </dl>
  );
}

function RetentionForm({ storage, onSaved }: { storage: Storage; onSaved: () => void }) {
  const { t } = useI18n();
  const { days, fixed, maxDays } = storage.retention;
  const [text, setText] = useState(days === null ? "" : String(days));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => setText(days === null ? "" : String(days)), [days]);

  if (fixed) {
    return <p>{days === null ? t("retention.days.fixedAll") : t("retention.days.fixed", { days })}</p>;
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const parsed = parseRetentionDays(text, maxDays);
    if (parsed === undefined) {
      setError(t("retention.days.invalid", { max: maxDays }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await settingsApi.setRetention(parsed);
      setSaved(true);
      onSaved();
    } catch (cause) {
      setError(errorText(cause, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={(event) => void save(event)} noValidate>
      <TextField
        label={t("retention.days.label")}
        inputMode="numeric"
        value={text}
        placeholder={t("retention.days.keepAll")}
        onValue={setText}
        hint={t("retention.days.hint")}
        error={error}
      />
      {saved ? <Alert tone="success">{t("retention.days.saved")}</Alert> : null}
      <div className={styles.buttons}>
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? t("retention.days.saving") : t("retention.days.save")}
        </Button>
      </div>
    </form>
  );
}
