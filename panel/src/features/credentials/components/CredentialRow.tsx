import { memo } from "react";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatCompact, formatInteger, formatRelativeTime, formatUsd } from "../../../lib/format";
import type { CredentialQuota } from "../../../lib/quota";
import { hasProblem } from "../logic";
import type { Row, UsageFigures } from "../types";
import styles from "./Credentials.module.css";
import { QuotaBadge } from "./QuotaBadge";

export interface RowActions {
  toggle: (name: string, disable: boolean) => void;
  download: (name: string) => void;
  remove: (name: string) => void;
  models: (name: string) => void;
  edit: (name: string) => void;
}

interface Props {
  index: number;
  top: number;
  height: number;
  row: Row;
  selected: boolean;
  onToggleSelect: (name: string) => void;
  actions: RowActions;
  busy: boolean;
  highlighted: boolean;
  hasUsageService: boolean;
  /** CPA Manager's latest quota reading for this credential, when its service has one. */
  quota: CredentialQuota | null;
}

function Figures({ label, figures, locale }: { label: string; figures: UsageFigures; locale: string }) {
  const { t } = useI18n();
  return (
    <span className={styles.figures} role="group" aria-label={label}>
      <span className={styles.figureLabel}>{label}</span>
      <span>{t("credentials.usage.requests", { count: figures.requests, value: formatInteger(figures.requests, locale) })}</span>
      <span className={figures.failures > 0 ? styles.bad : undefined}>
        {t("credentials.usage.failures", { count: figures.failures, value: formatInteger(figures.failures, locale) })}
      </span>
      <span>{t("credentials.usage.tokens", { value: formatCompact(figures.tokens, locale) })}</span>
      <span>{formatUsd(figures.costUsd, locale)}</span>
    </span>
  );
}

function statusTone(row: Row): string {
  const c = row.credential;
  if (c.disabled) return styles.muted ?? "";
  if (hasProblem(c)) return styles.bad ?? "";
  return styles.good ?? "";
}

export const CredentialRow = memo(function CredentialRow(props: Props) {
  const { index, top, height, row, selected, onToggleSelect, actions, busy, highlighted, hasUsageService, quota } = props;
  const { t, language } = useI18n();
  const c = row.credential;
  const now = Date.now();
  const retry = c.nextRetryMs !== null ? formatRelativeTime(c.nextRetryMs, now, language) : null;
  const usage = row.usage;
  let lastUsed = t("credentials.usage.never");
  if (usage?.lastUsedMs != null) lastUsed = formatRelativeTime(usage.lastUsedMs, now, language) ?? lastUsed;
  else if (usage?.lastHourMs != null) {
    const when = formatRelativeTime(usage.lastHourMs, now, language);
    if (when) lastUsed = t("credentials.usage.aboutHour", { when });
  } else if (usage?.usedWithin === "day") lastUsed = t("credentials.usage.within24h");
  else if (usage?.usedWithin === "week") lastUsed = t("credentials.usage.within7d");
  const zero = { requests: 0, failures: 0, tokens: 0, costUsd: 0 };

  return (
    <div
      role="listitem"
      aria-label={c.name}
      data-index={index}
      tabIndex={-1}
      className={`${styles.row} ${highlighted ? styles.highlight : ""} ${selected ? styles.selectedRow : ""}`}
      style={{ transform: `translateY(${top}px)`, height }}
    >
      <input
        type="checkbox"
        checked={selected}
        onChange={() => onToggleSelect(c.name)}
        aria-label={t("credentials.row.select", { name: c.name })}
      />
      <div className={styles.identity}>
        <span className={styles.name} title={c.name}>
          {c.name}
        </span>
        <span className={styles.meta}>
          <span className={styles.chip}>{c.provider}</span>
          {c.label !== c.name ? <span>{c.label}</span> : null}
          {c.plan ? <span>{t("credentials.row.plan", { plan: c.plan })}</span> : null}
          {c.priority !== null ? <span>{t("credentials.row.priority", { value: c.priority })}</span> : null}
        </span>
      </div>
      <div className={styles.state}>
        <span className={statusTone(row)}>
          {c.disabled ? t("credentials.status.disabled") : c.unavailable ? t("credentials.status.cooling") : c.status}
        </span>
        {c.statusMessage ? <span className={styles.message} title={c.statusMessage}>{c.statusMessage}</span> : null}
        {retry ? <span className={styles.message}>{t("credentials.row.nextRetry", { when: retry })}</span> : null}
        {quota ? <QuotaBadge quota={quota} now={now} /> : null}
      </div>
      {hasUsageService ? (
        <div className={styles.usage}>
          <Figures label={t("credentials.usage.day")} figures={usage?.day ?? zero} locale={language} />
          <Figures label={t("credentials.usage.week")} figures={usage?.week ?? zero} locale={language} />
          <span className={styles.message}>{t("credentials.usage.lastUsed", { when: lastUsed })}</span>
        </div>
      ) : null}
      <div className={styles.actions}>
        <button type="button" disabled={busy} onClick={() => actions.toggle(c.name, !c.disabled)}>
          {c.disabled ? t("credentials.row.enable") : t("credentials.row.disable")}
        </button>
        <button type="button" disabled={c.runtimeOnly} onClick={() => actions.download(c.name)} aria-label={t("credentials.row.downloadNamed", { name: c.name })}>
          {t("credentials.row.download")}
        </button>
        <button type="button" onClick={() => actions.models(c.name)}>{t("credentials.row.models")}</button>
        <button type="button" onClick={() => actions.edit(c.name)}>{t("credentials.row.edit")}</button>
        <button type="button" disabled={busy || c.runtimeOnly} className={styles.danger} onClick={() => actions.remove(c.name)}>
          {t("credentials.row.delete")}
        </button>
      </div>
    </div>
  );
});
