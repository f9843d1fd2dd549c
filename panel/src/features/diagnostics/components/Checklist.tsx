import { useState } from "react";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import type { MessageKey } from "../../../i18n/en";
import { useI18n } from "../../../i18n/I18nProvider";
import type { Check, CheckAction, CheckState } from "../types";
import styles from "./Diagnostics.module.css";

const STATE_TEXT: Record<CheckState, MessageKey> = {
  ok: "diagnostics.state.ok",
  warn: "diagnostics.state.warn",
  fail: "diagnostics.state.fail",
  unknown: "diagnostics.state.unknown",
};
/** Shape as well as colour, so the state reads without colour vision. */
const STATE_ICON: Record<CheckState, string> = { ok: "✓", warn: "!", fail: "✕", unknown: "?" };

const ACTION_TEXT: Record<Exclude<CheckAction["kind"], "link">, MessageKey> = {
  enablePublishing: "diagnostics.action.enablePublishing",
  collector: "diagnostics.action.collector",
};
const COLLECTOR_ACTION_TEXT: Record<string, MessageKey> = {
  pause: "diagnostics.action.pause",
  resume: "diagnostics.action.resume",
  restart: "diagnostics.action.restart",
};

interface ChecklistProps {
  checks: readonly Check[];
  /** Runs a check's fix; resolves when done (the page then re-checks). */
  onAction: (action: CheckAction) => Promise<void>;
}

function ActionButton({ action, onAction }: { action: CheckAction; onAction: ChecklistProps["onAction"] }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (action.kind === "link") return <a href={action.href}>{t(action.label)}</a>;
  const label =
    action.kind === "collector" ? t(COLLECTOR_ACTION_TEXT[action.action] ?? ACTION_TEXT.collector) : t(ACTION_TEXT[action.kind]);
  async function run() {
    setBusy(true);
    setError(null);
    try {
      await onAction(action);
    } catch (cause) {
      setError(errorText(cause, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className={styles.action}>
      <Button variant="primary" onClick={run} disabled={busy}>
        {label}
      </Button>
      {error ? (
        <span role="alert" className={styles.actionError}>
          {error}
        </span>
      ) : null}
    </span>
  );
}

export function Checklist({ checks, onAction }: ChecklistProps) {
  const { t } = useI18n();
  return (
    <ol className={styles.list}>
      {checks.map((c) => (
        <li key={c.id} className={styles.item} data-state={c.state}>
          <span className={`${styles.icon} ${styles[c.state]}`} aria-hidden="true">
            {STATE_ICON[c.state]}
          </span>
          <div className={styles.body}>
            <h2 className={styles.title}>
              {t(c.title)} <span className={`${styles.state} ${styles[c.state]}`}>{t(STATE_TEXT[c.state])}</span>
            </h2>
            <p>{t(c.detail, c.vars)}</p>
            {c.action ? <ActionButton action={c.action} onAction={onAction} /> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
