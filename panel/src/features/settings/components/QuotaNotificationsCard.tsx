import { useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { useResource } from "../../../lib/useResource";
import { settingsApi, type QuotaNotifications } from "../api";
import styles from "./Settings.module.css";

const SWITCHES: readonly {
  name: keyof QuotaNotifications;
  label: "settings.quotaNotifications.onReset" | "settings.quotaNotifications.onProviderExhausted";
}[] = [
  { name: "onReset", label: "settings.quotaNotifications.onReset" },
  { name: "onProviderExhausted", label: "settings.quotaNotifications.onProviderExhausted" },
];

/** The tray's opt-in quota notifications; both are off until the user turns them on here. */
export function QuotaNotificationsCard() {
  const { t } = useI18n();
  const saved = useResource(settingsApi.quotaNotifications, []);
  const [value, setValue] = useState<QuotaNotifications | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = value ?? saved.data;

  async function change(name: keyof QuotaNotifications, on: boolean) {
    if (!shown) return;
    const before = shown;
    // The box follows the click at once; a failed save puts it back.
    setValue({ ...before, [name]: on });
    setBusy(true);
    setError(null);
    try {
      setValue(await settingsApi.setQuotaNotifications({ [name]: on }));
    } catch (cause) {
      setValue(before);
      setError(errorText(cause, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={styles.card} aria-labelledby="quota-notifications-title">
      <h2 id="quota-notifications-title" className={styles.cardTitle}>
        {t("settings.quotaNotifications.title")}
      </h2>
      <p className={styles.muted}>{t("settings.quotaNotifications.intro")}</p>
      {saved.error && !shown ? (
        <Alert tone="error">{t("settings.quotaNotifications.loadFailed", { message: errorText(saved.error, t) })}</Alert>
      ) : null}
      {shown ? (
        <div className={styles.form}>
          {SWITCHES.map(({ name, label }) => (
            <label key={name} className={styles.check}>
              <input
                type="checkbox"
                checked={shown[name]}
                disabled={busy}
                onChange={(e) => void change(name, e.target.checked)}
              />{" "}
              {t(label)}
            </label>
          ))}
        </div>
      ) : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
    </section>
  );
}
