import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import type { SaveFlow } from "../hooks/useSaveFlow";
import styles from "./Config.module.css";

/** What the last save attempt came to, in CPA's words when CPA refused. */
export function SaveStatus({ flow, onShowLine }: { flow: SaveFlow; onShowLine: (() => void) | null }) {
  const { t } = useI18n();
  const { step } = flow;
  switch (step.kind) {
    case "checking":
      return <p role="status">{t("config.status.checking")}</p>;
    case "saved":
      return <Alert tone="success">{t("config.status.saved")}</Alert>;
    case "reapplied":
      return <Alert tone="info">{t("config.status.reapplied")}</Alert>;
    case "refused":
      return (
        <Alert
          tone="error"
          title={step.line === null ? t("config.refused.title") : t("config.refused.titleLine", { line: String(step.line) })}
          action={onShowLine && step.line !== null ? <Button onClick={onShowLine}>{t("config.refused.showLine")}</Button> : undefined}
        >
          <pre className={styles.cpaMessage} data-testid="cpa-refusal">
            {step.message}
          </pre>
          {step.lineText !== null ? (
            <p>
              {t("config.refused.lineText")} <code>{step.lineText}</code>
            </p>
          ) : null}
          <p>{t("config.refused.kept")}</p>
        </Alert>
      );
    case "interrupted":
      return (
        <Alert
          tone="error"
          title={step.stage === "reload" ? t("config.interrupted.reloadTitle") : t("config.interrupted.title")}
          action={<Button onClick={flow.retry}>{t("common.action.retry")}</Button>}
        >
          <p>{step.stage === "reload" ? t("config.interrupted.reloadBody") : t("config.interrupted.body")}</p>
          <p>{errorText(step.error, t)}</p>
        </Alert>
      );
    default:
      return null;
  }
}
