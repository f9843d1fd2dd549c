import { useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import { Page } from "../../components/ui/Page";
import { useI18n } from "../../i18n/I18nProvider";
import { useResource } from "../../lib/useResource";
import { alertsApi } from "./api";
import { AlertList } from "./components/AlertList";
import styles from "./components/Alerts.module.css";
import { AlertSettingsForm } from "./components/AlertSettingsForm";
import { sortAlerts } from "./logic";

// The watch thread judges every 15 s; the list follows at that pace.
const REFRESH_MS = 15_000;

export function AlertsPage() {
  const { t } = useI18n();
  const alerts = useResource(() => alertsApi.list(), [], REFRESH_MS);
  const settings = useResource(() => alertsApi.settings(), []);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const acknowledge = async (id: number) => {
    setBusyId(id);
    setActionError(null);
    try {
      await alertsApi.acknowledge(id);
      alerts.reload();
    } catch (error) {
      setActionError(t("alerts.action.acknowledgeFailed", { message: errorText(error, t) }));
    } finally {
      setBusyId(null);
    }
  };

  const list = alerts.data ? sortAlerts(alerts.data) : null;
  const openCount = list ? list.filter((alert) => alert.open).length : 0;
  return (
    <Page title={t("alerts.page.title")} intro={t("alerts.page.intro")}>

      <section className={styles.card} aria-labelledby="alerts-list-title" aria-busy={alerts.loading}>
        <div className={styles.cardHeader}>
          <h2 id="alerts-list-title" className={styles.cardTitle}>
            {t("alerts.list.title")}
          </h2>
          {list ? (
            <span className={styles.muted} role="status">
              {t("alerts.list.summary", { count: openCount })}
            </span>
          ) : null}
        </div>
        {actionError ? <Alert tone="error">{actionError}</Alert> : null}
        {alerts.error && !list ? (
          <Alert tone="error" action={<Button onClick={alerts.reload}>{t("common.action.retry")}</Button>}>
            {t("alerts.page.loadFailed", { message: errorText(alerts.error, t) })}
          </Alert>
        ) : !list ? (
          <p aria-live="polite">{t("common.status.loading")}</p>
        ) : (
          <AlertList alerts={list} nowMs={Date.now()} busyId={busyId} onAcknowledge={(id) => void acknowledge(id)} />
        )}
      </section>

      <section className={styles.card} aria-labelledby="alerts-settings-title">
        <h2 id="alerts-settings-title" className={styles.cardTitle}>
          {t("alerts.settings.title")}
        </h2>
        {settings.error && !settings.data ? (
          <Alert tone="error" action={<Button onClick={settings.reload}>{t("common.action.retry")}</Button>}>
            {t("alerts.settings.loadFailed", { message: errorText(settings.error, t) })}
          </Alert>
        ) : !settings.data ? (
          <p aria-live="polite">{t("common.status.loading")}</p>
        ) : (
          <AlertSettingsForm
            settings={settings.data}
            onSaved={() => {
              settings.reload();
              alerts.reload();
            }}
          />
        )}
      </section>
    </Page>
  );
}
