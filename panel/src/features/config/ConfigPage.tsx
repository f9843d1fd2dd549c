import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import { useI18n } from "../../i18n/I18nProvider";
import type { Refusal } from "./codemirror";
import styles from "./components/Config.module.css";
import { SaveDialogs } from "./components/SaveDialogs";
import { SaveStatus } from "./components/SaveStatus";
import { VisualTab } from "./components/VisualTab";
import { useConfigDocument, type Tab } from "./hooks/useConfigDocument";
import { useSaveFlow } from "./hooks/useSaveFlow";
import { useUnsavedGuard } from "./hooks/useUnsavedGuard";

const SourceEditor = lazy(() => import("./components/SourceEditor"));

/** The tab is part of the address (#/config?tab=source), so a reload or a link opens the same one. */
function tabFromHash(): Tab {
  return new URLSearchParams(window.location.hash.split("?")[1] ?? "").get("tab") === "source" ? "source" : "visual";
}

function writeTab(tab: Tab): void {
  const path = window.location.hash.split("?")[0] || "#/config";
  window.history.replaceState(window.history.state, "", tab === "source" ? `${path}?tab=source` : path);
}

export function ConfigPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>(tabFromHash);
  const [blocked, setBlocked] = useState(false);
  const config = useConfigDocument(tab);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const flow = useSaveFlow({ loaded: config.loaded, pending: config.pending, onSaved: config.adopt, onReapply: config.reapply });
  useUnsavedGuard(config.dirty, t("config.guard.leave"));

  const { step } = flow;
  const canSave = config.loaded !== null && config.dirty && config.valid;
  const startSave = flow.save;
  // Ctrl/Cmd-S and the Save button do the same; the ref lets the one window listener see the latest state.
  const saveRef = useRef<() => void>(() => undefined);
  saveRef.current = () => {
    const idle = ["idle", "saved", "refused", "interrupted", "reapplied"].includes(step.kind);
    if (step.kind === "review") flow.confirm();
    else if (idle && canSave) {
      setRefusal(null);
      startSave();
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
        event.preventDefault();
        saveRef.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // CPA's refusal goes onto the Source editor at its line while the sent text is what the editor shows.
  useEffect(() => {
    if (step.kind === "refused" && step.line !== null && tab === "source") setRefusal({ line: step.line, message: step.message });
  }, [step, tab]);

  const choose = (next: Tab) => {
    if (!config.switchTo(next)) {
      setBlocked(true);
      return;
    }
    setBlocked(false);
    setRefusal(null);
    setTab(next);
    writeTab(next);
  };

  if (config.loaded === null || config.drafts === null) {
    return (
      <div className={styles.page}>
        <h1 className={styles.pageTitle}>{t("config.page.title")}</h1>
        {config.loadError ? (
          <Alert tone="error" title={t("config.load.failed")} action={<Button onClick={config.load}>{t("common.action.retry")}</Button>}>
            {errorText(config.loadError, t)}
          </Alert>
        ) : (
          <p role="status">{t("common.status.loading")}</p>
        )}
      </div>
    );
  }

  return (
    <div className={styles.page}>
      <div className={styles.pageHeader}>
        <h1 className={styles.pageTitle}>{t("config.page.title")}</h1>
        <span className={styles.layoutBadge} data-testid="config-layout">
          {config.layout === "v8" ? t("config.layout.v8") : t("config.layout.flat")}
        </span>
      </div>
      <div className={styles.toolbar}>
        <div role="tablist" aria-label={t("config.tabs.label")} className={styles.tabs}>
          {(["visual", "source"] as const).map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              id={`config-tab-${name}`}
              aria-selected={tab === name}
              aria-controls={`config-panel-${name}`}
              className={styles.tab}
              onClick={() => choose(name)}
            >
              {name === "visual" ? t("config.tabs.visual") : t("config.tabs.source")}
            </button>
          ))}
        </div>
        <div className={styles.actions}>
          <span className={styles.hint} role="status">
            {config.dirty ? t("config.status.unsaved") : t("config.status.clean")}
          </span>
          <Button onClick={config.discard} disabled={!config.dirty}>
            {t("config.action.discard")}
          </Button>
          <Button variant="primary" onClick={() => saveRef.current()} disabled={!canSave || step.kind === "checking"}>
            {step.kind === "checking" ? t("config.status.checking") : t("config.action.save")}
          </Button>
        </div>
      </div>
      {blocked ? (
        <Alert tone="warning">{tab === "source" ? t("config.tabs.blockedSource") : t("config.tabs.blockedVisual")}</Alert>
      ) : null}
      {config.broken && tab === "visual" ? <Alert tone="warning">{t("config.status.broken")}</Alert> : null}
      {!config.valid && !(config.broken && tab === "visual") ? <Alert tone="warning">{t("config.status.invalid")}</Alert> : null}
      <SaveStatus flow={flow} onShowLine={tab === "visual" ? () => choose("source") : null} />
      <div role="tabpanel" id={`config-panel-${tab}`} aria-labelledby={`config-tab-${tab}`}>
        {tab === "visual" ? (
          <VisualTab
            drafts={config.drafts}
            onValue={config.setField}
            problems={config.problems}
            payloadProblem={config.payloadProblem}
          />
        ) : (
          <Suspense fallback={<p role="status">{t("common.status.loading")}</p>}>
            <p className={styles.hint}>{t("config.source.help")}</p>
            <SourceEditor text={config.source} label={t("config.source.label")} onChange={config.setSource} refusal={refusal} />
            {config.sourceProblems[0] ? (
              <p className={styles.fieldError} role="alert">
                {t("config.problem.yaml", { line: String(config.sourceProblems[0].line), message: config.sourceProblems[0].message })}
              </p>
            ) : null}
          </Suspense>
        )}
      </div>
      <SaveDialogs flow={flow} />
    </div>
  );
}
