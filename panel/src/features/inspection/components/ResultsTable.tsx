import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import { ACTION_KEYS, reasonText } from "../logic";
import type { RunResult } from "../types";
import styles from "./Inspection.module.css";

interface Props {
  results: readonly RunResult[];
  /** The newest finished run: its pending suggestions can be executed. */
  executable: boolean;
  onExecute: (result: RunResult) => void;
}

function Execution({ result, executable, onExecute }: { result: RunResult } & Omit<Props, "results">) {
  const { t } = useI18n();
  if (result.executedAt !== null) {
    return result.executionError === null ? (
      <span className={styles.done}>{t("inspection.results.done")}</span>
    ) : (
      <span className={styles.notDone}>{t("inspection.results.notDone", { error: result.executionError })}</span>
    );
  }
  if (result.action === "keep" || !executable) return null;
  return (
    <Button
      onClick={() => onExecute(result)}
      aria-label={t("inspection.results.executeRow", { action: t(ACTION_KEYS[result.action]), name: result.name })}
    >
      {t("inspection.results.execute")}
    </Button>
  );
}

/** One row per credential checked: account (masked), file, plan, HTTP status, used %, the suggestion and why. */
export function ResultsTable({ results, executable, onExecute }: Props) {
  const { t, language } = useI18n();
  const percent = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
  if (results.length === 0) return <p className={styles.muted}>{t("inspection.results.empty")}</p>;
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">{t("inspection.results.account")}</th>
            <th scope="col">{t("inspection.results.file")}</th>
            <th scope="col">{t("inspection.results.plan")}</th>
            <th scope="col" className={styles.num}>
              {t("inspection.results.status")}
            </th>
            <th scope="col" className={styles.num}>
              {t("inspection.results.used")}
            </th>
            <th scope="col">{t("inspection.results.action")}</th>
            <th scope="col">{t("inspection.results.reason")}</th>
            <th scope="col" className={styles.execute}>{t("inspection.results.execute")}</th>
          </tr>
        </thead>
        <tbody>
          {results.map((result) => (
            <tr key={result.seq} data-auth-index={result.authIndex}>
              <td>{result.account || t("common.value.none")}</td>
              <td className={styles.file}>
                {/* Long file names are cut with "…" (never broken mid-word); the full name is in the tooltip. */}
                <span className={styles.fileName} title={result.name}>{result.name}</span>
              </td>
              <td>{result.plan ?? t("common.value.none")}</td>
              <td className={styles.num}>{result.httpStatus ?? t("common.value.none")}</td>
              <td className={styles.num}>
                {result.usedPercent === null ? t("common.value.none") : percent.format(result.usedPercent)}
              </td>
              <td className={`${styles.action} ${styles[result.action]}`}>{t(ACTION_KEYS[result.action])}</td>
              <td className={styles.reason}>{reasonText(result, t)}</td>
              <td className={styles.execute}>
                <Execution result={result} executable={executable} onExecute={onExecute} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
