import { useI18n } from "../../../i18n/I18nProvider";
import { countdownMessage, quotaBadge, STATE_LABELS, type CredentialQuota } from "../../../lib/quota";
import styles from "./Credentials.module.css";

/**
 * The credential's quota from CPA Manager's collector, as on the Quota page: the lowest remaining %, the state
 * when it is not plain ok, and when the tightest window resets (or, exhausted, when it is back).
 */
export function QuotaBadge({ quota, now }: { quota: CredentialQuota; now: number }) {
  const { t } = useI18n();
  const badge = quotaBadge(quota);
  const parts: string[] = [];
  if (badge.state !== "ok") parts.push(t(STATE_LABELS[badge.state]));
  if (badge.remainingPercent !== null && (badge.state === "ok" || badge.state === "exhausted")) {
    parts.push(t("quota.badge.remaining", { percent: Math.round(badge.remainingPercent * 10) / 10 }));
  }
  if (badge.resetsAtMs !== null && (badge.state === "ok" || badge.state === "exhausted")) {
    const left = countdownMessage(badge.resetsAtMs - now);
    parts.push(t(badge.state === "exhausted" ? "quota.badge.backIn" : "quota.badge.resetsIn", { when: t(left.key, left.vars) }));
  }
  const tone = badge.state === "ok" ? styles.good : badge.state === "unchecked" ? styles.muted : styles.bad;
  return (
    <span className={`${styles.message} ${tone ?? ""}`} role="group" aria-label={t("quota.badge.label")}>
      {t("quota.badge.label")}: {parts.join(" · ")}
    </span>
  );
}
