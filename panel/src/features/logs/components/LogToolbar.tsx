import { useId, useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { REFRESH_CHOICES_S } from "../logic";
import styles from "./Logs.module.css";

interface LogToolbarProps {
  follow: boolean;
  onFollow: (on: boolean) => void;
  intervalS: number;
  onInterval: (seconds: number) => void;
  onRefresh: () => void;
  onDownload: () => void;
  canDownload: boolean;
  /** Clears CPA's logs; resolves with how many rotated files CPA removed. */
  onClear: () => Promise<number>;
}

type ClearState = { phase: "idle" } | { phase: "asking" } | { phase: "working" } | { phase: "done"; removed: number } | { phase: "failed"; error: unknown };

export function LogToolbar(props: LogToolbarProps) {
  const { t } = useI18n();
  const intervalId = useId();
  const [clear, setClear] = useState<ClearState>({ phase: "idle" });

  async function confirmClear() {
    setClear({ phase: "working" });
    try {
      setClear({ phase: "done", removed: await props.onClear() });
    } catch (error) {
      setClear({ phase: "failed", error });
    }
  }

  return (
    <>
      <div className={styles.toolbar}>
        <Button onClick={props.onRefresh}>{t("logs.toolbar.refresh")}</Button>
        <label className={styles.check}>
          <input type="checkbox" checked={props.follow} onChange={(event) => props.onFollow(event.target.checked)} />
          {t("logs.toolbar.follow")}
        </label>
        <label htmlFor={intervalId} className={styles.check}>
          {t("logs.toolbar.interval")}
          <select id={intervalId} value={props.intervalS} onChange={(event) => props.onInterval(Number(event.target.value))}>
            {REFRESH_CHOICES_S.map((seconds) => (
              <option key={seconds} value={seconds}>
                {t("logs.toolbar.seconds", { count: seconds })}
              </option>
            ))}
          </select>
        </label>
        <Button onClick={props.onDownload} disabled={!props.canDownload}>
          {t("logs.toolbar.download")}
        </Button>
        <Button onClick={() => setClear({ phase: "asking" })} disabled={clear.phase === "asking" || clear.phase === "working"}>
          {t("logs.toolbar.clear")}
        </Button>
      </div>
      {clear.phase === "asking" || clear.phase === "working" ? (
        <Alert
          tone="warning"
          action={
            <div className={styles.buttons}>
              <Button variant="primary" onClick={() => void confirmClear()} disabled={clear.phase === "working"}>
                {t("logs.clear.confirm")}
              </Button>
              <Button onClick={() => setClear({ phase: "idle" })} disabled={clear.phase === "working"}>
                {t("logs.clear.cancel")}
              </Button>
            </div>
          }
        >
          {t("logs.clear.question")}
        </Alert>
      ) : null}
      {clear.phase === "done" ? <Alert tone="success">{t("logs.clear.done", { count: clear.removed })}</Alert> : null}
      {clear.phase === "failed" ? <Alert tone="error">{t("logs.clear.failed", { message: errorText(clear.error, t) })}</Alert> : null}
    </>
  );
}
