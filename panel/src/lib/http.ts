/**
 * JSON client for the two servers the panel talks to. Every failure becomes an ApiError; a 401 also
 * calls the one onUnauthorized callback the shell installs (so features never handle logout themselves).
 *
 * - "usage": the usage service (CPA Manager): /status, analytics, prices, import/export, /setup.
 * - "cpa": CPA's own management API.
 * Served by CPA Manager (full mode) both are this origin, CPA calls going through its proxy. Served
 * by CPA (CPA panel mode) "cpa" is this origin and "usage" is the external service the user
 * connected, or none.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The parsed error body (null when there was none): some endpoints send a report with the error. */
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Codes the client makes up itself, for failures without a server body. */
export const CLIENT_CODES = {
  network: "network_error",
  badResponse: "bad_response",
  httpStatus: "http_error",
  noUsageService: "usage_service_missing",
  serverSentence: "server_error",
} as const;

export type Target = "usage" | "cpa";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface HttpState {
  key: string | null;
  onUnauthorized: ((error: ApiError) => void) | null;
  fetchImpl: typeof fetch;
  /** URL prefix per target: "" is this origin, null means there is no such server. */
  bases: Record<Target, string | null>;
  /** The server whose 401 ends the session: the one the user signed in to. */
  authority: Target;
}

const state: HttpState = {
  key: null,
  onUnauthorized: null,
  fetchImpl: (input, init) => fetch(input, init),
  bases: { usage: "", cpa: "" },
  authority: "usage",
};

const UNREACHABLE: Record<Target, string> = {
  usage: "Cannot reach CPA Manager",
  cpa: "Cannot reach CPA",
};

export function setAuthKey(key: string | null): void {
  state.key = key;
}

/** The session's key, for the one call that must send it in a body (connecting a usage service). */
export function currentAuthKey(): string | null {
  return state.key;
}

export function setUnauthorizedHandler(handler: ((error: ApiError) => void) | null): void {
  state.onUnauthorized = handler;
}

/** Where a target's requests go: "" for this origin, an absolute URL, or null when there is none. */
export function setBase(target: Target, base: string | null): void {
  state.bases[target] = base === null ? null : base.replace(/\/+$/, "");
}

export function baseOf(target: Target): string | null {
  return state.bases[target];
}

/**
 * Which server's 401 signs the user out. In CPA panel mode that is CPA: an external usage service
 * refusing the key is that service's problem, shown where it happens, not a reason to log out.
 */
export function setSessionAuthority(target: Target): void {
  state.authority = target;
}

/** For tests: swap the transport. */
export function setFetch(fetchImpl: typeof fetch): void {
  state.fetchImpl = fetchImpl;
}

export interface RequestOptions {
  body?: unknown;
  /** Send this key instead of the session's (used to verify a key before keeping it). */
  key?: string;
  /** Skip the Authorization header entirely (public endpoints). */
  anonymous?: boolean;
  signal?: AbortSignal;
  /** Which server; the usage service unless said otherwise. */
  target?: Target;
  /** Send to this base instead of the target's (used to try a server before connecting to it). */
  base?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** CPA's machine codes look like `invalid_yaml` or `not_found`; its sentences have spaces. */
const MACHINE_CODE = /^[a-z][a-z0-9_]*$/;

/**
 * Builds an ApiError from a failed response body. Our server sends {error: sentence, code}; CPA sends
 * {error: sentence} or, on newer routes, {error: machine_code, message: sentence}. Either way the
 * message is the server's own sentence, so pages can show a refusal in the server's words.
 */
export function errorFromBody(status: number, body: unknown): ApiError {
  if (isRecord(body) && typeof body.error === "string" && MACHINE_CODE.test(body.error)) {
    const sentence = typeof body.message === "string" && body.message !== "" ? body.message : body.error;
    return new ApiError(status, body.error, sentence, body);
  }
  if (isRecord(body) && typeof body.error === "string" && body.error !== "") {
    // CPA's errors carry no code; their sentence is still worth showing as it is.
    const code = typeof body.code === "string" && body.code !== "" ? body.code : CLIENT_CODES.serverSentence;
    return new ApiError(status, code, body.error, body);
  }
  return new ApiError(status, CLIENT_CODES.httpStatus, `Request failed with HTTP ${status}`, body ?? null);
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A request body that is not JSON (an uploaded file), sent as is with its content type. A FormData goes out
 * as multipart/form-data with the boundary the browser picks, so its contentType is ignored. */
export interface RawBody {
  data: Blob | string | FormData;
  contentType: string;
}

/** Sends one request; a non-2xx answer becomes an ApiError (and a 401 logs out). Returns the response unread. */
async function exchange(method: Method, path: string, options: RequestOptions, raw?: RawBody): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const key = options.key ?? state.key;
  if (!options.anonymous && key) headers.Authorization = `Bearer ${key}`;
  const init: RequestInit = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (raw) {
    if (!(raw.data instanceof FormData)) headers["Content-Type"] = raw.contentType;
    init.body = raw.data;
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  if (options.signal) init.signal = options.signal;

  const target = options.target ?? "usage";
  const base = options.base ?? state.bases[target];
  if (base === null) {
    throw new ApiError(0, CLIENT_CODES.noUsageService, "No usage service is connected");
  }
  // Another origin gets no cookies of ours; its CORS policy decides (the service's USAGE_CORS_ORIGINS).
  if (base !== "") init.credentials = "omit";
  let response: Response;
  try {
    response = await state.fetchImpl(base + path, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, CLIENT_CODES.network, UNREACHABLE[target]);
  }
  if (!response.ok) {
    const error = errorFromBody(response.status, await readJson(response));
    // A key passed explicitly is being tried out (login); its 401 is the caller's business.
    const fromAuthority = target === state.authority && options.base === undefined;
    if (response.status === 401 && options.key === undefined && !options.anonymous && fromAuthority) {
      state.onUnauthorized?.(error);
    }
    throw error;
  }
  return response;
}

async function jsonOf(response: Response): Promise<unknown> {
  const body = await readJson(response);
  if (body === undefined) {
    throw new ApiError(response.status, CLIENT_CODES.badResponse, "The server sent a response that is not JSON");
  }
  return body;
}

export async function request(method: Method, path: string, options: RequestOptions = {}): Promise<unknown> {
  return jsonOf(await exchange(method, path, options));
}

/** Like request, but also hands back the response headers (CPA sends its version in them). */
export async function requestWithHeaders(
  method: Method,
  path: string,
  options: RequestOptions = {},
): Promise<{ body: unknown; headers: Headers }> {
  const response = await exchange(method, path, options);
  return { body: await jsonOf(response), headers: response.headers };
}

/** Like requestWithHeaders, for endpoints that answer with text (CPA's config.yaml). */
export async function requestText(
  method: Method,
  path: string,
  options: RequestOptions = {},
  raw?: RawBody,
): Promise<{ text: string; headers: Headers; status: number }> {
  const response = await exchange(method, path, options, raw);
  try {
    return { text: await response.text(), headers: response.headers, status: response.status };
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, CLIENT_CODES.network, UNREACHABLE[options.target ?? "usage"]);
  }
}

/** Sends a raw body (a file, a YAML document) with any method and reads the JSON answer with its headers. */
export async function sendRaw(
  method: Method,
  path: string,
  raw: RawBody,
  options: RequestOptions = {},
): Promise<{ body: unknown; headers: Headers; status: number }> {
  const response = await exchange(method, path, options, raw);
  return { body: await jsonOf(response), headers: response.headers, status: response.status };
}

/** POSTs a file as the raw body and reads the JSON answer. */
export async function upload(path: string, raw: RawBody, options: RequestOptions = {}): Promise<unknown> {
  return jsonOf(await exchange("POST", path, options, raw));
}

/** GETs a file with the session's key (so a plain link cannot be used) and returns it with its headers. */
export async function download(
  path: string,
  options: RequestOptions = {},
): Promise<{ blob: Blob; contentDisposition: string | null; headers: Headers }> {
  const response = await exchange("GET", path, options);
  try {
    return { blob: await response.blob(), contentDisposition: response.headers.get("Content-Disposition"), headers: response.headers };
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, CLIENT_CODES.network, UNREACHABLE[options.target ?? "usage"]);
  }
}

/** The usage service. */
export const http = {
  get: (path: string, options?: RequestOptions) => request("GET", path, options),
  post: (path: string, body?: unknown, options?: RequestOptions) => request("POST", path, { ...options, body }),
  put: (path: string, body?: unknown, options?: RequestOptions) => request("PUT", path, { ...options, body }),
};

/** CPA's management API (through CPA Manager's proxy in full mode). */
export const cpaHttp = {
  get: (path: string, options?: RequestOptions) => request("GET", path, { ...options, target: "cpa" }),
  put: (path: string, body?: unknown, options?: RequestOptions) =>
    request("PUT", path, { ...options, body, target: "cpa" }),
};
