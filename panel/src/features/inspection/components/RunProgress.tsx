import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatDateTime } from "../../../lib/format";
import { isRunning, progressRatio } from "../logic";
import type { RunSummary } from "../types";
import styles from "./Inspection.module.css";

interface Props {
  run: RunSummary;
  onCancel: () => void;
}

/** The run shown: its state, a progress bar (done of total) and, while it runs, Cancel. */
export function RunProgress({ run, onCancel }: Props) {
  const { t, language } = useI18n();
  const running = isRunning(run);
  return (
    <section className={styles.card} aria-labelledby="inspection-run-title">
      <div className={styles.cardHeader}>
        <h2 id="inspection-run-title" className={styles.cardTitle}>
          {t("inspection.progress.title", { id: String(run.id) })}
        </h2>
        <span className={styles.muted}>
          {t(`inspection.state.${run.state}`)} · {formatDateTime(run.startedAt * 1000, language)}
        </span>
      </div>
      <div className={styles.progressRow}>
        <progress
          className={styles.progress}
          aria-label={t("inspection.progress.label")}
          max={1}
          value={running || run.total > 0 ? progressRatio(run) : 1}
        />
        <span role="status">{t("inspection.progress.count", { done: run.done, total: run.total })}</span>
        {running ? (
          <Button onClick={onCancel} disabled={run.cancelling}>
            {run.cancelling ? t("inspection.progress.cancelling") : t("inspection.progress.cancel")}
          </Button>
        ) : null}
      </div>
      {run.error ? <p role="alert">{run.error}</p> : null}
    </section>
  );
}
