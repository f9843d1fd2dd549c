import { useEffect, useMemo, useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { alertsApi } from "../api";
import { draftErrors, draftFrom, isDraftDirty, isKnownKind, KIND_HINTS, KIND_LABELS, THRESHOLD_LABELS } from "../logic";
import type { AlertSettings, SettingsDraft } from "../types";
import styles from "./Alerts.module.css";

interface AlertSettingsFormProps {
  settings: AlertSettings;
  /** Called with what the server saved (a kind switched off clears its open alerts there). */
  onSaved: (saved: AlertSettings) => void;
}

type Outcome = { kind: "saved" } | { kind: "error"; text: string } | null;

/** A switch per alert kind and the thresholds, saved together; the server's refusal is shown as it wrote it. */
export function AlertSettingsForm({ settings, onSaved }: AlertSettingsFormProps) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFrom(settings));
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [showErrors, setShowErrors] = useState(false);
  useEffect(() => setDraft(draftFrom(settings)), [settings]);

  const errors = useMemo(() => draftErrors(draft, settings), [draft, settings]);
  const dirty = isDraftDirty(draft, settings);

  const save = async () => {
    setShowErrors(true);
    if (Object.keys(errors).length > 0) {
      setOutcome({ kind: "error", text: t("alerts.settings.invalid") });
      return;
    }
    setSaving(true);
    setOutcome(null);
    try {
      onSaved(await alertsApi.saveSettings(draft));
      setOutcome({ kind: "saved" });
      setShowErrors(false);
    } catch (error) {
      setOutcome({ kind: "error", text: t("alerts.settings.saveFailed", { message: errorText(error, t) }) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <fieldset className={styles.fieldset} disabled={saving}>
        <legend className={styles.legend}>{t("alerts.settings.kinds")}</legend>
        {Object.keys(draft.kinds)
          .filter(isKnownKind)
          .map((kind) => (
            <div key={kind} className={styles.switch}>
              <input
                id={`alert-kind-${kind}`}
                type="checkbox"
                checked={draft.kinds[kind] === true}
                aria-describedby={`alert-kind-${kind}-hint`}
                onChange={(event) => setDraft({ ...draft, kinds: { ...draft.kinds, [kind]: event.target.checked } })}
              />
              <div>
                <label htmlFor={`alert-kind-${kind}`}>{t(KIND_LABELS[kind])}</label>
                <div id={`alert-kind-${kind}-hint`} className={styles.hint}>
                  {t(KIND_HINTS[kind])}
                </div>
              </div>
            </div>
          ))}
      </fieldset>
      <fieldset className={styles.fieldset} disabled={saving}>
        <legend className={styles.legend}>{t("alerts.settings.thresholds")}</legend>
        <div className={styles.thresholds}>
          {settings.limits.map((limit) => {
            const id = `alert-threshold-${limit.name}`;
            const labelKey = THRESHOLD_LABELS[limit.name];
            const error = showErrors ? errors[limit.name] : undefined;
            return (
              <div key={limit.name} className={styles.field}>
                <label htmlFor={id}>{labelKey ? t(labelKey) : limit.name}</label>
                <input
                  id={id}
                  inputMode="decimal"
                  value={draft.thresholds[limit.name] ?? ""}
                  aria-invalid={error !== undefined}
                  aria-describedby={`${id}-hint`}
                  onChange={(event) =>
                    setDraft({ ...draft, thresholds: { ...draft.thresholds, [limit.name]: event.target.value } })
                  }
                />
                <span id={`${id}-hint`} className={error ? styles.fieldError : styles.hint}>
                  {error ? `${t(error)} ` : ""}
                  {t("alerts.settings.rangeHint", {
                    minimum: limit.minimum,
                    maximum: limit.maximum,
                    default: limit.defaultValue,
                  })}
                </span>
              </div>
            );
          })}
        </div>
      </fieldset>
      {outcome?.kind === "saved" ? <Alert tone="success">{t("alerts.settings.saved")}</Alert> : null}
      {outcome?.kind === "error" ? <Alert tone="error">{outcome.text}</Alert> : null}
      <div className={styles.saveBar}>
        <Button type="submit" variant="primary" disabled={saving || !dirty}>
          {saving ? t("alerts.settings.saving") : t("alerts.settings.save")}
        </Button>
        <Button
          variant="ghost"
          disabled={saving || !dirty}
          onClick={() => {
            setDraft(draftFrom(settings));
            setShowErrors(false);
            setOutcome(null);
          }}
        >
          {t("alerts.settings.discard")}
        </Button>
      </div>
    </form>
  );
}
