import { useCallback, useEffect, useRef, useState } from "react";
import { quotaApi, type CredentialQuota, type RefreshProgress, type Sparklines, type WindowUsage } from "../../../lib/quota";

const POLL_MS = 500;

export interface RefreshState {
  /** The credential refreshed alone, or null for all. */
  authIndex: string | null;
  progress: RefreshProgress | null;
  finished: boolean;
  error: unknown;
}

export interface QuotaData {
  cards: CredentialQuota[] | null;
  error: unknown;
  loading: boolean;
  usage: ReadonlyMap<string, WindowUsage[]> | null;
  usageError: unknown;
  sparklines: Sparklines | null;
  intervalSeconds: number | null;
  refresh: RefreshState | null;
  /** Credentials being refreshed one by one. */
  busy: ReadonlySet<string>;
  refreshOne: (authIndex: string) => void;
  refreshAll: () => void;
}

/**
 * The Quota page's data: the cards first (/quota/latest), then our usage in the windows and the sparklines,
 * which may come later without holding the cards back. A refresh asks the collector, polls its progress
 * until it finishes, then reloads everything. Responses from before a newer load are dropped.
 */
export function useQuotaData(enabled: boolean): QuotaData {
  const [cards, setCards] = useState<CredentialQuota[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(enabled);
  const [usage, setUsage] = useState<ReadonlyMap<string, WindowUsage[]> | null>(null);
  const [usageError, setUsageError] = useState<unknown>(null);
  const [sparklines, setSparklines] = useState<Sparklines | null>(null);
  const [intervalSeconds, setIntervalSeconds] = useState<number | null>(null);
  const [refresh, setRefresh] = useState<RefreshState | null>(null);
  const [busy, setBusy] = useState<ReadonlySet<string>>(() => new Set());
  const token = useRef(0);
  const alive = useRef(true);

  const load = useCallback(() => {
    if (!enabled) return;
    const mine = ++token.current;
    const current = () => alive.current && mine === token.current;
    setLoading(true);
    quotaApi.latest().then(
      (list) => current() && (setCards(list), setError(null), setLoading(false)),
      (cause: unknown) => current() && (setError(cause), setLoading(false)),
    );
    quotaApi.usage().then(
      (map) => current() && (setUsage(map), setUsageError(null)),
      (cause: unknown) => current() && setUsageError(cause),
    );
    quotaApi.sparklines().then((lines) => current() && setSparklines(lines), () => undefined);
    quotaApi.status().then((s) => current() && setIntervalSeconds(s.intervalSeconds), () => undefined);
  }, [enabled]);

  useEffect(() => {
    alive.current = true;
    load();
    return () => {
      alive.current = false;
    };
  }, [load]);

  const run = useCallback((authIndex: string | null) => {
    if (authIndex !== null) setBusy((b) => new Set(b).add(authIndex));
    setRefresh({ authIndex, progress: null, finished: false, error: null });
    const done = () => {
      if (authIndex !== null) {
        setBusy((b) => {
          const next = new Set(b);
          next.delete(authIndex);
          return next;
        });
      }
    };
    const poll = () => {
      if (!alive.current) return;
      quotaApi.status().then((status) => {
        if (!alive.current) return;
        const progress = status.refresh;
        setRefresh({ authIndex, progress, finished: !progress.running, error: null });
        if (progress.running) window.setTimeout(poll, POLL_MS);
        else {
          done();
          load();
        }
      }, (cause: unknown) => {
        setRefresh({ authIndex, progress: null, finished: true, error: cause });
        done();
      });
    };
    quotaApi.refresh(authIndex ?? undefined).then(
      (progress) => {
        setRefresh({ authIndex, progress, finished: false, error: null });
        window.setTimeout(poll, POLL_MS);
      },
      (cause: unknown) => {
        setRefresh({ authIndex, progress: null, finished: true, error: cause });
        done();
      },
    );
  }, [load]);

  const refreshOne = useCallback((authIndex: string) => run(authIndex), [run]);
  const refreshAll = useCallback(() => run(null), [run]);

  return { cards, error, loading, usage, usageError, sparklines, intervalSeconds, refresh, busy, refreshOne, refreshAll };
}
