import { useCallback, useEffect, useRef, useState } from "react";
import { inspectionApi } from "../api";
import type { Executed, InspectionSettings, RunDetail, RunSummary } from "../types";

const POLL_MS = 1000;

export interface Inspection {
  runs: RunSummary[] | null;
  newestId: number | null;
  detail: RunDetail | null;
  error: unknown;
  select: (id: number) => void;
  start: (settings: InspectionSettings) => Promise<void>;
  cancel: () => Promise<void>;
  executeOne: (seq: number) => Promise<Executed[]>;
  executeAll: () => Promise<Executed[]>;
}

/**
 * Past runs, the run shown (the newest by default) and its results, polled while it runs. A response for a
 * run no longer shown is dropped (request token), so switching runs never shows the wrong results.
 */
export function useInspection(): Inspection {
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [detail, setDetail] = useState<RunDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const token = useRef(0);

  const loadRuns = useCallback(async (): Promise<RunSummary[] | null> => {
    try {
      const list = await inspectionApi.runs();
      setRuns(list);
      return list;
    } catch (cause) {
      setError(cause);
      // Still let the user start a run: the form waits only for the first answer.
      setRuns((current) => current ?? []);
      return null;
    }
  }, []);

  const loadDetail = useCallback(async (id: number): Promise<RunDetail | null> => {
    const mine = ++token.current;
    try {
      const found = await inspectionApi.run(id);
      if (mine !== token.current) return null;
      setDetail(found);
      setError(null);
      return found;
    } catch (cause) {
      if (mine === token.current) setError(cause);
      return null;
    }
  }, []);

  useEffect(() => {
    void loadRuns().then((list) => {
      const newest = list?.[0];
      if (newest) setSelected((current) => current ?? newest.id);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a request counter, not a DOM node: bumping it drops late answers
    return () => void token.current++;
  }, [loadRuns]);

  useEffect(() => {
    if (selected !== null) void loadDetail(selected);
  }, [selected, loadDetail]);

  const runningId = detail?.run.state === "running" ? detail.run.id : null;
  useEffect(() => {
    if (runningId === null) return;
    const timer = window.setTimeout(() => {
      void loadDetail(runningId).then((found) => {
        if (found && found.run.state !== "running") void loadRuns();
      });
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [runningId, detail, loadDetail, loadRuns]);

  const start = useCallback(
    async (settings: InspectionSettings) => {
      const run = await inspectionApi.start(settings);
      setDetail({ run, results: [] });
      setSelected(run.id);
      await loadRuns();
    },
    [loadRuns],
  );

  const cancel = useCallback(async () => {
    if (runningId === null) return;
    await inspectionApi.cancel(runningId);
    await loadDetail(runningId);
  }, [runningId, loadDetail]);

  const afterExecute = useCallback(
    async (done: Executed[], id: number) => {
      await Promise.all([loadDetail(id), loadRuns()]);
      return done;
    },
    [loadDetail, loadRuns],
  );

  const executeOne = useCallback(
    async (seq: number) => {
      if (selected === null) return [];
      return afterExecute(await inspectionApi.executeOne(selected, seq), selected);
    },
    [selected, afterExecute],
  );

  const executeAll = useCallback(async () => {
    if (selected === null) return [];
    return afterExecute(await inspectionApi.executeAll(selected), selected);
  }, [selected, afterExecute]);

  return {
    runs,
    newestId: runs?.[0]?.id ?? null,
    detail,
    error,
    select: setSelected,
    start,
    cancel,
    executeOne,
    executeAll,
  };
}
