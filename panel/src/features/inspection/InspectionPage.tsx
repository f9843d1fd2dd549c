import { useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import { Page } from "../../components/ui/Page";
import { useI18n } from "../../i18n/I18nProvider";
import { ExecuteDialog } from "./components/ExecuteDialog";
import styles from "./components/Inspection.module.css";
import { PastRuns } from "./components/PastRuns";
import { ResultsTable } from "./components/ResultsTable";
import { RunProgress } from "./components/RunProgress";
import { SettingsForm } from "./components/SettingsForm";
import { useInspection } from "./hooks/useInspection";
import { canExecute, DEFAULT_SETTINGS, isRunning, pendingResults } from "./logic";
import type { InspectionSettings, RunResult } from "./types";

type Target = { one: RunResult } | { all: readonly RunResult[] };

/** Codex account inspection: settings and a dry run, its progress, the suggestions, execution after a question. */
export function InspectionPage() {
  const { t } = useI18n();
  const inspection = useInspection();
  const [target, setTarget] = useState<Target | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const { detail, runs } = inspection;
  const running = detail !== null && isRunning(detail.run);
  const executable = detail !== null && canExecute(detail.run, inspection.newestId);
  const pending = detail ? pendingResults(detail.results) : [];

  const act = async (work: () => Promise<unknown>) => {
    setFailure(null);
    try {
      await work();
    } catch (cause) {
      setFailure(errorText(cause, t));
    }
  };

  const run = (settings: InspectionSettings) => void act(() => inspection.start(settings));

  const confirm = async () => {
    if (!target) return;
    setBusy(true);
    setDialogError(null);
    try {
      await ("one" in target ? inspection.executeOne(target.one.seq) : inspection.executeAll());
      setTarget(null);
    } catch (cause) {
      setDialogError(errorText(cause, t));
    } finally {
      setBusy(false);
    }
  };

  const open = (next: Target) => {
    setDialogError(null);
    setTarget(next);
  };

  return (
    <Page title={t("inspection.page.title")}>
      <p className={styles.intro}>{t("inspection.page.intro")}</p>
      {inspection.error ? <Alert tone="error">{errorText(inspection.error, t)}</Alert> : null}
      {failure ? <Alert tone="error">{failure}</Alert> : null}
      <SettingsForm
        key={runs === null ? "loading" : "loaded"}
        initial={runs?.[0]?.settings ?? DEFAULT_SETTINGS}
        disabled={running || runs === null}
        onRun={run}
      />
      {detail ? <RunProgress run={detail.run} onCancel={() => void act(inspection.cancel)} /> : null}
      {detail ? (
        <section className={styles.card} aria-labelledby="inspection-results-title">
          <div className={styles.cardHeader}>
            <h2 id="inspection-results-title" className={styles.cardTitle}>
              {t("inspection.results.title")}
            </h2>
            {executable && pending.length > 0 ? (
              <Button variant="primary" onClick={() => open({ all: pending })}>
                {t("inspection.results.executeAll", { count: pending.length })}
              </Button>
            ) : null}
          </div>
          {!executable && !running && pending.length > 0 ? (
            <p className={styles.muted}>{t("inspection.results.outdated")}</p>
          ) : null}
          <ResultsTable results={detail.results} executable={executable} onExecute={(one) => open({ one })} />
        </section>
      ) : null}
      {runs ? <PastRuns runs={runs} shownId={detail?.run.id ?? null} onShow={inspection.select} /> : null}
      {target ? (
        <ExecuteDialog target={target} busy={busy} error={dialogError} onConfirm={() => void confirm()}
          onClose={() => setTarget(null)} />
      ) : null}
    </Page>
  );
}
