import { useId } from "react";
import formStyles from "../../../components/ui/Form.module.css";
import { useI18n } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/en";
import { FILTERS, SORT_KEYS, type CredentialView, type Filter, type SortKey } from "../types";
import styles from "./Credentials.module.css";

const SORT_LABELS: Record<SortKey, MessageKey> = {
  name: "credentials.sort.name",
  priority: "credentials.sort.priority",
  status: "credentials.sort.status",
  lastUsed: "credentials.sort.lastUsed",
  failures24h: "credentials.sort.failures24h",
};
const FILTER_LABELS: Record<Filter, MessageKey> = {
  all: "credentials.filter.all",
  problems: "credentials.filter.problems",
  disabled: "credentials.filter.disabled",
  cooling: "credentials.filter.cooling",
};

interface Props {
  view: CredentialView;
  onView: (change: Partial<CredentialView>) => void;
  providers: { provider: string; count: number }[];
  shown: number;
  total: number;
}

export function Toolbar({ view, onView, providers, shown, total }: Props) {
  const { t } = useI18n();
  const ids = useId();
  const toggleProvider = (provider: string) => {
    const on = view.providers.includes(provider);
    onView({ providers: on ? view.providers.filter((p) => p !== provider) : [...view.providers, provider] });
  };
  return (
    <div className={styles.toolbar}>
      <div className={styles.toolbarRow}>
        <label className={formStyles.compactField} htmlFor={`${ids}-q`}>
          {t("credentials.toolbar.search")}
          <input id={`${ids}-q`} type="search" value={view.q} onChange={(e) => onView({ q: e.target.value })} placeholder={t("credentials.toolbar.searchHint")} />
        </label>
        <label className={formStyles.compactField} htmlFor={`${ids}-sort`}>
          {t("credentials.toolbar.sort")}
          <select id={`${ids}-sort`} value={view.sort} onChange={(e) => onView({ sort: e.target.value as SortKey })}>
            {SORT_KEYS.map((key) => (
              <option key={key} value={key}>{t(SORT_LABELS[key])}</option>
            ))}
          </select>
        </label>
        <button type="button" aria-pressed={view.descending} onClick={() => onView({ descending: !view.descending })}>
          {t("credentials.toolbar.descending")}
        </button>
        <label className={formStyles.compactField} htmlFor={`${ids}-filter`}>
          {t("credentials.toolbar.filter")}
          <select id={`${ids}-filter`} value={view.filter} onChange={(e) => onView({ filter: e.target.value as Filter })}>
            {FILTERS.map((key) => (
              <option key={key} value={key}>{t(FILTER_LABELS[key])}</option>
            ))}
          </select>
        </label>
        <span className={styles.count} role="status">{t("credentials.toolbar.shown", { shown, total })}</span>
      </div>
      <div className={styles.chips} role="group" aria-label={t("credentials.toolbar.providers")}>
        {providers.map(({ provider, count }) => (
          <button key={provider} type="button" className={styles.chipButton} aria-pressed={view.providers.includes(provider)} onClick={() => toggleProvider(provider)}>
            {provider} <span className={styles.chipCount}>{count}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
