import { lazy, Suspense } from "react";
import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import type { SaveFlow } from "../hooks/useSaveFlow";
import styles from "./Config.module.css";
import { Dialog } from "./Dialog";

const DiffView = lazy(() => import("./DiffView"));

/** The conflict question and the diff before saving; Esc or Cancel closes either without saving. */
export function SaveDialogs({ flow }: { flow: SaveFlow }) {
  const { t } = useI18n();
  const { step } = flow;

  if (step.kind === "conflict") {
    return (
      <Dialog
        title={t("config.conflict.title")}
        onClose={flow.cancel}
        actions={
          <>
            <Button variant="primary" onClick={flow.reapply} data-autofocus>
              {t("config.conflict.reapply")}
            </Button>
            <Button onClick={flow.overwrite}>{t("config.conflict.overwrite")}</Button>
            <Button variant="ghost" onClick={flow.cancel}>
              {t("config.action.cancel")}
            </Button>
          </>
        }
      >
        <p>{t("config.conflict.body")}</p>
      </Dialog>
    );
  }

  if (step.kind === "review" || step.kind === "saving") {
    const saving = step.kind === "saving";
    const overwrite = step.kind === "review" && step.overwrite;
    return (
      <Dialog
        wide
        title={t("config.diff.title")}
        onClose={saving ? () => undefined : flow.cancel}
        actions={
          <>
            <Button variant="primary" onClick={flow.confirm} disabled={saving} data-autofocus>
              {saving ? t("config.action.saving") : overwrite ? t("config.diff.overwrite") : t("config.diff.save")}
            </Button>
            <Button variant="ghost" onClick={flow.cancel} disabled={saving}>
              {t("config.action.cancel")}
            </Button>
          </>
        }
      >
        {overwrite ? <p className={styles.warning}>{t("config.diff.overwriteWarning")}</p> : null}
        {step.current === step.next ? <p>{t("config.diff.same")}</p> : null}
        <div className={styles.diffLabels} aria-hidden="true">
          <span>{t("config.diff.current")}</span>
          <span>{t("config.diff.next")}</span>
        </div>
        <Suspense fallback={<p>{t("common.status.loading")}</p>}>
          <DiffView
            current={step.current}
            next={step.next}
            labels={[t("config.diff.current"), t("config.diff.next")]}
          />
        </Suspense>
      </Dialog>
    );
  }
  return null;
}
