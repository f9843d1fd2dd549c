import { useI18n } from "../../../i18n/I18nProvider";
import { countdownMessage, quotaBadge, showsWindows, STATE_LABELS, stateTone, type CredentialQuota } from "../../../lib/quota";
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
  if (badge.remainingPercent !== null && showsWindows(badge.state)) {
    parts.push(t("quota.badge.remaining", { percent: Math.round(badge.remainingPercent * 10) / 10 }));
  }
  if (badge.resetsAtMs !== null && showsWindows(badge.state)) {
    const left = countdownMessage(badge.resetsAtMs - now);
    parts.push(t(badge.state === "exhausted" ? "quota.badge.backIn" : "quota.badge.resetsIn", { when: t(left.key, left.vars) }));
  }
  const tone = styles[stateTone(badge.state)];
  return (
    <span className={`${styles.message} ${tone ?? ""}`} data-state={badge.state} role="group" aria-label={t("quota.badge.label")}>
      {t("quota.badge.label")}: {parts.join(" · ")}
    </span>
  );
}
