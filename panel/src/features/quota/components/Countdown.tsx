import { useI18n } from "../../../i18n/I18nProvider";
import { countdownMessage } from "../../../lib/quota";
import { useNow } from "../hooks/useNow";
import styles from "./Quota.module.css";

/** Messages that take the time left as {when}. */
export type CountdownMessage = "quota.card.resetsIn" | "quota.card.rateLimited" | "quota.badge.resetsIn" | "quota.badge.backIn";

/** "resets in 2 h 14 min", live: it alone re-renders every second. */
export function Countdown({ atMs, message }: { atMs: number; message: CountdownMessage }) {
  const { t } = useI18n();
  const now = useNow();
  const left = countdownMessage(atMs - now);
  // One phrase: "resets in 3 d 1 h" never breaks between its number and unit.
  return <span className={styles.countdown}>{t(message, { when: t(left.key, left.vars) })}</span>;
}
