import { useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { cpaLogsApi } from "../../../lib/cpa/logs";

/** Instead of an empty box: why there is no log, and the one-click fix through CPA's setter. */
export function LoggingOffNotice({ onEnabled }: { onEnabled: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  async function enable() {
    setBusy(true);
    setFailure(null);
    try {
      await cpaLogsApi.enableLoggingToFile();
      onEnabled();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Alert
      tone="warning"
      title={t("logs.off.title")}
      action={
        <Button variant="primary" onClick={() => void enable()} disabled={busy}>
          {busy ? t("logs.off.working") : t("logs.off.action")}
        </Button>
      }
    >
      <p>{t("logs.off.body")}</p>
      {failure ? <p>{t("logs.off.failed", { message: errorText(failure, t) })}</p> : null}
    </Alert>
  );
}
