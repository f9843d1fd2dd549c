import type { MessageKey } from "../../../i18n/en";
import { useI18n } from "../../../i18n/I18nProvider";
import { formatInteger } from "../../../lib/format";
import { MAX_SHOWN_ERRORS } from "../logic";
import type { ImportReport } from "../types";
import styles from "./Data.module.css";

const COUNTS: { key: "total" | "added" | "skipped" | "failed" | "unsupported"; label: MessageKey }[] = [
  { key: "total", label: "data.report.total" },
  { key: "added", label: "data.report.added" },
  { key: "skipped", label: "data.report.skipped" },
  { key: "failed", label: "data.report.failed" },
  { key: "unsupported", label: "data.report.unsupported" },
];

/** The server's import report: counts, warnings and the first line errors. */
export function ImportReportView({ report }: { report: ImportReport }) {
  const { t, language } = useI18n();
  const shown = report.errors.slice(0, MAX_SHOWN_ERRORS);
  const more = report.errors.length - shown.length;
  return (
    <div>
      {report.format ? <p className={styles.muted}>{t("data.report.format", { format: report.format })}</p> : null}
      <dl className={styles.counts}>
        {COUNTS.map((c) => (
          <div key={c.key} className={styles.count}>
            <dt>{t(c.label)}</dt>
            <dd>{formatInteger(report[c.key], language)}</dd>
          </div>
        ))}
      </dl>
      {report.warnings.length > 0 ? (
        <>
          <h3 className={styles.subTitle}>{t("data.report.warnings")}</h3>
          <ul className={styles.list}>
            {report.warnings.map((warning, index) => (
              <li key={index}>{warning}</li>
            ))}
          </ul>
        </>
      ) : null}
      {shown.length > 0 ? (
        <>
          <h3 className={styles.subTitle}>{t("data.report.errors")}</h3>
          <ul className={styles.list}>
            {shown.map((e, index) => (
              <li key={index}>{t("data.report.errorLine", { line: e.line, error: e.error })}</li>
            ))}
            {more > 0 ? <li>{t("data.report.moreErrors", { count: more })}</li> : null}
          </ul>
        </>
      ) : null}
    </div>
  );
}
