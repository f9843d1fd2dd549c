import { useDeferredValue, useEffect, useMemo, useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import { Page } from "../../components/ui/Page";
import { useI18n } from "../../i18n/I18nProvider";
import type { CpaTree } from "../../lib/cpa/client";
import { cpaLogsApi } from "../../lib/cpa/logs";
import { useCpaCapabilities } from "../../lib/cpa/useCapabilities";
import { saveText } from "../../lib/saveFile";
import { useResource } from "../../lib/useResource";
import { ErrorLogsCard } from "./components/ErrorLogsCard";
import { LogFiltersBar } from "./components/LogFiltersBar";
import { LoggingOffNotice } from "./components/LoggingOffNotice";
import { LogToolbar } from "./components/LogToolbar";
import { LogViewer } from "./components/LogViewer";
import styles from "./components/Logs.module.css";
import { RequestLogCard } from "./components/RequestLogCard";
import { useLogStream } from "./hooks/useLogStream";
import { emptyFilters, filterLines, requestFromHash, shownText } from "./logic";
import type { LogFilters, LogLine } from "./types";

const DEFAULT_INTERVAL_S = 5;

async function loadSettings(): Promise<{ loggingToFile: boolean | null; requestLog: boolean | null }> {
  const [loggingToFile, requestLog] = await Promise.all([cpaLogsApi.loggingToFile(), cpaLogsApi.requestLogEnabled()]);
  return { loggingToFile, requestLog };
}

export function LogsPage() {
  const { t } = useI18n();
  const capabilities = useCpaCapabilities();
  const settings = useResource(loadSettings, []);
  const tree: CpaTree | null = capabilities.data ? (capabilities.data.hasV8 ? "v8" : "v0") : null;
  // An older CPA that does not say is read anyway: its /logs answers for itself.
  const loggingOff = settings.data?.loggingToFile === false;
  const [follow, setFollow] = useState(false);
  const [intervalS, setIntervalS] = useState(DEFAULT_INTERVAL_S);
  const stream = useLogStream(settings.data && !loggingOff ? tree : null, follow ? intervalS : null);
  const [filters, setFilters] = useState<LogFilters>(emptyFilters);
  // Typing stays responsive over 100,000 lines: the list filters with the deferred copy.
  const deferred = useDeferredValue(filters);
  const indices = useMemo(() => filterLines(stream.lines, deferred), [stream.lines, deferred]);
  const [fullLine, setFullLine] = useState<LogLine | null>(null);
  const [requestId, setRequestId] = useState(() => requestFromHash(window.location.hash));

  useEffect(() => {
    const onHash = () => {
      if (window.location.hash.startsWith("#/logs")) setRequestId(requestFromHash(window.location.hash));
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  async function clear(): Promise<number> {
    if (tree === null) return 0;
    const removed = await cpaLogsApi.clear(tree);
    stream.restart();
    return removed;
  }

  const loadError = capabilities.error ?? settings.error;
  return (
    <Page title={t("logs.page.title")}>
      {loadError ? <Alert tone="error">{t("logs.page.loadFailed", { message: errorText(loadError, t) })}</Alert> : null}
      {!settings.data && !loadError ? <p aria-live="polite">{t("logs.page.checking")}</p> : null}
      {loggingOff ? <LoggingOffNotice onEnabled={settings.reload} /> : null}

      {settings.data && !loggingOff && tree ? (
        <section className={styles.card} aria-label={t("logs.view.label")}>
          <LogToolbar
            follow={follow}
            onFollow={setFollow}
            intervalS={intervalS}
            onInterval={setIntervalS}
            onRefresh={stream.refresh}
            canDownload={indices.length > 0}
            onDownload={() => saveText(shownText(stream.lines, indices), `cpa-main-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.log`)}
            onClear={clear}
          />
          <LogFiltersBar filters={filters} onChange={setFilters} />
          {stream.resets > 0 ? <Alert tone="info">{t("logs.page.reset")}</Alert> : null}
          {stream.error ? <Alert tone="error">{t("logs.page.loadFailed", { message: errorText(stream.error, t) })}</Alert> : null}
          <p className={styles.muted} aria-live="polite">
            {stream.lines.length === 0
              ? stream.loading
                ? t("common.status.loading")
                : t("logs.view.empty")
              : indices.length === 0
                ? t("logs.view.noMatch")
                : t("logs.view.count", { shown: indices.length, total: stream.lines.length })}
          </p>
          <LogViewer lines={stream.lines} indices={indices} query={deferred.text} follow={follow} onShowAll={setFullLine} />
          {fullLine ? (
            <div>
              <div className={styles.buttons}>
                <strong>{t("logs.view.fullLine")}</strong>
                <Button onClick={() => setFullLine(null)}>{t("logs.view.closeFull")}</Button>
              </div>
              <pre className={styles.full} tabIndex={0} aria-label={t("logs.view.fullLine")}>
                {fullLine.text}
              </pre>
            </div>
          ) : null}
        </section>
      ) : null}

      {tree ? <RequestLogCard tree={tree} initialId={requestId} /> : null}
      {tree ? <ErrorLogsCard tree={tree} requestLogOn={settings.data?.requestLog ?? null} /> : null}
    </Page>
  );
}
