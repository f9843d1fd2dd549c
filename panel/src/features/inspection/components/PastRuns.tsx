import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatDateTime } from "../../../lib/format";
import type { RunSummary } from "../types";
import styles from "./Inspection.module.css";

interface Props {
  runs: readonly RunSummary[];
  shownId: number | null;
  onShow: (id: number) => void;
}

/** The kept runs, newest first, each with its counts per suggested action. */
export function PastRuns({ runs, shownId, onShow }: Props) {
  const { t, language } = useI18n();
  return (
    <section className={styles.card} aria-labelledby="inspection-runs-title">
      <h2 id="inspection-runs-title" className={styles.cardTitle}>
        {t("inspection.runs.title")}
      </h2>
      {runs.length === 0 ? (
        <p className={styles.muted}>{t("inspection.runs.empty")}</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">{t("inspection.runs.started")}</th>
                <th scope="col">{t("inspection.runs.state")}</th>
                <th scope="col" className={styles.num}>
                  {t("inspection.runs.checked")}
                </th>
                <th scope="col">{t("inspection.runs.counts")}</th>
                <th scope="col">{t("inspection.runs.show")}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td>{formatDateTime(run.startedAt * 1000, language)}</td>
                  <td>{t(`inspection.state.${run.state}`)}</td>
                  <td className={styles.num}>
                    {run.done} / {run.total}
                  </td>
                  <td>{t("inspection.runs.countsValue", { ...run.counts })}</td>
                  <td>
                    {run.id === shownId ? (
                      <span className={styles.muted}>{t("inspection.runs.shown")}</span>
                    ) : (
                      <Button variant="ghost" onClick={() => onShow(run.id)}
                        aria-label={t("inspection.runs.showRun", { id: String(run.id) })}>
                        {t("inspection.runs.show")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
