import { useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { dashboardApi } from "../api";

/** Shown when CPA reports usage-statistics-enabled: false; one click turns it on through our proxy. */
export function UsageOffBanner({ onEnabled }: { onEnabled: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function enable() {
    setBusy(true);
    setError(null);
    try {
      await dashboardApi.enableUsageStatistics();
      onEnabled();
    } catch (cause) {
      setError(t("dashboard.usageOff.failed", { message: errorText(cause, t) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Alert
      tone={error ? "error" : "warning"}
      title={t("dashboard.usageOff.title")}
      action={
        <Button variant="primary" onClick={enable} disabled={busy}>
          {busy ? t("dashboard.usageOff.working") : t("dashboard.usageOff.action")}
        </Button>
      }
    >
      <p>{t("dashboard.usageOff.body")}</p>
      {error ? <p>{error}</p> : null}
    </Alert>
  );
}
