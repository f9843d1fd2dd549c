import { download } from "../http";
import { asRecord, num, str, strList } from "../wire";
import { cpaJson, cpaPath, type CpaTree } from "./client";

/**
 * CPA's logs (cpa-management-api §8; v8 names cpa-v8 §5.1). The Logs page reads them; Request
 * Monitoring asks whether request logging is on before it links an event to its request log.
 */

export interface LogChunk {
  lines: string[];
  /** Opaque; "" when CPA has no log file yet (the next read is then a fresh tail). */
  nextCursor: string;
  /** CPA no longer knew the cursor (rotation, a cleared or rewritten log): the lines replace the view. */
  cursorReset: boolean;
  latestTimestamp: number;
}

export interface ErrorLogFile {
  name: string;
  size: number;
  /** Unix seconds. */
  modified: number;
}

const PATHS: Record<CpaTree, { logs: string; errors: string; request: string }> = {
  v0: { logs: "/logs", errors: "/request-error-logs", request: "/request-log-by-id" },
  v8: { logs: "/observability/logs", errors: "/observability/logs/errors", request: "/observability/logs/requests" },
};

export function toLogChunk(wire: unknown): LogChunk {
  const body = asRecord(wire);
  return {
    lines: strList(body.lines),
    nextCursor: str(body["next-cursor"]),
    cursorReset: body["cursor-reset"] === true,
    latestTimestamp: num(body["latest-timestamp"]),
  };
}

export function toErrorLogFiles(wire: unknown): ErrorLogFile[] {
  const files = asRecord(wire).files;
  if (!Array.isArray(files)) return [];
  return files
    .map((file) => {
      const f = asRecord(file);
      return { name: str(f.name), size: num(f.size), modified: num(f.modified) };
    })
    .filter((file) => file.name !== "");
}

/** The setting's value, or null when this CPA does not say. */
function flag(wire: unknown, name: string): boolean | null {
  const value = asRecord(wire)[name];
  return typeof value === "boolean" ? value : null;
}

export const cpaLogsApi = {
  /** A tail of `limit` lines without a cursor; with one, up to `limit` lines after it. */
  read: async (tree: CpaTree, cursor: string | null, limit: number, signal?: AbortSignal): Promise<LogChunk> => {
    const query = cursor ? { cursor, limit } : { limit };
    const { body } = await cpaJson("GET", PATHS[tree].logs, { tree, query, ...(signal ? { signal } : {}) });
    return toLogChunk(body);
  },

  /** Empties main.log and deletes rotated files; resolves with how many files CPA removed. */
  clear: async (tree: CpaTree): Promise<number> => num(asRecord((await cpaJson("DELETE", PATHS[tree].logs, { tree })).body).removed),

  errorFiles: async (tree: CpaTree): Promise<ErrorLogFile[]> => {
    const { body } = await cpaJson("GET", PATHS[tree].errors, { tree });
    return toErrorLogFiles(body);
  },

  errorFile: async (tree: CpaTree, name: string): Promise<Blob> =>
    (await download(cpaPath(`${PATHS[tree].errors}/${encodeURIComponent(name)}`, { tree }), { target: "cpa" })).blob,

  /** A request's full log (or its error log) by CPA's 8-hex request id. */
  requestLog: async (tree: CpaTree, requestId: string): Promise<{ blob: Blob; name: string }> => {
    const { blob, contentDisposition } = await download(
      cpaPath(`${PATHS[tree].request}/${encodeURIComponent(requestId)}`, { tree }),
      { target: "cpa" },
    );
    const name = /filename="([^"]+)"/.exec(contentDisposition ?? "")?.[1] ?? `request-${requestId}.log`;
    return { blob, name };
  },

  /** The v0 setters exist on every CPA up to v8 and save in the file's own layout (cpa-v8 §3). */
  loggingToFile: async (): Promise<boolean | null> => flag((await cpaJson("GET", "/logging-to-file")).body, "logging-to-file"),

  enableLoggingToFile: async (): Promise<void> => {
    await cpaJson("PUT", "/logging-to-file", { body: { value: true } });
  },

  requestLogEnabled: async (): Promise<boolean | null> => flag((await cpaJson("GET", "/request-log")).body, "request-log"),
};
