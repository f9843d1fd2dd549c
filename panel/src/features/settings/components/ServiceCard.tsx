import { useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatBytes } from "../../../lib/format";
import type { MessageKey } from "../../../i18n/en";
import {
  controlCollector,
  STATE_LABELS,
  type CollectorAction,
  type KeyStore,
  type ServiceStatus,
} from "../../../lib/serviceStatus";
import styles from "./Settings.module.css";

const ACTIONS: readonly { action: CollectorAction; label: "settings.service.pause" | "settings.service.resume" | "settings.service.restart" }[] = [
  { action: "pause", label: "settings.service.pause" },
  { action: "resume", label: "settings.service.resume" },
  { action: "restart", label: "settings.service.restart" },
];

const KEY_STORE_LABELS: Record<KeyStore, MessageKey> = {
  "credential-store": "settings.keyStore.credentialStore",
  database: "settings.keyStore.database",
  environment: "settings.keyStore.environment",
  none: "settings.keyStore.none",
  unknown: "common.value.none",
};

/** The usage service itself: collection controls (the tray menu's, through the same service calls) and its files. */
export function ServiceCard({ status, onChanged }: { status: ServiceStatus; onChanged: () => void }) {
  const { t, language } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const c = status.collector;

  async function run(action: CollectorAction) {
    setBusy(true);
    setError(null);
    try {
      await controlCollector(action);
      onChanged();
    } catch (cause) {
      setError(errorText(cause, t));
    } finally {
      setBusy(false);
    }
  }

  const enabled = (action: CollectorAction) =>
    action === "pause" ? c.state === "running" || c.state === "error" : action === "resume" ? c.state === "paused" : true;

  return (
    <section className={styles.card} aria-labelledby="service-title">
      <h2 id="service-title" className={styles.cardTitle}>
        {t("settings.service.title", { version: status.version })}
      </h2>
      <dl className={styles.facts}>
        <dt>{t("settings.service.collector")}</dt>
        <dd>{t(STATE_LABELS[c.state], { state: c.rawState })}</dd>
        <dt>{t("settings.service.upstream")}</dt>
        <dd className={styles.mono}>{c.upstream || t("common.value.none")}</dd>
        <dt>{t("settings.service.database")}</dt>
        <dd>
          <span className={styles.mono}>{status.paths.database || t("common.value.none")}</span>{" "}
          {t("settings.service.databaseSize", { size: formatBytes(status.dbSizeBytes, language), events: status.events })}
        </dd>
        <dt>{t("settings.service.config")}</dt>
        <dd className={styles.mono}>{status.paths.config || t("common.value.none")}</dd>
        <dt>{t("settings.service.logs")}</dt>
        <dd className={styles.mono}>{status.paths.logs || t("common.value.none")}</dd>
        <dt>{t("settings.keyStore.label")}</dt>
        <dd>{t(KEY_STORE_LABELS[status.keyStore], { name: status.keyStoreName })}</dd>
        <dt>{t("settings.service.storage")}</dt>
        <dd>{status.paths.portable ? t("settings.service.portable") : t("settings.service.userData")}</dd>
      </dl>
      <div className={styles.buttons}>
        {ACTIONS.map(({ action, label }) => (
          <Button key={action} onClick={() => void run(action)} disabled={busy || !enabled(action)}>
            {t(label)}
          </Button>
        ))}
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
    </section>
  );
}
