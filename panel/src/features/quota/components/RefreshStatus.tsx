import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import type { RefreshState } from "../hooks/useQuotaData";
import styles from "./Quota.module.css";

/** The refresh's progress bar and sentence (announced politely as it changes). */
export function RefreshStatus({ refresh, names }: { refresh: RefreshState; names: ReadonlyMap<string, string> }) {
  const { t } = useI18n();
  const p = refresh.progress;
  let text: string;
  if (refresh.error) text = t("quota.progress.failed", { reason: errorText(refresh.error, t) });
  else if (!p || (!refresh.finished && p.total === 0)) text = t("quota.progress.starting");
  else if (!refresh.finished) text = t("quota.progress.running", { done: p.done, total: p.total });
  else if (refresh.authIndex !== null) text = t("quota.progress.finishedOne", { name: names.get(refresh.authIndex) ?? refresh.authIndex });
  else text = t("quota.progress.finished", { total: p.total });
  return (
    <div className={styles.progress} role="region" aria-label={t("quota.progress.label")}>
      {p && !refresh.error ? <progress max={Math.max(p.total, 1)} value={refresh.finished ? Math.max(p.total, 1) : p.done} /> : null}
      <span role="status">{text}</span>
    </div>
  );
}
