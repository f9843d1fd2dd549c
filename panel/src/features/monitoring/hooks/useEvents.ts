import { useCallback, useEffect, useRef, useState } from "react";
import { monitoringApi } from "../api";
import { EVENTS_CAP, EVENTS_PAGE, appendOlderEvents, mergeNewEvents, olderCursor } from "../logic";
import type { Filters, TimeWindow, UsageEvent } from "../types";

const AUTO_REFRESH_MS = 10_000;

export interface EventsState {
  rows: UsageEvent[];
  error: unknown;
  loading: boolean;
  hasOlder: boolean;
  /** Raw events before this instant (unix ms) were folded into hourly totals: the list ends there. */
  aggregatedBefore: number | null;
  autoRefresh: boolean;
  setAutoRefresh: (on: boolean) => void;
  loadOlder: () => void;
}

/**
 * Recent events for the window and filters: first page on load, older pages on demand, and
 * (when auto-refresh is on) only the events newer than the newest one shown, every 10 s.
 */
export function useEvents(window: TimeWindow, tz: string, filters: Filters, queryKey: string): EventsState {
  const [rows, setRows] = useState<UsageEvent[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [autoRefresh, setAutoRefresh] = useState(false);
  const before = useRef<string | null>(null);
  const newest = useRef<string | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const [aggregatedBefore, setAggregatedBefore] = useState<number | null>(null);
  const generation = useRef(0);
  const rowsRef = useRef<UsageEvent[]>([]);
  const inputs = useRef({ window, tz, filters });
  inputs.current = { window, tz, filters };

  const show = useCallback((next: UsageEvent[], cursor: string | null, truncated: boolean) => {
    rowsRef.current = next;
    setRows(next);
    before.current = olderCursor(next, cursor, truncated);
    setHasOlder(before.current !== null);
  }, []);

  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    const { window: w, tz: zone, filters: f } = inputs.current;
    monitoringApi.events(w, zone, f, { limit: EVENTS_PAGE }).then(
      (page) => {
        if (mine !== generation.current) return;
        newest.current = page.newest;
        setAggregatedBefore(page.aggregatedBefore);
        show(page.events, page.nextBefore, false);
        setError(null);
        setLoading(false);
      },
      (cause: unknown) => {
        if (mine !== generation.current) return;
        setError(cause);
        setLoading(false);
      },
    );
  }, [queryKey, show]);

  const loadOlder = useCallback(() => {
    const cursor = before.current;
    if (!cursor) return;
    const mine = generation.current;
    setLoading(true);
    const { window: w, tz: zone, filters: f } = inputs.current;
    monitoringApi.events(w, zone, f, { before: cursor, limit: EVENTS_PAGE }).then(
      (page) => {
        if (mine !== generation.current) return;
        show(appendOlderEvents(rowsRef.current, page.events), page.nextBefore, false);
        setLoading(false);
      },
      (cause: unknown) => {
        if (mine !== generation.current) return;
        setError(cause);
        setLoading(false);
      },
    );
  }, [show]);

  useEffect(() => {
    if (!autoRefresh) return;
    const timer = globalThis.setInterval(() => {
      const mine = generation.current;
      const { window: w, tz: zone, filters: f } = inputs.current;
      // New events arrive after the window's end, so the poll's window runs up to now.
      const live = { start: w.start, end: Date.now() + 1 };
      monitoringApi.events(live, zone, f, { after: newest.current, limit: EVENTS_CAP }).then(
        (page) => {
          if (mine !== generation.current) return;
          if (page.newest) newest.current = page.newest;
          if (page.events.length === 0) return;
          const merged = mergeNewEvents(rowsRef.current, page.events);
          const truncated = merged.length >= EVENTS_CAP;
          show(merged, before.current, truncated);
        },
        () => undefined,
      );
    }, AUTO_REFRESH_MS);
    return () => globalThis.clearInterval(timer);
  }, [autoRefresh, show]);

  return { rows, error, loading, hasOlder, aggregatedBefore, autoRefresh, setAutoRefresh, loadOlder };
}
