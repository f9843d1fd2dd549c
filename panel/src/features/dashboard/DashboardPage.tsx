import { useCallback, useMemo, useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import { useI18n } from "../../i18n/I18nProvider";
import { formatInteger } from "../../lib/format";
import type { Resource } from "../../lib/useResource";
import { useResource } from "../../lib/useResource";
import { dashboardApi } from "./api";
import { BudgetsCard } from "./components/BudgetsCard";
import { CollectorCard } from "./components/CollectorCard";
import { CpaCards } from "./components/CpaCards";
import { KpiCards } from "./components/KpiCards";
import { SeriesChart, type ChartBand } from "../../components/ui/SeriesChart";
import { describeGap } from "../../lib/coverage";
import { UsageOffBanner } from "./components/UsageOffBanner";
import styles from "./components/Dashboard.module.css";
import { useNow } from "./hooks/useNow";
import { hasAnyRequests, last24Hours, summaryRanges, toHourlySeries, usagePublishingOff } from "./logic";
import { browserTimeZone, type ServiceStatus } from "../../lib/serviceStatus";

const ANALYTICS_REFRESH_MS = 60_000;

interface DashboardPageProps {
  status: Resource<ServiceStatus>;
  themeKey: string;
}

export function DashboardPage({ status, themeKey }: DashboardPageProps) {
  const { t, language } = useI18n();
  const formatCount = useCallback((value: number) => formatInteger(value, language), [language]);
  const now = useNow();
  const timeZone = useMemo(browserTimeZone, []);
  // Ranges are fixed per load (the refresh interval and the Refresh button move them forward).
  const today = useResource(() => dashboardApi.summary(summaryRanges(Date.now()).today, timeZone), [timeZone], ANALYTICS_REFRESH_MS);
  const week = useResource(() => dashboardApi.summary(summaryRanges(Date.now()).last7Days, timeZone), [timeZone], ANALYTICS_REFRESH_MS);
  const trend = useResource(
    async () => {
      const range = last24Hours(Date.now());
      const answer = await dashboardApi.hourly(range, timeZone);
      return { chart: toHourlySeries(answer.points, range), gaps: answer.gaps };
    },
    [timeZone],
    ANALYTICS_REFRESH_MS,
  );
  const trendSeries = useMemo(
    () => (trend.data ? [{ label: t("dashboard.trend.title"), values: trend.data.chart[1], colorToken: "--color-accent" }] : []),
    [trend.data, t],
  );
  const trendGaps = trend.data?.gaps;
  const trendBands = useMemo<ChartBand[]>(
    () => (trendGaps ?? []).map((gap) => ({ start: gap.start, end: gap.end, label: describeGap(gap, t, language) })),
    [trendGaps, t, language],
  );

  const [budgetsToken, setBudgetsToken] = useState(0);

  function refreshAll() {
    setBudgetsToken((token) => token + 1);
    status.reload();
    today.reload();
    week.reload();
    trend.reload();
  }

  const s = status.data;
  return (
    <div className={styles.page}>
      <div className={styles.pageHeader}>
        <h1 className={styles.pageTitle}>{t("dashboard.page.title")}</h1>
        <Button onClick={refreshAll}>{t("dashboard.page.refresh")}</Button>
      </div>

      {status.error && !s ? (
        <Alert tone="error">{t("dashboard.page.statusFailed", { message: errorText(status.error, t) })}</Alert>
      ) : null}

      {s && usagePublishingOff(s.collector.usageStatisticsEnabled) ? <UsageOffBanner onEnabled={status.reload} /> : null}

      {s && s.warnings.length > 0 ? (
        <Alert tone="warning" title={t("dashboard.warnings.title")}>
          <ul className={styles.warnings}>
            {s.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </Alert>
      ) : null}

      <KpiCards title={t("dashboard.kpi.today")} summary={today} />
      <KpiCards title={t("dashboard.kpi.last7Days")} summary={week} />
      <BudgetsCard refreshToken={budgetsToken} />
      <CpaCards />

      <section className={styles.card} aria-labelledby="trend-title">
        <h2 id="trend-title" className={styles.cardTitle}>
          {t("dashboard.trend.title")}
        </h2>
        {trend.error && !trend.data ? (
          <Alert tone="error">{t("dashboard.trend.loadFailed", { message: errorText(trend.error, t) })}</Alert>
        ) : trend.data ? (
          <>
            <SeriesChart
              xs={trend.data.chart[0]}
              series={trendSeries}
              bucket="hour"
              formatValue={formatCount}
              whole
              themeKey={themeKey}
              label={t("dashboard.trend.title")}
              bands={trendBands}
            />
            {!hasAnyRequests(trend.data.chart) ? <p className={styles.muted}>{t("dashboard.trend.empty")}</p> : null}
          </>
        ) : (
          <p aria-live="polite">{t("common.status.loading")}</p>
        )}
      </section>

      {s ? <CollectorCard status={s} now={now} /> : null}
    </div>
  );
}
