import { useCallback, useMemo } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import { Page } from "../../components/ui/Page";
import { useI18n } from "../../i18n/I18nProvider";
import { coverageApi, describeGap } from "../../lib/coverage";
import { cpaApi, type CpaConfig } from "../../lib/cpa/status";
import { useConnection } from "../../lib/connection";
import { formatRelativeTime } from "../../lib/format";
import { controlCollector, type ServiceStatus } from "../../lib/serviceStatus";
import { useResource, type Resource } from "../../lib/useResource";
import { diagnosticsApi } from "./api";
import { Checklist } from "./components/Checklist";
import styles from "./components/Diagnostics.module.css";
import { buildChecklist, MONITORING_DEFAULT_SPAN_MS, verdict } from "./logic";
import type { CheckAction } from "./types";

interface DiagnosticsPageProps {
  status: Resource<ServiceStatus>;
  cpa: Resource<CpaConfig>;
}

/** "Why is monitoring empty?": every known cause, checked live against /status and CPA. */
export function DiagnosticsPage({ status, cpa }: DiagnosticsPageProps) {
  const { t, language } = useI18n();
  const connection = useConnection();
  const traffic = useResource(
    () => (connection.hasUsageService ? diagnosticsApi.traffic(Date.now()) : Promise.resolve(null)),
    [connection.hasUsageService, connection.usageServiceUrl],
  );

  // Gaps over Monitoring's default range: what an empty Monitoring page shows first.
  const coverage = useResource(
    () => {
      const now = Date.now();
      return connection.hasUsageService ? coverageApi.gaps({ start: now - MONITORING_DEFAULT_SPAN_MS, end: now }) : Promise.resolve(null);
    },
    [connection.hasUsageService, connection.usageServiceUrl],
  );

  const checks = useMemo(() => {
    const now = Date.now();
    return buildChecklist({
      mode: connection.mode,
      hasUsageService: connection.hasUsageService,
      status: status.data,
      statusError: status.error && !status.data ? errorText(status.error, t) : null,
      cpa: cpa.data,
      cpaError: cpa.error && !cpa.data ? errorText(cpa.error, t) : null,
      traffic: traffic.data,
      trafficLoading: traffic.loading,
      trafficError: traffic.error && !traffic.data ? errorText(traffic.error, t) : null,
      nowMs: now,
      ago: (ms) => formatRelativeTime(ms, now, language) ?? t("common.value.never"),
      coverage: coverage.data,
      coverageError: coverage.error && !coverage.data ? errorText(coverage.error, t) : null,
      describeGap: (gap) => describeGap(gap, t, language),
    });
  }, [
    connection,
    status.data,
    status.error,
    cpa.data,
    cpa.error,
    traffic.data,
    traffic.loading,
    traffic.error,
    coverage.data,
    coverage.error,
    t,
    language,
  ]);
  const lead = verdict(checks);

  const recheck = useCallback(() => {
    status.reload();
    cpa.reload();
    traffic.reload();
    coverage.reload();
  }, [status, cpa, traffic, coverage]);

  const onAction = useCallback(
    async (action: CheckAction) => {
      if (action.kind === "enablePublishing") await cpaApi.enableUsageStatistics();
      else if (action.kind === "collector") await controlCollector(action.action);
      recheck();
    },
    [recheck],
  );

  return (
    <Page title={t("diagnostics.page.title")} actions={<Button onClick={recheck}>{t("diagnostics.page.recheck")}</Button>}>
      <p className={styles.intro}>{t("diagnostics.page.intro")}</p>
      {lead ? (
        <Alert tone={lead.state === "fail" ? "error" : "warning"} title={t("diagnostics.page.likelyCause")}>
          {t(lead.title)}: {t(lead.detail, lead.vars)}
        </Alert>
      ) : checks.every((c) => c.state === "ok") ? (
        <Alert tone="success">{t("diagnostics.page.allGood")}</Alert>
      ) : null}
      <Checklist checks={checks} onAction={onAction} />
    </Page>
  );
}
