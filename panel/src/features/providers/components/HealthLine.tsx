import { useState } from "react";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatInteger } from "../../../lib/format";
import { fetchLastReason, type HealthByIndex } from "../api";
import styles from "./Providers.module.css";

/** What our usage data says about one credential over the last 24 hours. */
export type HealthSource = { kind: "none" } | { kind: "loading" } | { kind: "failed" } | { kind: "ready"; byIndex: HealthByIndex };

export function HealthLine({ authIndex, source }: { authIndex: string | null; source: HealthSource }) {
  const { t, language } = useI18n();
  const [reason, setReason] = useState<string | null>(null);
  const showReason = (index: string) => {
    setReason(t("common.status.loading"));
    fetchLastReason(index).then(
      (text) => setReason(text ?? t("providers.health.noReason")),
      (error: unknown) => setReason(errorText(error, t)),
    );
  };
  let why: string | null = null;
  let text: string;
  let tone = styles.muted;
  if (source.kind === "none") text = t("providers.health.noService");
  else if (source.kind === "loading") text = t("common.status.loading");
  else if (source.kind === "failed") text = t("providers.health.failed");
  else if (!authIndex) text = t("providers.health.unregistered");
  else {
    const health = source.byIndex.get(authIndex);
    if (!health || health.requests === 0) text = t("providers.health.idle");
    else {
      text = t("providers.health.counts", { requests: formatInteger(health.requests, language), failures: formatInteger(health.failures, language) });
      tone = health.failures > 0 ? styles.bad : styles.good;
      if (health.lastError) {
        const at = new Date(health.lastError.at).toLocaleString(language);
        text += " " + t("providers.health.lastError", { status: health.lastError.status === null ? "—" : String(health.lastError.status), at });
        why = authIndex;
      }
    }
  }
  return (
    <span className={`${styles.health} ${tone}`}>
      {text}
      {why && reason === null ? (
        <Button variant="ghost" className={styles.small} onClick={() => showReason(why)}>
          {t("providers.health.why")}
        </Button>
      ) : null}
      {reason !== null ? <span className={styles.reason}> {reason}</span> : null}
    </span>
  );
}
