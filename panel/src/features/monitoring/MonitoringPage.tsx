import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import { useI18n } from "../../i18n/I18nProvider";
import { formatInteger, formatUsd } from "../../lib/format";
import { useResource, type Resource } from "../../lib/useResource";
import { browserTimeZone, type ServiceStatus } from "../../lib/serviceStatus";
import { clientKeyNames, labelApiKeyRows } from "../../lib/cpa/keys";
import { cpaApi } from "../../lib/cpa/status";
import { cpaLogsApi } from "../../lib/cpa/logs";
import { accountNames, labelAccountRows, labelEventAccounts } from "./accounts";
import { monitoringApi } from "./api";
import { BreakdownTable } from "./components/BreakdownTable";
import { EmptyState } from "./components/EmptyState";
import { EventsTable } from "./components/EventsTable";
import { FailuresPanel } from "./components/FailuresPanel";
import { FilterBar } from "./components/FilterBar";
import { KpiGrid } from "./components/KpiGrid";
import { TokenMix } from "./components/TokenMix";
import styles from "./components/Monitoring.module.css";
import { SeriesChart, type ChartBand, type ChartSeries } from "../../components/ui/SeriesChart";
import { describeGap } from "../../lib/coverage";
import { useEvents } from "./hooks/useEvents";
import {
  analyticsQuery,
  bucketFor,
  emptyFilters,
  hasActiveFilters,
  isSearchShortcut,
  monitoringHash,
  parseMonitoringHash,
  rangeWindow,
  toChartData,
} from "./logic";
import type { FilterDim, Filters, MonitoringQuery, RangeKey, TimeWindow } from "./types";

interface MonitoringPageProps {
  status: Resource<ServiceStatus>;
  themeKey: string;
}

export function MonitoringPage({ status, themeKey }: MonitoringPageProps) {
  const { t, language } = useI18n();
  const timeZone = useMemo(browserTimeZone, []);
  const [query, setQuery] = useState<MonitoringQuery>(() => parseMonitoringHash(window.location.hash));
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [dim, setDim] = useState<FilterDim>("model");
  const searchRef = useRef<HTMLInputElement>(null);

  // The hash is the bookmarkable copy of the state; replaceState keeps Back for real navigation.
  useEffect(() => {
    const hash = monitoringHash(query);
    if (window.location.hash !== hash) window.history.replaceState(null, "", hash);
  }, [query]);
  useEffect(() => {
    const onHash = () => {
      if (window.location.hash.startsWith("#/monitoring")) setQuery(parseMonitoringHash(window.location.hash));
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (isSearchShortcut(event.key, target?.tagName, target?.isContentEditable ?? false)) {
        event.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const { range, filters, custom } = query;
  const oldestStored = status.data?.oldestEventAt ?? 0;
  const win = useMemo(() => rangeWindow(range, nowMs, custom, oldestStored), [range, nowMs, custom, oldestStored]);
  const bucket = bucketFor(win);
  const key = analyticsQuery(win, timeZone, filters);
  const rangeKey = analyticsQuery(win, timeZone, null);

  const summary = useResource(() => monitoringApi.summary(win, timeZone, filters), [key]);
  const series = useResource(async () => {
    const answer = await monitoringApi.timeseries(win, timeZone, filters, bucket);
    return { chart: toChartData(answer.points, win, bucket), gaps: answer.gaps };
  }, [key, bucket]);
  const gaps = series.data?.gaps;
  const bands = useMemo<ChartBand[]>(
    () => (gaps ?? []).map((gap) => ({ start: gap.start, end: gap.end, label: describeGap(gap, t, language) })),
    [gaps, t, language],
  );
  const breakdown = useResource(() => monitoringApi.breakdown(win, timeZone, filters, dim), [key, dim]);
  const failures = useResource(() => monitoringApi.failures(win, timeZone, filters), [key]);
  const options = useResource(() => monitoringApi.options(win, timeZone), [rangeKey]);
  const rawEvents = useEvents(win, timeZone, filters, key);
  // CPA knows each account's real name; failing that, the service's masked labels stay.
  const authFiles = useResource(() => cpaApi.authFiles().catch(() => []), []);
  const requestLog = useResource(() => cpaLogsApi.requestLogEnabled().catch(() => null), []);
  const [revealAccounts, setRevealAccounts] = useState(false);
  const names = useMemo(() => accountNames(authFiles.data ?? [], revealAccounts), [authFiles.data, revealAccounts]);
  // CPA v8's client-key display names, keyed by the same sha256 as the usage store's api_key_hash.
  const keyNames = useResource(clientKeyNames, []);
  const labeledOptions = useMemo(() => {
    const all = options.data ?? {};
    const apiKey = all.apiKey && keyNames.data ? labelApiKeyRows(all.apiKey, keyNames.data).sort((a, b) => a.label.localeCompare(b.label)) : all.apiKey;
    if (!all.account) return apiKey ? { ...all, apiKey } : all;
    const account = labelAccountRows(all.account, names).sort((a, b) => a.label.localeCompare(b.label));
    return apiKey ? { ...all, account, apiKey } : { ...all, account };
  }, [options.data, names, keyNames.data]);
  const labeledBreakdown = useMemo(() => {
    if (!breakdown.data) return breakdown;
    if (dim === "account") return { ...breakdown, data: labelAccountRows(breakdown.data, names) };
    if (dim === "apiKey" && keyNames.data) return { ...breakdown, data: labelApiKeyRows(breakdown.data, keyNames.data) };
    return breakdown;
  }, [breakdown, dim, names, keyNames.data]);
  const events = useMemo(() => ({ ...rawEvents, rows: labelEventAccounts(rawEvents.rows, names) }), [rawEvents, names]);

  const setRange = useCallback((next: RangeKey) => {
    const now = Date.now();
    setNowMs(now);
    setQuery((q) => ({
      ...q,
      range: next,
      custom: next === "custom" ? (q.custom ?? rangeWindow("24h", now)) : null,
    }));
  }, []);
  const setCustom = useCallback((window: TimeWindow) => setQuery((q) => ({ ...q, range: "custom", custom: window })), []);
  const setFilters = useCallback((next: Filters) => setQuery((q) => ({ ...q, filters: next })), []);
  const clear = useCallback(() => setQuery((q) => ({ ...q, filters: emptyFilters() })), []);

  const requestSeries = useMemo<ChartSeries[]>(
    () =>
      series.data
        ? [
            { label: t("monitoring.chart.requests"), values: series.data.chart[1], colorToken: "--color-accent" },
            { label: t("monitoring.chart.failures"), values: series.data.chart[2], colorToken: "--color-danger" },
          ]
        : [],
    [series.data, t],
  );
  const tokenSeries = useMemo<ChartSeries[]>(
    () =>
      series.data
        ? [
            { label: t("monitoring.chart.inputTokens"), values: series.data.chart[4], colorToken: "--color-accent" },
            { label: t("monitoring.chart.outputTokens"), values: series.data.chart[5], colorToken: "--color-warning" },
          ]
        : [],
    [series.data, t],
  );
  const costSeries = useMemo<ChartSeries[]>(
    () => (series.data ? [{ label: t("monitoring.chart.cost"), values: series.data.chart[3], colorToken: "--color-success" }] : []),
    [series.data, t],
  );
  const formatCount = useCallback((v: number) => formatInteger(v, language), [language]);
  const formatCost = useCallback((v: number) => formatUsd(v, language), [language]);

  const empty = summary.data !== null && summary.data.requests === 0;
  const active = hasActiveFilters(filters);

  return (
    <div className={styles.page}>
      <div className={styles.pageHeader}>
        <h1 className={styles.pageTitle}>{t("monitoring.page.title")}</h1>
        <div className={styles.accountToggle}>
          <Button aria-pressed={revealAccounts} onClick={() => setRevealAccounts((shown) => !shown)}>
            {revealAccounts ? t("monitoring.accounts.hide") : t("monitoring.accounts.reveal")}
          </Button>
          <Button onClick={() => setNowMs(Date.now())}>{t("monitoring.page.refresh")}</Button>
        </div>
      </div>

      <FilterBar
        ref={searchRef}
        range={range}
        window={win}
        filters={filters}
        options={labeledOptions}
        active={active}
        onRange={setRange}
        onCustom={setCustom}
        onFilters={setFilters}
        onClear={clear}
      />

      {summary.error && !summary.data ? (
        <Alert tone="error">{t("monitoring.page.loadFailed", { message: errorText(summary.error, t) })}</Alert>
      ) : null}

      {empty ? <EmptyState status={status.data} window={win} filtered={active} gaps={gaps ?? []} onShowAll={() => setRange("all")} /> : null}

      <section aria-label={t("monitoring.kpi.label")} aria-busy={summary.loading}>
        <KpiGrid kpis={summary.data} />
      </section>

      {!empty ? (
        <>
          <div className={styles.charts}>
            <section className={styles.card} aria-labelledby="requests-chart-title">
              <h2 id="requests-chart-title" className={styles.cardTitle}>
                {t(bucket === "day" ? "monitoring.chart.requestsPerDay" : "monitoring.chart.requestsPerHour")}
              </h2>
              {series.error && !series.data ? (
                <Alert tone="error">{t("monitoring.page.loadFailed", { message: errorText(series.error, t) })}</Alert>
              ) : series.data ? (
                <SeriesChart
                  xs={series.data.chart[0]}
                  series={requestSeries}
                  bucket={bucket}
                  formatValue={formatCount}
                  whole
                  themeKey={themeKey}
                  label={t("monitoring.chart.requests")}
                  bands={bands}
                />
              ) : (
                <p aria-live="polite">{t("common.status.loading")}</p>
              )}
            </section>
            <section className={styles.card} aria-labelledby="tokens-chart-title">
              <h2 id="tokens-chart-title" className={styles.cardTitle}>
                {t("monitoring.chart.tokensTitle")}
              </h2>
              {series.data ? (
                <SeriesChart
                  xs={series.data.chart[0]}
                  series={tokenSeries}
                  bucket={bucket}
                  formatValue={formatCount}
                  whole
                  themeKey={themeKey}
                  label={t("monitoring.chart.tokensTitle")}
                  bands={bands}
                />
              ) : series.error ? null : (
                <p aria-live="polite">{t("common.status.loading")}</p>
              )}
            </section>
            <section className={styles.card} aria-labelledby="cost-chart-title">
              <h2 id="cost-chart-title" className={styles.cardTitle}>
                {t(bucket === "day" ? "monitoring.chart.costPerDay" : "monitoring.chart.costPerHour")}
              </h2>
              {series.data ? (
                <SeriesChart
                  xs={series.data.chart[0]}
                  series={costSeries}
                  bucket={bucket}
                  formatValue={formatCost}
                  whole={false}
                  themeKey={themeKey}
                  label={t("monitoring.chart.cost")}
                  bands={bands}
                />
              ) : series.error ? null : (
                <p aria-live="polite">{t("common.status.loading")}</p>
              )}
            </section>
            <TokenMix kpis={summary.data} />
          </div>

          <BreakdownTable dim={dim} onDim={setDim} rows={labeledBreakdown} />
          <FailuresPanel report={failures} />
        </>
      ) : null}

      <EventsTable events={events} requestLogs={requestLog.data === true} />
    </div>
  );
}
