import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { useI18n } from "../../../i18n/I18nProvider";
import { ACTION_KEYS, countByAction } from "../logic";
import type { RunResult } from "../types";

interface Props {
  /** One result, or every pending one. */
  target: { one: RunResult } | { all: readonly RunResult[] };
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
}

/** The question asked before anything changes at CPA; Cancel comes first and is focused first. */
export function ExecuteDialog({ target, busy, error, onConfirm, onClose }: Props) {
  const { t } = useI18n();
  let title: string;
  let text: string;
  let deletes: boolean;
  if ("one" in target) {
    const action = t(ACTION_KEYS[target.one.action]);
    title = t("inspection.confirm.oneTitle", { action });
    text = t("inspection.confirm.oneText", { action, name: target.one.name, account: target.one.account });
    deletes = target.one.action === "delete";
  } else {
    const counts = countByAction(target.all);
    title = t("inspection.confirm.allTitle");
    text = t("inspection.confirm.allText", { disable: counts.disable, enable: counts.enable, delete: counts.delete });
    deletes = counts.delete > 0;
  }
  return (
    <Dialog
      title={title}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>{t("inspection.confirm.cancel")}</Button>
          <Button variant="primary" onClick={onConfirm} disabled={busy}>
            {t("inspection.confirm.go")}
          </Button>
        </>
      }
    >
      <p>{text}</p>
      {deletes ? <p>{t("inspection.confirm.deleteWarning")}</p> : null}
      {error ? <p role="alert">{error}</p> : null}
    </Dialog>
  );
}
