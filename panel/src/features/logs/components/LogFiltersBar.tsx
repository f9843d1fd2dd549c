import { useId } from "react";
import { useI18n } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/en";
import { LEVELS } from "../logic";
import type { LogFilters, LogLevel } from "../types";
import styles from "./Logs.module.css";

const LEVEL_LABELS: Record<LogLevel, MessageKey> = {
  debug: "logs.level.debug",
  info: "logs.level.info",
  warn: "logs.level.warn",
  error: "logs.level.error",
};

interface LogFiltersBarProps {
  filters: LogFilters;
  onChange: (filters: LogFilters) => void;
}

export function LogFiltersBar({ filters, onChange }: LogFiltersBarProps) {
  const { t } = useI18n();
  const searchId = useId();

  function toggleLevel(level: LogLevel, on: boolean) {
    const levels = new Set(filters.levels);
    if (on) levels.add(level);
    else levels.delete(level);
    onChange({ ...filters, levels });
  }

  return (
    <div className={styles.toolbar} role="group" aria-label={t("logs.filter.label")}>
      <label className={styles.compactField} htmlFor={searchId}>
        {t("logs.filter.search")}
        <input
          id={searchId}
          type="search"
          value={filters.text}
          spellCheck={false}
          title={t("logs.filter.searchHint")}
          onChange={(event) => onChange({ ...filters, text: event.target.value })}
        />
      </label>
      <fieldset className={styles.levels}>
        <legend>{t("logs.filter.level")}</legend>
        {LEVELS.map((level) => (
          <label key={level} className={styles.check}>
            <input type="checkbox" checked={filters.levels.has(level)} onChange={(e) => toggleLevel(level, e.target.checked)} />
            {t(LEVEL_LABELS[level])}
          </label>
        ))}
      </fieldset>
      <label className={styles.check}>
        <input
          type="checkbox"
          checked={filters.hideManagement}
          onChange={(event) => onChange({ ...filters, hideManagement: event.target.checked })}
        />
        {t("logs.filter.hideManagement")}
      </label>
    </div>
  );
}
