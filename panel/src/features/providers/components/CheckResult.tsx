import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import type { CheckState } from "../hooks/useUpstreamCheck";
import styles from "./Providers.module.css";

/** The connectivity test's answer in words: the upstream's status and error, or CPA's refusal. */
export function CheckResult({ state }: { state: CheckState }) {
  const { t } = useI18n();
  switch (state.kind) {
    case "idle":
      return null;
    case "running":
      return <p role="status">{t("providers.check.running")}</p>;
    case "noUrl":
      return <p role="status" className={styles.bad}>{t("providers.check.noUrl")}</p>;
    case "failed":
      return <p role="status" className={styles.bad}>{t("providers.check.cpaFailed", { message: errorText(state.error, t) })}</p>;
    case "done": {
      const { verdict, ms, models } = state;
      if (verdict.ok) {
        return (
          <p role="status" className={styles.good}>
            {t("providers.check.ok", { status: String(verdict.status), ms: String(ms), count: models.length })}
          </p>
        );
      }
      return (
        <p role="status" className={styles.bad}>
          {t("providers.check.upstreamFailed", { status: String(verdict.status), detail: verdict.detail || "—" })}
        </p>
      );
    }
  }
}
