import { useId } from "react";
import formStyles from "../../../components/ui/Form.module.css";
import { useI18n } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/en";
import { SORT_KEYS, type QuotaView, type SortKey } from "../logic";
import styles from "./Quota.module.css";

const SORT_LABELS: Record<SortKey, MessageKey> = {
  recovery: "quota.sort.recovery",
  name: "quota.sort.name",
  used: "quota.sort.used",
};

interface Props {
  view: QuotaView;
  onView: (change: Partial<QuotaView>) => void;
  providers: { provider: string; count: number }[];
  shown: number;
  total: number;
}

export function Toolbar({ view, onView, providers, shown, total }: Props) {
  const { t } = useI18n();
  const id = useId();
  const toggle = (provider: string) => {
    const on = view.providers.includes(provider);
    onView({ providers: on ? view.providers.filter((p) => p !== provider) : [...view.providers, provider] });
  };
  return (
    <div className={styles.toolbar}>
      <label className={formStyles.compactField} htmlFor={`${id}-sort`}>
        {t("quota.toolbar.sort")}
        <select id={`${id}-sort`} value={view.sort} onChange={(e) => onView({ sort: e.target.value as SortKey })}>
          {SORT_KEYS.map((key) => <option key={key} value={key}>{t(SORT_LABELS[key])}</option>)}
        </select>
      </label>
      <div className={styles.chips} role="group" aria-label={t("quota.toolbar.providers")}>
        {providers.map(({ provider, count }) => (
          <button key={provider} type="button" className={styles.chip} aria-pressed={view.providers.includes(provider)} onClick={() => toggle(provider)}>
            {provider} <span className={styles.chipCount}>{count}</span>
          </button>
        ))}
      </div>
      <span className={styles.count} role="status">{t("quota.toolbar.shown", { shown, total })}</span>
    </div>
  );
}
