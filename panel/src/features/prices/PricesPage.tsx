import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { useResource } from "../../lib/useResource";
import { pricesApi } from "./api";
import { AddModelForm } from "./components/AddModelForm";
import { BuiltInPrices } from "./components/BuiltInPrices";
import { inputId, PriceTable } from "./components/PriceTable";
import styles from "./components/Prices.module.css";
import { UnpricedList } from "./components/UnpricedList";
import {
  buildSaveBody,
  customisedDraft,
  hasErrors,
  isDirty,
  newDraft,
  toDrafts,
  validateDrafts,
  type DraftErrors,
} from "./logic";
import type { DraftField, ModelPrice, PriceDraft, SyncReport } from "./types";

type Notice =
  | { kind: "saved" }
  | { kind: "synced"; report: SyncReport }
  | { kind: "error"; text: string };

/** Before the first Save, empty required fields are not flagged (new rows start empty). */
const QUIET_ERRORS: readonly MessageKey[] = ["prices.error.required", "prices.error.nameRequired"];

function visibleErrors(errors: DraftErrors, all: boolean): DraftErrors {
  if (all) return errors;
  const out: DraftErrors = {};
  for (const [id, row] of Object.entries(errors)) {
    const kept = Object.fromEntries(Object.entries(row).filter(([, key]) => !QUIET_ERRORS.includes(key)));
    if (Object.keys(kept).length > 0) out[id] = kept;
  }
  return out;
}

export function PricesPage() {
  const { t } = useI18n();
  const saved = useResource(() => pricesApi.list(), []);
  const seen = useResource(() => pricesApi.seenModels(), []);
  const [drafts, setDrafts] = useState<PriceDraft[]>([]);
  const [showAll, setShowAll] = useState(false);
  const [busy, setBusy] = useState<"save" | "sync" | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const counter = useRef(0);

  useEffect(() => {
    if (saved.data) {
      setDrafts(toDrafts(saved.data.prices));
      setShowAll(false);
    }
  }, [saved.data]);
  useEffect(() => {
    if (focusId) document.getElementById(inputId(focusId, "input"))?.focus();
  }, [focusId]);

  const errors = useMemo(() => validateDrafts(drafts), [drafts]);
  const dirty = saved.data ? isDirty(drafts, saved.data.prices) : false;
  const shown = useMemo(() => visibleErrors(errors, showAll), [errors, showAll]);

  const nextId = () => `new-${++counter.current}`;
  const change = useCallback((id: string, field: DraftField, value: string) => {
    setDrafts((rows) => rows.map((row) => (row.id === id ? { ...row, [field]: value } : row)));
  }, []);
  const remove = useCallback((id: string) => setDrafts((rows) => rows.filter((row) => row.id !== id)), []);
  const add = (row: Omit<PriceDraft, "id">) => {
    const id = nextId();
    setDrafts((rows) => [...rows, { ...row, id }]);
    setNotice(null);
  };
  const addSeen = (model: string) => {
    const id = nextId();
    setDrafts((rows) => [...rows, newDraft(id, model)]);
    setFocusId(id);
    setNotice(null);
  };

  const customise = (price: ModelPrice) => {
    const id = nextId();
    setDrafts((rows) => [...rows, customisedDraft(id, price)]);
    setFocusId(id);
    setNotice(null);
  };

  const save = async () => {
    setShowAll(true);
    if (hasErrors(errors)) {
      setNotice({ kind: "error", text: t("prices.save.invalid") });
      return;
    }
    setBusy("save");
    setNotice(null);
    try {
      await pricesApi.save(buildSaveBody(drafts));
      setNotice({ kind: "saved" });
      saved.reload();
      seen.reload();
    } catch (error) {
      setNotice({ kind: "error", text: t("prices.save.failed", { message: errorText(error, t) }) });
    } finally {
      setBusy(null);
    }
  };

  const sync = async () => {
    setBusy("sync");
    setNotice(null);
    try {
      const report = await pricesApi.sync();
      setNotice({ kind: "synced", report });
      saved.reload();
      seen.reload();
    } catch (error) {
      setNotice({ kind: "error", text: t("prices.sync.failed", { message: errorText(error, t) }) });
    } finally {
      setBusy(null);
    }
  };

  const discard = () => {
    if (saved.data) setDrafts(toDrafts(saved.data.prices));
    setShowAll(false);
    setNotice(null);
  };

  const loaded = saved.data !== null;
  return (
    <div className={styles.page}>
      <div className={styles.pageHeader}>
        <div>
          <h1 className={styles.pageTitle}>{t("prices.page.title")}</h1>
          <p className={styles.intro}>{t("prices.page.intro")}</p>
          <p className={styles.intro}>{t("prices.page.override")}</p>
        </div>
        <div className={styles.actions}>
          <Button onClick={() => void sync()} disabled={!loaded || busy !== null || dirty}>
            {busy === "sync" ? t("prices.actions.syncing") : t("prices.actions.sync")}
          </Button>
        </div>
      </div>

      {notice?.kind === "saved" ? <Alert tone="success">{t("prices.save.done")}</Alert> : null}
      {notice?.kind === "synced" ? (
        <Alert tone={notice.report.unmatched.length > 0 ? "warning" : "success"}>
          <p>{t("prices.sync.done", { imported: notice.report.imported, skipped: notice.report.skipped })}</p>
          {notice.report.unmatched.length > 0 ? (
            <p>
              {t("prices.sync.unmatched", {
                count: notice.report.unmatched.length,
                models: notice.report.unmatched.join(", "),
              })}
            </p>
          ) : null}
        </Alert>
      ) : null}
      {notice?.kind === "error" ? <Alert tone="error">{notice.text}</Alert> : null}

      <section className={styles.card} aria-labelledby="prices-title" aria-busy={saved.loading}>
        <h2 id="prices-title" className={styles.cardTitle}>
          {t("prices.table.caption")}
        </h2>
        {saved.error && !loaded ? (
          <Alert
            tone="error"
            action={<Button onClick={saved.reload}>{t("common.action.retry")}</Button>}
          >
            {t("prices.page.loadFailed", { message: errorText(saved.error, t) })}
          </Alert>
        ) : !loaded ? (
          <p aria-live="polite">{t("common.status.loading")}</p>
        ) : (
          <>
            <PriceTable labelledBy="prices-title" drafts={drafts} errors={shown} disabled={busy !== null} onChange={change} onDelete={remove} />
            <div className={styles.saveBar}>
              <Button variant="primary" onClick={() => void save()} disabled={busy !== null || !dirty}>
                {busy === "save" ? t("prices.actions.saving") : t("prices.actions.save")}
              </Button>
              <Button variant="ghost" onClick={discard} disabled={busy !== null || !dirty}>
                {t("prices.actions.discard")}
              </Button>
              {dirty ? (
                <span className={styles.muted} role="status">
                  {t("prices.actions.unsaved")} {t("prices.actions.syncBlocked")}
                </span>
              ) : null}
            </div>
          </>
        )}
      </section>

      {loaded ? <AddModelForm drafts={drafts} disabled={busy !== null} onAdd={add} /> : null}
      <UnpricedList seen={seen} drafts={drafts} disabled={!loaded || busy !== null} onAdd={addSeen} />
      {/* A server without a shipped table sends no defaults: then there is nothing to list. */}
      {saved.data && saved.data.defaults.prices.length > 0 ? (
        <BuiltInPrices defaults={saved.data.defaults} drafts={drafts} disabled={busy !== null} onCustomise={customise} />
      ) : null}
    </div>
  );
}
