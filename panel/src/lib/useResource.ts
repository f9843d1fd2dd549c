import { useCallback, useEffect, useRef, useState } from "react";

export interface Resource<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads server data for one component. Responses that arrive after a newer request started are
 * dropped (request token), so a slow old response never overwrites fresh data.
 */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[], refreshMs?: number): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const token = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(() => {
    const mine = ++token.current;
    setLoading(true);
    loadRef.current().then(
      (value) => {
        if (mine !== token.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (cause: unknown) => {
        if (mine !== token.current) return;
        setError(cause);
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    reload();
    if (!refreshMs) return () => void token.current++;
    const timer = window.setInterval(reload, refreshMs);
    return () => {
      window.clearInterval(timer);
      // eslint-disable-next-line react-hooks/exhaustive-deps -- a request counter, not a DOM node: bumping its latest value drops in-flight responses
      token.current++;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- deps are the caller's inputs to load
  }, [reload, refreshMs, ...deps]);

  return { data, error, loading, reload };
}
