import { useState, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "../../../components/ui/Button";
import { TextField } from "../../../components/ui/TextField";
import type { MessageKey } from "../../../i18n/en";
import { useI18n } from "../../../i18n/I18nProvider";
import { generateKey, keyProblem, nameProblem, type KeyProblem, type NameProblem } from "../logic";
import styles from "./Keys.module.css";

const KEY_PROBLEMS: Record<KeyProblem, MessageKey> = {
  empty: "keys.form.keyEmpty",
  spaces: "keys.form.keySpaces",
  duplicate: "keys.form.keyDuplicate",
};
const NAME_PROBLEMS: Record<NameProblem, MessageKey> = {
  tooLong: "keys.form.nameTooLong",
  containsKey: "keys.form.nameContainsKey",
};

interface KeyFormProps {
  /** "Add a key" or "Edit key 3": names the form. */
  title: string;
  initialKey: string;
  initialName: string;
  /** The list's other keys (a key may not repeat). */
  others: readonly string[];
  /** Whether CPA keeps display names (v8). */
  withName: boolean;
  submitLabel: string;
  busy: boolean;
  onSubmit: (key: string, name: string) => void;
  onCancel?: () => void;
}

/** Add or edit one key: the key (typed or generated) and, on v8, its display name. Esc cancels. */
export function KeyForm({ title, initialKey, initialName, others, withName, submitLabel, busy, onSubmit, onCancel }: KeyFormProps) {
  const { t } = useI18n();
  const [key, setKey] = useState(initialKey);
  const [name, setName] = useState(initialName);
  const [tried, setTried] = useState(false);
  const keyIssue = keyProblem(key, others);
  const nameIssue = withName ? nameProblem(name, key) : null;
  const showKeyIssue = keyIssue && (tried || keyIssue !== "empty");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (keyIssue || nameIssue) return;
    onSubmit(key, name.trim());
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && onCancel) {
      event.preventDefault();
      onCancel();
    }
  };

  return (
    <form className={styles.form} aria-label={title} onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <div className={styles.keyField}>
        <TextField
          label={t("keys.form.key")}
          value={key}
          onValue={setKey}
          autoComplete="off"
          spellCheck={false}
          error={showKeyIssue ? t(KEY_PROBLEMS[keyIssue]) : null}
          hint={t("keys.form.keyHint")}
        />
        <Button onClick={() => setKey(generateKey())}>{t("keys.form.generate")}</Button>
      </div>
      {withName ? (
        <TextField
          label={t("keys.form.name")}
          value={name}
          onValue={setName}
          error={nameIssue ? t(NAME_PROBLEMS[nameIssue]) : null}
          hint={t("keys.form.nameHint")}
        />
      ) : null}
      <div className={styles.actions}>
        <Button type="submit" variant="primary" disabled={busy}>
          {submitLabel}
        </Button>
        {onCancel ? <Button onClick={onCancel}>{t("keys.form.cancel")}</Button> : null}
      </div>
    </form>
  );
}
