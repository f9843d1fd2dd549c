import { download, requestText, requestWithHeaders, sendRaw, type Method, type RawBody, type RequestOptions } from "../http";

/**
 * The one transport every CPA page uses. Pages never build CPA URLs: area modules in lib/cpa/ name
 * a path relative to the management root and the API tree it lives in, and this file adds the root.
 *
 * - "v0": /v0/management, served by every CPA from v6.10 to v8 (the default).
 * - "v8": /v8/management, CPA v8 only (its config tree, client-key names); check capabilities first.
 *
 * In full mode the requests go to this origin, where CPA Manager's proxy adds the stored key and
 * forwards them; in CPA panel mode this origin is CPA itself. Failures are ApiErrors carrying CPA's
 * own sentence (lib/http errorFromBody), and a 401 signs out through the shell's one handler.
 */
export type CpaTree = "v0" | "v8";

const ROOTS: Record<CpaTree, string> = { v0: "/v0/management", v8: "/v8/management" };

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface CpaCall {
  tree?: CpaTree;
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  signal?: AbortSignal;
  /** Try a key before keeping it (login); otherwise the session's key. */
  key?: string;
}

export function cpaPath(path: string, call: Pick<CpaCall, "tree" | "query"> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(call.query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(name, item);
    else params.append(name, String(value));
  }
  const query = params.toString();
  return `${ROOTS[call.tree ?? "v0"]}${path}${query ? `?${query}` : ""}`;
}

function options(call: CpaCall): RequestOptions {
  const result: RequestOptions = { target: "cpa" };
  if (call.body !== undefined) result.body = call.body;
  if (call.signal) result.signal = call.signal;
  if (call.key !== undefined) result.key = call.key;
  return result;
}

/** A JSON exchange; resolves with CPA's parsed answer and its headers. */
export async function cpaJson(method: Method, path: string, call: CpaCall = {}): Promise<{ body: unknown; headers: Headers }> {
  return requestWithHeaders(method, cpaPath(path, call), options(call));
}

/** A text answer (config.yaml). */
export async function cpaText(method: Method, path: string, call: CpaCall = {}): Promise<{ text: string; headers: Headers }> {
  return requestText(method, cpaPath(path, call), options(call));
}

/** A raw body (a YAML document, a file) with a JSON answer. */
export async function cpaSendRaw(
  method: Method,
  path: string,
  raw: RawBody,
  call: CpaCall = {},
): Promise<{ body: unknown; headers: Headers; status: number }> {
  return sendRaw(method, cpaPath(path, call), raw, options(call));
}

/** A multipart form (an upload with fields); the browser sets the boundary. */
export async function cpaSendForm(
  method: Method,
  path: string,
  form: FormData,
  call: CpaCall = {},
): Promise<{ body: unknown; headers: Headers; status: number }> {
  return sendRaw(method, cpaPath(path, call), { data: form, contentType: "multipart/form-data" }, options(call));
}

/** A file CPA serves (a credential), fetched with the session's key. */
export async function cpaDownload(path: string, call: CpaCall = {}): Promise<Blob> {
  return (await download(cpaPath(path, call), options(call))).blob;
}
