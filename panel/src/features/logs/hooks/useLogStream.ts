import { useCallback, useEffect, useRef, useState } from "react";
import type { CpaTree } from "../../../lib/cpa/client";
import { cpaLogsApi } from "../../../lib/cpa/logs";
import { ApiError } from "../../../lib/http";
import { applyChunk, MAX_LINES, nextCursor } from "../logic";
import type { LogLine } from "../types";

/** The first read is a tail this long; later reads ask for this many new lines at a time. */
export const INITIAL_LIMIT = MAX_LINES;
export const FOLLOW_LIMIT = 5_000;
/** New lines read per refresh at most (FOLLOW_LIMIT each): a busy CPA cannot keep the page reading forever. */
const MAX_ROUNDS = 20;

export interface LogStream {
  lines: LogLine[];
  error: unknown;
  loading: boolean;
  /** How often CPA reset the cursor since the page opened (rotation, a cleared log). */
  resets: number;
  refresh: () => void;
  /** Forget the cursor and the lines, then read a fresh tail (after clearing CPA's logs). */
  restart: () => void;
}

/** A refusal of the cursor itself (not of the key, not "file logging is off"): start over without it. */
function cursorRefused(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 403;
}

/**
 * CPA's log, read incrementally with its cursor: a tail first, then only what is new. A cursor
 * reset replaces the view with CPA's fresh tail; a cursor CPA refuses outright is dropped once and
 * the read starts over, so a stale cursor never makes the page ask the same failing question forever.
 */
export function useLogStream(tree: CpaTree | null, intervalS: number | null): LogStream {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [resets, setResets] = useState(0);
  const cursor = useRef<string | null>(null);
  const linesRef = useRef<LogLine[]>([]);
  const busy = useRef(false);
  const generation = useRef(0);

  const read = useCallback(async () => {
    if (tree === null || busy.current) return;
    busy.current = true;
    const mine = generation.current;
    setLoading(true);
    let retried = false;
    try {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const sent = cursor.current;
        let chunk;
        try {
          chunk = await cpaLogsApi.read(tree, sent, sent ? FOLLOW_LIMIT : INITIAL_LIMIT);
        } catch (cause) {
          if (sent !== null && !retried && cursorRefused(cause)) {
            retried = true;
            cursor.current = null;
            continue;
          }
          throw cause;
        }
        if (mine !== generation.current) return;
        if (chunk.cursorReset && sent !== null) setResets((count) => count + 1);
        linesRef.current = applyChunk(linesRef.current, chunk);
        setLines(linesRef.current);
        cursor.current = nextCursor(chunk);
        const more = sent !== null && cursor.current !== null && chunk.lines.length >= FOLLOW_LIMIT;
        if (!more) break;
      }
      setError(null);
    } catch (cause) {
      if (mine === generation.current) setError(cause);
    } finally {
      busy.current = false;
      if (mine === generation.current) setLoading(false);
    }
  }, [tree]);

  const restart = useCallback(() => {
    generation.current++;
    busy.current = false;
    cursor.current = null;
    linesRef.current = [];
    setLines([]);
    void read();
  }, [read]);

  useEffect(() => {
    void read();
  }, [read]);

  useEffect(() => {
    if (intervalS === null) return;
    const timer = window.setInterval(() => void read(), intervalS * 1000);
    return () => window.clearInterval(timer);
  }, [read, intervalS]);

  return { lines, error, loading, resets, refresh: () => void read(), restart };
}
