import { zipSync } from "fflate";
import { useCallback, useRef, useState } from "react";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import type { Credential, CredentialsApi } from "../../../lib/cpa/credentials";
import { saveBlob } from "../../../lib/saveFile";
import { BATCH_CONCURRENCY, runLimited } from "../logic";
import type { BatchAction, BatchItemResult, BatchProgress } from "../types";

/** How often confirmed changes reach the list while a batch runs: often enough to watch, rarely enough to stay smooth. */
const FLUSH_MS = 200;

export interface Undo {
  action: "enable" | "disable";
  names: string[];
}

export interface Batch {
  progress: BatchProgress | null;
  undo: Undo | null;
  run: (action: BatchAction, names: readonly string[]) => Promise<void>;
  runUndo: () => Promise<void>;
  cancel: () => void;
  dismiss: () => void;
}

interface Options {
  api: CredentialsApi | null;
  byName: ReadonlyMap<string, Credential>;
  patchLocal: (changes: ReadonlyMap<string, Partial<Credential>>) => void;
  removeLocal: (names: ReadonlySet<string>) => void;
}

/** Batch work over many credentials: a bounded number of requests in flight, progress, per-item results, undo. */
export function useBatch({ api, byName, patchLocal, removeLocal }: Options): Batch {
  const { t } = useI18n();
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const [undo, setUndo] = useState<Undo | null>(null);
  const abort = useRef<AbortController | null>(null);

  const run = useCallback(
    async (action: BatchAction, names: readonly string[]) => {
      if (!api || names.length === 0) return;
      const controller = new AbortController();
      abort.current = controller;
      const results: BatchItemResult[] = [];
      const files: Record<string, Uint8Array> = {};
      const pending = new Map<string, Partial<Credential>>();
      const removed = new Set<string>();
      let done = 0;
      setUndo(null);
      setProgress({ action, total: names.length, done: 0, results: [], running: true });
      const flush = () => {
        patchLocal(new Map(pending));
        pending.clear();
        if (removed.size > 0) removeLocal(new Set(removed));
        removed.clear();
        setProgress({ action, total: names.length, done, results: [...results], running: true });
      };
      const timer = window.setInterval(flush, FLUSH_MS);
      const task = async (name: string) => {
        if (action === "enable" || action === "disable") {
          await api.setDisabled(name, action === "disable");
          pending.set(name, action === "disable"
            ? { disabled: true, status: "disabled", statusMessage: "disabled via management API" }
            : { disabled: false, status: "active", statusMessage: "" });
        } else if (action === "delete") {
          await api.remove(name);
          removed.add(name);
        } else {
          files[name] = new Uint8Array(await (await api.download(name)).arrayBuffer());
        }
      };
      // Only what actually changes is worth undoing: an already-disabled credential stays disabled.
      const changed = names.filter((n) => (action === "disable") !== (byName.get(n)?.disabled ?? false));
      await runLimited(names, BATCH_CONCURRENCY, task, (name, error) => {
        done += 1;
        results.push({ name, ok: error === null, message: error === null ? "" : errorText(error, t) });
      }, controller.signal);
      window.clearInterval(timer);
      flush();
      if (action === "download" && Object.keys(files).length > 0) {
        const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
        saveBlob(new Blob([zipSync(files)], { type: "application/zip" }), `credentials-${stamp}.zip`);
      }
      setProgress({ action, total: names.length, done, results, running: false });
      if (action === "enable" || action === "disable") {
        const ok = new Set(results.filter((r) => r.ok).map((r) => r.name));
        const names = changed.filter((n) => ok.has(n));
        if (names.length > 0) setUndo({ action, names });
      }
      abort.current = null;
    },
    [api, byName, patchLocal, removeLocal, t],
  );

  const runUndo = useCallback(async () => {
    if (!undo) return;
    const reverse = undo.action === "disable" ? "enable" : "disable";
    await run(reverse, undo.names);
    setUndo(null);
  }, [run, undo]);

  const cancel = useCallback(() => abort.current?.abort(), []);
  const dismiss = useCallback(() => setProgress(null), []);

  return { progress, undo, run, runUndo, cancel, dismiss };
}
