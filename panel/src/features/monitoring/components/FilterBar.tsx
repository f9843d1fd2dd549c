import { forwardRef, useEffect, useId, useState } from "react";
import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import { customWindow, DIM_LABELS, RANGE_LABELS, STATUS_LABELS, toLocalInput } from "../logic";
import {
  FILTER_DIMS,
  RANGE_KEYS,
  STATUS_FILTERS,
  type FilterOptions,
  type Filters,
  type RangeKey,
  type TimeWindow,
} from "../types";
import styles from "./Monitoring.module.css";

interface FilterBarProps {
  range: RangeKey;
  /** The window shown when range is "custom". */
  window: TimeWindow;
  filters: Filters;
  options: FilterOptions;
  active: boolean;
  onRange: (range: RangeKey) => void;
  onCustom: (window: TimeWindow) => void;
  onFilters: (filters: Filters) => void;
  onClear: () => void;
}

const SEARCH_DELAY_MS = 400;

export const FilterBar = forwardRef<HTMLInputElement, FilterBarProps>(function FilterBar(
  { range, window, filters, options, active, onRange, onCustom, onFilters, onClear },
  searchRef,
) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(filters.q);
  const [from, setFrom] = useState(() => toLocalInput(window.start));
  const [to, setTo] = useState(() => toLocalInput(window.end));
  const [customError, setCustomError] = useState(false);
  const ids = { from: useId(), to: useId(), error: useId() };

  useEffect(() => {
    setFrom(toLocalInput(window.start));
    setTo(toLocalInput(window.end));
  }, [window.start, window.end]);

  function applyCustom() {
    const chosen = customWindow(from, to);
    setCustomError(chosen === null);
    if (chosen) onCustom(chosen);
  }

  useEffect(() => setDraft(filters.q), [filters.q]);
  useEffect(() => {
    if (draft === filters.q) return;
    const timer = globalThis.setTimeout(() => onFilters({ ...filters, q: draft }), SEARCH_DELAY_MS);
    return () => globalThis.clearTimeout(timer);
  }, [draft, filters, onFilters]);

  return (
    <div className={styles.filters}>
      <div className={styles.rangeGroup} role="group" aria-label={t("monitoring.range.label")}>
        {RANGE_KEYS.map((key) => (
          <Button key={key} variant={key === range ? "primary" : "secondary"} aria-pressed={key === range} onClick={() => onRange(key)}>
            {t(RANGE_LABELS[key])}
          </Button>
        ))}
      </div>
      {range === "custom" ? (
        <div className={styles.customRange}>
          <label className={styles.field} htmlFor={ids.from}>
            <span>{t("monitoring.range.from")}</span>
            <input id={ids.from} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className={styles.field} htmlFor={ids.to}>
            <span>{t("monitoring.range.to")}</span>
            <input
              id={ids.to}
              type="datetime-local"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-invalid={customError ? true : undefined}
              aria-describedby={customError ? ids.error : undefined}
            />
          </label>
          <Button onClick={applyCustom}>{t("monitoring.range.apply")}</Button>
          {customError ? (
            <span id={ids.error} role="alert" className={styles.errorText}>
              {t("monitoring.range.invalid")}
            </span>
          ) : null}
        </div>
      ) : null}
      <div className={styles.filterFields}>
        {FILTER_DIMS.map((dim) => {
          const value = filters[dim].join(",");
          const items = options[dim] ?? [];
          const known = items.some((item) => item.key === value);
          return (
            <label key={dim} className={styles.field}>
              <span>{t(DIM_LABELS[dim])}</span>
              <select value={value} onChange={(e) => onFilters({ ...filters, [dim]: e.target.value ? e.target.value.split(",") : [] })}>
                <option value="">{t("monitoring.filter.any")}</option>
                {value !== "" && !known ? <option value={value}>{value}</option> : null}
                {items.map((item) => (
                  <option key={item.key} value={item.key}>
                    {item.label}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
        <label className={styles.field}>
          <span>{t("monitoring.filter.status")}</span>
          <select
            value={filters.status}
            onChange={(e) => {
              const next = STATUS_FILTERS.find((s) => s === e.target.value) ?? "all";
              onFilters({ ...filters, status: next });
            }}
          >
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(STATUS_LABELS[s])}
              </option>
            ))}
          </select>
        </label>
        <label className={`${styles.field} ${styles.searchField}`}>
          <span>{t("monitoring.filter.search")}</span>
          <input
            ref={searchRef}
            type="search"
            value={draft}
            placeholder={t("monitoring.filter.searchPlaceholder")}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") onFilters({ ...filters, q: draft });
            }}
          />
        </label>
        <Button onClick={onClear} disabled={!active}>
          {t("monitoring.filter.clear")}
        </Button>
      </div>
    </div>
  );
});
