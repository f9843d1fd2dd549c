import { memo } from "react";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatCompact, formatMoney, formatRelativeTime } from "../../../lib/format";
import { cardState, STATE_LABELS, stateTone, type CredentialQuota, type QuotaWindow, type WindowUsage } from "../../../lib/quota";
import { displayName, MAX_WINDOWS_SHOWN, windowLabel } from "../logic";
import { Countdown } from "./Countdown";
import { Sparkline } from "./Sparkline";
import styles from "./Quota.module.css";

interface Props {
  card: CredentialQuota;
  usage: WindowUsage[] | undefined;
  history: ReadonlyMap<string, (number | null)[]> | undefined;
  busy: boolean;
  onRefresh: (authIndex: string) => void;
  onShowSample: (authIndex: string) => void;
}

function WindowRow({ window, usage }: { window: QuotaWindow; usage: WindowUsage | undefined }) {
  const { t, language } = useI18n();
  const label = windowLabel(window.key);
  const used = Math.min(100, Math.max(0, window.usedPercent));
  const tone = used >= 100 ? styles.full : used >= 80 ? styles.high : styles.low;
  return (
    <li className={styles.window}>
      <div className={styles.windowHead}>
        <span className={styles.windowName}>{t(label.key, label.vars)}</span>
        <span>{t("quota.card.used", { percent: Math.round(window.usedPercent * 10) / 10 })}</span>
      </div>
      <div className={styles.bar} aria-hidden="true">
        <div className={`${styles.fill} ${tone}`} style={{ width: `${used}%` }} />
      </div>
      <div className={styles.windowFoot}>
        {window.resetsAtMs !== null ? <Countdown atMs={window.resetsAtMs} message="quota.card.resetsIn" /> : <span>{t("quota.card.resetUnknown")}</span>}
        {usage ? (
          <span className={styles.windowUsage}>
            {/* Each item is one unbreakable phrase, so a narrow card wraps between them, never inside one. */}
            <span>{t("quota.card.windowUsage")}</span>{" "}
            <span>{t("quota.card.requests", { count: usage.requests })}</span>{" · "}
            <span>{t("quota.card.tokens", { tokens: formatCompact(usage.tokens, language) })}</span>{" · "}
            {/* Money, like the budgets: two decimals, "< $0.01" under a cent (not "$0.2046"). */}
            <span>{formatMoney(usage.costUsd, language)}</span>
          </span>
        ) : null}
      </div>
    </li>
  );
}

function StateNote({ card }: { card: CredentialQuota }) {
  const { t } = useI18n();
  const state = cardState(card);
  const detail = card.reading?.detail ?? "";
  if (state === "rejected") return <p className={styles.note}>{t("quota.card.rejected", { detail })}</p>;
  if (state === "rateLimited") {
    return <p className={styles.note}>{card.nextCheckMs !== null ? <Countdown atMs={card.nextCheckMs} message="quota.card.rateLimited" /> : t("quota.card.rateLimitedLater")}</p>;
  }
  if (state === "failed") return <p className={styles.note}>{t("quota.card.failed", { detail })}</p>;
  if (state === "unrecognised") return <p className={styles.note}>{t("quota.card.unrecognised")}</p>;
  if (state === "unchecked") return <p className={styles.note}>{t("quota.card.unchecked")}</p>;
  return null;
}

export const QuotaCard = memo(function QuotaCard({ card, usage, history, busy, onRefresh, onShowSample }: Props) {
  const { t, language } = useI18n();
  const state = cardState(card);
  const name = displayName(card);
  const windows = card.reading?.windows ?? [];
  const shown = windows.slice(0, MAX_WINDOWS_SHOWN);
  const lines = shown.flatMap((w): [string, (number | null)[]][] => {
    const values = history?.get(w.key);
    return values ? [[w.key, values]] : [];
  });
  const checked = card.reading ? formatRelativeTime(card.reading.atMs, Date.now(), language) : null;
  return (
    <article className={styles.card} aria-label={name} data-state={state}>
      <header className={styles.cardHead}>
        <span className={styles.name} title={name}>{name}</span>
        <span className={`${styles.state} ${styles[`tone_${stateTone(state)}`] ?? ""}`}>{t(STATE_LABELS[state])}</span>
      </header>
      <p className={styles.meta}>
        {card.reading?.plan ? <span>{t("quota.card.plan", { plan: card.reading.plan })}</span> : null}
        {checked ? <span>{t("quota.card.checked", { when: checked })}</span> : null}
        {!card.polled ? <span>{t("quota.card.notPolled")}</span> : null}
      </p>
      <StateNote card={card} />
      {shown.length ? (
        <ul className={styles.windows} aria-label={t("quota.card.windows")}>
          {shown.map((w) => <WindowRow key={w.key} window={w} usage={usage?.find((u) => u.window === w.key)} />)}
        </ul>
      ) : null}
      {windows.length > shown.length ? <p className={styles.meta}>{t("quota.card.moreWindows", { count: windows.length - shown.length })}</p> : null}
      <div className={styles.cardFoot}>
        <Sparkline lines={lines} />
        <div className={styles.actions}>
          {state === "unrecognised" ? (
            <button type="button" onClick={() => onShowSample(card.authIndex)}>{t("quota.card.showSample")}</button>
          ) : null}
          <button type="button" disabled={busy} onClick={() => onRefresh(card.authIndex)} aria-label={t("quota.card.refreshNamed", { name })}>
            {t("quota.card.refresh")}
          </button>
        </div>
      </div>
    </article>
  );
});
