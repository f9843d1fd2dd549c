import { useState, type FormEvent } from "react";
import { Button } from "../../../components/ui/Button";
import { TextField } from "../../../components/ui/TextField";
import { useI18n } from "../../../i18n/I18nProvider";
import { formFrom, parseForm, type SettingsErrors, type SettingsField, type SettingsForm as Form } from "../logic";
import type { InspectionSettings } from "../types";
import styles from "./Inspection.module.css";

interface Props {
  initial: InspectionSettings;
  /** A run is going: the form waits. */
  disabled: boolean;
  onRun: (settings: InspectionSettings) => void;
}

const FIELDS: readonly { field: SettingsField; label: "workers" | "timeout" | "threshold" | "sample" }[] = [
  { field: "workers", label: "workers" },
  { field: "timeoutSeconds", label: "timeout" },
  { field: "thresholdPercent", label: "threshold" },
  { field: "sampleSize", label: "sample" },
];

/** The four settings of a run, checked as the server checks them; Run starts a dry run. */
export function SettingsForm({ initial, disabled, onRun }: Props) {
  const { t } = useI18n();
  const [form, setForm] = useState<Form>(() => formFrom(initial));
  const [errors, setErrors] = useState<SettingsErrors>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseForm(form);
    if ("errors" in parsed) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    onRun(parsed.settings);
  };

  return (
    <form className={styles.card} onSubmit={submit} noValidate>
      <h2 className={styles.cardTitle}>{t("inspection.settings.title")}</h2>
      <div className={styles.fields}>
        {FIELDS.map(({ field, label }) => {
          const error = errors[field];
          return (
            <TextField
              key={field}
              label={t(`inspection.settings.${label}`)}
              hint={t(`inspection.settings.${label}Hint`)}
              error={error ? t(error) : null}
              inputMode="decimal"
              value={form[field]}
              onValue={(value) => setForm((current) => ({ ...current, [field]: value }))}
            />
          );
        })}
      </div>
      <div className={styles.formActions}>
        <Button type="submit" variant="primary" disabled={disabled}>
          {t("inspection.settings.run")}
        </Button>
      </div>
    </form>
  );
}
