import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import { Page } from "../../components/ui/Page";
import surface from "../../components/ui/Surface.module.css";
import { useI18n } from "../../i18n/I18nProvider";
import type { Credential } from "../../lib/cpa/credentials";
import { saveBlob } from "../../lib/saveFile";
import { BatchBar } from "./components/BatchBar";
import { ConfirmDialog } from "./components/ConfirmDialog";
import { CredentialList } from "./components/CredentialList";
import type { RowActions } from "./components/CredentialRow";
import { FieldEditor } from "./components/FieldEditor";
import { ModelsDialog } from "./components/ModelsDialog";
import { Toolbar } from "./components/Toolbar";
import { UploadPanel } from "./components/UploadPanel";
import { useBatch } from "./hooks/useBatch";
import { useCredentialData } from "./hooks/useCredentialData";
import { credentialsHash, invertSelection, parseCredentialsHash, providerCounts, visibleRows } from "./logic";
import type { CredentialView } from "./types";

type Open = { kind: "edit" | "models" | "delete"; name: string } | null;

export function CredentialsPage() {
  const { t } = useI18n();
  const data = useCredentialData();
  const [view, setView] = useState<CredentialView>(() => parseCredentialsHash(window.location.hash));
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [busy, setBusy] = useState<Set<string>>(() => new Set());
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const onScreen = useRef<string[]>([]);

  // The hash is the bookmarkable copy of the view; replaceState keeps Back for real navigation.
  useEffect(() => {
    const hash = credentialsHash(view);
    if (window.location.hash !== hash) window.history.replaceState(null, "", hash);
  }, [view]);
  useEffect(() => {
    const listener = () => {
      if (window.location.hash.startsWith("#/credentials")) setView(parseCredentialsHash(window.location.hash));
    };
    window.addEventListener("hashchange", listener);
    return () => window.removeEventListener("hashchange", listener);
  }, []);

  const shown = useMemo(() => visibleRows(data.rows, data.texts, view), [data.rows, data.texts, view]);
  const providers = useMemo(() => providerCounts(data.credentials ?? []), [data.credentials]);
  const byName = useMemo(() => new Map((data.credentials ?? []).map((c) => [c.name, c])), [data.credentials]);
  const batch = useBatch({ api: data.api, byName, patchLocal: data.patchLocal, removeLocal: data.removeLocal });

  const onView = useCallback((change: Partial<CredentialView>) => setView((v) => ({ ...v, ...change })), []);
  const toggleSelect = useCallback((name: string) => {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  }, []);
  const onVisible = useCallback((names: string[]) => void (onScreen.current = names), []);

  const withBusy = useCallback(async (name: string, work: () => Promise<void>) => {
    setBusy((b) => new Set(b).add(name));
    try {
      await work();
    } catch (cause) {
      setNotice({ tone: "error", text: t("credentials.row.failed", { name, reason: errorText(cause, t) }) });
    } finally {
      setBusy((b) => {
        const next = new Set(b);
        next.delete(name);
        return next;
      });
    }
  }, [t]);

  const api = data.api;
  const patchLocal = data.patchLocal;
  const actions: RowActions = useMemo(() => ({
    toggle: (name, disable) => void withBusy(name, async () => {
      if (!api) return;
      await api.setDisabled(name, disable);
      const change: Partial<Credential> = disable
        ? { disabled: true, status: "disabled", statusMessage: "disabled via management API" }
        : { disabled: false, status: "active", statusMessage: "" };
      patchLocal(new Map([[name, change]]));
      setNotice({ tone: "success", text: t(disable ? "credentials.row.disabledNotice" : "credentials.row.enabledNotice", { name }) });
    }),
    download: (name) => void withBusy(name, async () => {
      if (api) saveBlob(await api.download(name), name);
    }),
    remove: (name) => setOpen({ kind: "delete", name }),
    models: (name) => setOpen({ kind: "models", name }),
    edit: (name) => setOpen({ kind: "edit", name }),
  }), [api, patchLocal, withBusy, t]);

  const confirmDelete = (name: string) => {
    setOpen(null);
    void withBusy(name, async () => {
      if (!api) return;
      await api.remove(name);
      data.removeLocal(new Set([name]));
      setSelected((s) => {
        const next = new Set(s);
        next.delete(name);
        return next;
      });
      setNotice({ tone: "success", text: t("credentials.row.deletedNotice", { name }) });
    });
  };

  const runBatch = (action: "enable" | "disable" | "download" | "delete") => {
    const names = [...selected].filter((n) => byName.has(n));
    void batch.run(action, names).then(() => {
      if (action === "delete") setSelected(new Set());
    });
  };

  return (
    <Page
      title={t("credentials.page.title")}
      actions={<Button onClick={data.reload} disabled={data.loading}>{t("credentials.page.refresh")}</Button>}
    >
      {data.error ? <Alert tone="error" title={t("credentials.page.loadFailed")}>{errorText(data.error, t)}</Alert> : null}
      {!data.hasUsageService ? <Alert tone="info">{t("credentials.usage.noService")}</Alert> : null}
      {data.usageError ? <Alert tone="warning" title={t("credentials.usage.failed")}>{errorText(data.usageError, t)}</Alert> : null}
      {notice ? <Alert tone={notice.tone} action={<Button variant="ghost" onClick={() => setNotice(null)}>{t("credentials.common.close")}</Button>}>{notice.text}</Alert> : null}
      <div className={surface.card}>
        <Toolbar view={view} onView={onView} providers={providers} shown={shown.length} total={data.credentials?.length ?? 0} />
        <BatchBar
          selectedCount={selected.size}
          shownCount={shown.length}
          batch={batch}
          onSelectPage={() => setSelected((s) => new Set([...s, ...onScreen.current]))}
          onSelectShown={() => setSelected(new Set(shown.map((r) => r.credential.name)))}
          onInvert={() => setSelected((s) => invertSelection(s, shown))}
          onClear={() => setSelected(new Set())}
          onRun={runBatch}
        />
        {data.credentials === null && data.loading ? (
          <p aria-busy="true">{t("credentials.page.loading")}</p>
        ) : (
          <CredentialList
            rows={shown}
            selected={selected}
            onToggleSelect={toggleSelect}
            actions={actions}
            busy={busy}
            highlight={view.highlight}
            hasUsageService={data.hasUsageService}
            quota={data.quota}
            onVisible={onVisible}
          />
        )}
      </div>
      {api ? <div className={surface.card}><UploadPanel api={api} onUploaded={data.reload} /></div> : null}
      {open?.kind === "edit" && api ? (
        <FieldEditor api={api} name={open.name} exclusionsReplaceGlobal={data.exclusionsReplaceGlobal} onClose={() => setOpen(null)}
          onSaved={() => {
            setNotice({ tone: "success", text: t("credentials.editor.saved", { name: open.name }) });
            data.reload();
          }} />
      ) : null}
      {open?.kind === "models" && api ? (
        <ModelsDialog api={api} name={open.name} credential={byName.get(open.name) ?? null} canRefresh={data.hasV8} onClose={() => setOpen(null)} />
      ) : null}
      {open?.kind === "delete" ? (
        <ConfirmDialog
          title={t("credentials.row.deleteTitle")}
          text={t("credentials.row.deleteText", { name: open.name })}
          confirmLabel={t("credentials.row.delete")}
          onConfirm={() => confirmDelete(open.name)}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </Page>
  );
}
