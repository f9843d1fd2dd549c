import { useState } from "react";
import { Button } from "../../../components/ui/Button";
import { SecretValue } from "../../../components/ui/SecretValue";
import { useI18n } from "../../../i18n/I18nProvider";
import { maskKey } from "../logic";
import { KeyForm } from "./KeyForm";
import styles from "./Keys.module.css";

interface KeyRowProps {
  index: number;
  apiKey: string;
  name: string;
  duplicate: boolean;
  others: readonly string[];
  withName: boolean;
  busy: boolean;
  onEdit: (key: string, name: string) => void;
  onDelete: () => void;
}

/** One key: masked with reveal and copy; Edit turns the row into a form, Delete asks first. */
export function KeyRow({ index, apiKey, name, duplicate, others, withName, busy, onEdit, onDelete }: KeyRowProps) {
  const { t } = useI18n();
  const [mode, setMode] = useState<"view" | "edit" | "confirm">("view");
  const label = t("keys.list.keyLabel", { number: String(index + 1) });
  const secretLabels = {
    reveal: t("keys.secret.reveal"),
    hide: t("keys.secret.hide"),
    copy: t("keys.secret.copy"),
    copied: t("keys.secret.copied"),
  };

  if (mode === "edit") {
    return (
      <li className={styles.row}>
        <KeyForm
          title={t("keys.form.editTitle", { number: String(index + 1) })}
          initialKey={apiKey}
          initialName={name}
          others={others}
          withName={withName}
          submitLabel={t("keys.form.save")}
          busy={busy}
          onSubmit={(key, newName) => {
            setMode("view");
            onEdit(key, newName);
          }}
          onCancel={() => setMode("view")}
        />
      </li>
    );
  }
  return (
    <li className={styles.row} aria-label={label}>
      <div className={styles.rowMain}>
        <span className={styles.number}>{index + 1}</span>
        {withName ? <span className={styles.name}>{name || t("keys.list.unnamed")}</span> : null}
        <SecretValue value={apiKey} masked={maskKey(apiKey)} label={label} labels={secretLabels} />
        {duplicate ? <span className={styles.badge}>{t("keys.list.duplicate")}</span> : null}
      </div>
      {mode === "confirm" ? (
        <div
          className={styles.actions}
          role="group"
          aria-label={t("keys.list.confirmDelete", { number: String(index + 1) })}
          onKeyDown={(e) => e.key === "Escape" && setMode("view")}
        >
          <span>{t("keys.list.confirmDelete", { number: String(index + 1) })}</span>
          <Button
            variant="primary"
            disabled={busy}
            autoFocus
            onClick={() => {
              setMode("view");
              onDelete();
            }}
          >
            {t("keys.list.deleteConfirm")}
          </Button>
          <Button onClick={() => setMode("view")}>
            {t("keys.form.cancel")}
          </Button>
        </div>
      ) : (
        <div className={styles.actions}>
          <Button aria-label={`${t("keys.list.edit")}: ${label}`} disabled={busy} onClick={() => setMode("edit")}>
            {t("keys.list.edit")}
          </Button>
          <Button aria-label={`${t("keys.list.delete")}: ${label}`} disabled={busy} onClick={() => setMode("confirm")}>
            {t("keys.list.delete")}
          </Button>
        </div>
      )}
    </li>
  );
}
