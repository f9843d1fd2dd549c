import { useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import type { CpaTree } from "../../../lib/cpa/client";
import { cpaLogsApi } from "../../../lib/cpa/logs";
import { formatBytes, formatDateTime } from "../../../lib/format";
import { saveBlob } from "../../../lib/saveFile";
import { useResource } from "../../../lib/useResource";
import styles from "./Logs.module.css";

/** CPA's error-*.log files (one per failed request while request-log is off), each downloadable. */
export function ErrorLogsCard({ tree, requestLogOn }: { tree: CpaTree; requestLogOn: boolean | null }) {
  const { t, language } = useI18n();
  const files = useResource(() => cpaLogsApi.errorFiles(tree), [tree]);
  const [failure, setFailure] = useState<unknown>(null);

  async function fetchFile(name: string) {
    setFailure(null);
    try {
      saveBlob(await cpaLogsApi.errorFile(tree, name), name);
    } catch (error) {
      setFailure(error);
    }
  }

  return (
    <section className={styles.card} aria-labelledby="error-logs-title">
      <h2 id="error-logs-title" className={styles.cardTitle}>
        {t("logs.errors.title")}
      </h2>
      <p className={styles.muted}>{requestLogOn ? t("logs.errors.requestLogOn") : t("logs.errors.intro")}</p>
      {files.error ? <Alert tone="error">{t("logs.errors.failed", { message: errorText(files.error, t) })}</Alert> : null}
      {failure ? <Alert tone="error">{errorText(failure, t)}</Alert> : null}
      {files.data && files.data.length === 0 ? <p>{t("logs.errors.empty")}</p> : null}
      {files.data && files.data.length > 0 ? (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">{t("logs.errors.name")}</th>
                <th scope="col" className={styles.num}>
                  {t("logs.errors.size")}
                </th>
                <th scope="col">{t("logs.errors.modified")}</th>
                <th scope="col">
                  <span className={styles.muted}>{t("logs.errors.download")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {files.data.map((file) => (
                <tr key={file.name}>
                  <td>{file.name}</td>
                  <td className={styles.num}>{formatBytes(file.size, language)}</td>
                  <td>{formatDateTime(file.modified * 1000, language)}</td>
                  <td>
                    <Button onClick={() => void fetchFile(file.name)} aria-label={t("logs.errors.downloadNamed", { name: file.name })}>
                      {t("logs.errors.download")}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
