import { useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { useConnection } from "../../../lib/connection";
import type { CpaCapabilities } from "../../../lib/cpa/capabilities";
import { saveText } from "../../../lib/saveFile";
import { collectBundle } from "../api";
import { bundleFileName, storageKeys, uiSettingKeys } from "../logic";
import styles from "./System.module.css";

type Outcome = { tone: "success" | "info" | "error"; text: string } | null;

export function ToolsCard({ capabilities, onClearLogin }: { capabilities: CpaCapabilities | null; onClearLogin: () => void }) {
  const { t } = useI18n();
  const connection = useConnection();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  function resetUi() {
    for (const key of uiSettingKeys(storageKeys(window.localStorage))) window.localStorage.removeItem(key);
    setOutcome({ tone: "success", text: t("system.tools.resetDone") });
    // Theme and language are read once at start: a reload applies the defaults everywhere.
    window.location.reload();
  }

  async function bundle() {
    setBusy(true);
    setOutcome(null);
    try {
      const text = await collectBundle({ mode: connection.mode, usageServiceUrl: connection.usageServiceUrl, capabilities, t });
      const name = bundleFileName(new Date());
      saveText(text, name);
      try {
        await navigator.clipboard.writeText(text);
        setOutcome({ tone: "success", text: t("system.bundle.done", { name }) });
      } catch {
        setOutcome({ tone: "info", text: t("system.bundle.savedOnly", { name }) });
      }
    } catch (error) {
      setOutcome({ tone: "error", text: t("system.bundle.failed", { message: errorText(error, t) }) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={styles.card} aria-labelledby="tools-title">
      <h2 id="tools-title" className={styles.cardTitle}>
        {t("system.tools.title")}
      </h2>
      <div className={styles.tool}>
        <Button variant="primary" onClick={() => void bundle()} disabled={busy}>
          {busy ? t("system.bundle.working") : t("system.bundle.action")}
        </Button>
        <span className={styles.muted}>{t("system.bundle.hint")}</span>
      </div>
      {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}
      <div className={styles.tool}>
        <Button onClick={onClearLogin}>{t("system.tools.clearLogin")}</Button>
        <span className={styles.muted}>{t("system.tools.clearLoginHint")}</span>
      </div>
      <div className={styles.tool}>
        <Button onClick={resetUi}>{t("system.tools.resetUi")}</Button>
        <span className={styles.muted}>{t("system.tools.resetUiHint")}</span>
      </div>
    </section>
  );
}
