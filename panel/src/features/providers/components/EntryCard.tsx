import { useState } from "react";
import { Button } from "../../../components/ui/Button";
import { SecretValue } from "../../../components/ui/SecretValue";
import { useI18n } from "../../../i18n/I18nProvider";
import type { Family, ProviderEntry } from "../../../lib/cpa/providers";
import { useUpstreamCheck } from "../hooks/useUpstreamCheck";
import { maskSecret } from "../logic";
import { CheckResult } from "./CheckResult";
import { HealthLine, type HealthSource } from "./HealthLine";
import styles from "./Providers.module.css";

interface EntryCardProps {
  family: Family;
  entry: ProviderEntry;
  /** "Codex key 2" or "OpenAI-compatible openrouter": names the card and its buttons. */
  label: string;
  health: HealthSource;
  busy: boolean;
  onEdit: () => void;
  onDelete: () => void;
}

export function EntryCard({ family, entry, label, health, busy, onEdit, onDelete }: EntryCardProps) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const { state, run } = useUpstreamCheck(family);
  const secretLabels = { reveal: t("providers.secret.reveal"), hide: t("providers.secret.hide"), copy: t("providers.secret.copy"), copied: t("providers.secret.copied") };
  const firstKey = entry.kind === "compat" ? entry.keys[0] : entry;
  const test = () => void run({ baseUrl: entry.baseUrl, apiKey: firstKey?.apiKey ?? "", authIndex: firstKey?.authIndex ?? entry.authIndex });
  const facts: [string, string][] = [
    [t("providers.card.baseUrl"), entry.baseUrl || t("providers.card.defaultUrl")],
    ...(entry.prefix ? ([[t("providers.form.prefix"), entry.prefix]] as [string, string][]) : []),
    ...(entry.priority !== null ? ([[t("providers.form.priority"), String(entry.priority)]] as [string, string][]) : []),
    ...(entry.kind === "key" && entry.weight !== null ? ([[t("providers.form.weight"), String(entry.weight)]] as [string, string][]) : []),
    [t("providers.card.models"), entry.models.length ? entry.models.map((m) => (m.alias ? `${m.name} → ${m.alias}` : m.name)).join(", ") : t("providers.card.allModels")],
  ];

  return (
    <li className={styles.entry} aria-label={label}>
      <div className={styles.entryHead}>
        <strong>{entry.kind === "compat" ? entry.name : label}</strong>
        {entry.kind === "compat" && entry.disabled ? <span className={styles.badge}>{t("providers.card.disabled")}</span> : null}
      </div>
      {entry.kind === "key" ? (
        <div className={styles.keyLine}>
          <SecretValue value={entry.apiKey} masked={maskSecret(entry.apiKey)} label={label} labels={secretLabels} />
          <HealthLine authIndex={entry.authIndex} source={health} />
        </div>
      ) : (
        <ul className={styles.keyList} aria-label={t("providers.form.keys")}>
          {entry.keys.map((key, i) => (
            <li key={i} className={styles.keyLine}>
              <SecretValue value={key.apiKey} masked={maskSecret(key.apiKey)} label={`${label} ${t("providers.form.apiKey")} ${i + 1}`} labels={secretLabels} />
              <HealthLine authIndex={key.authIndex} source={health} />
            </li>
          ))}
        </ul>
      )}
      <dl className={styles.facts}>
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <CheckResult state={state} />
      {confirming ? (
        <div
          className={styles.actions}
          role="group"
          aria-label={t("providers.card.confirmDelete", { label })}
          onKeyDown={(e) => e.key === "Escape" && setConfirming(false)}
        >
          <span>{t("providers.card.confirmDelete", { label })}</span>
          <Button variant="primary" autoFocus disabled={busy} onClick={() => (setConfirming(false), onDelete())}>
            {t("providers.card.deleteConfirm")}
          </Button>
          <Button onClick={() => setConfirming(false)}>
            {t("providers.form.cancel")}
          </Button>
        </div>
      ) : (
        <div className={styles.actions}>
          <Button aria-label={`${t("providers.card.edit")}: ${label}`} disabled={busy} onClick={onEdit}>
            {t("providers.card.edit")}
          </Button>
          <Button aria-label={`${t("providers.card.test")}: ${label}`} disabled={state.kind === "running"} onClick={test}>
            {t("providers.card.test")}
          </Button>
          <Button aria-label={`${t("providers.card.delete")}: ${label}`} disabled={busy} onClick={() => setConfirming(true)}>
            {t("providers.card.delete")}
          </Button>
        </div>
      )}
    </li>
  );
}
