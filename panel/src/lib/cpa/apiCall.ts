import { asRecord, num, str } from "../wire";
import { cpaJson } from "./client";

/**
 * CPA's `POST /api-call` (cpa-management-api.md §7): CPA makes an HTTP request upstream for the panel,
 * through the credential's proxy. With `authIndex` set, a `$TOKEN$` in a header value becomes that
 * credential's key inside CPA, so the key never travels through the browser. An upstream failure
 * (401, 404…) is still a 200 from CPA, carried in `status`; only a transport failure is an error
 * (502 `request failed`).
 */
export const TOKEN_PLACEHOLDER = "$TOKEN$";

export interface ApiCallRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  authIndex?: string | null;
  /** A request body, as text. */
  data?: string;
}

export interface ApiCallResult {
  /** The upstream HTTP status. */
  status: number;
  headers: Record<string, string[]>;
  body: string;
}

export function toApiCallResult(wire: unknown): ApiCallResult {
  const body = asRecord(wire);
  const headers: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(asRecord(body.header))) {
    headers[name] = Array.isArray(values) ? values.map((v) => str(v)) : [str(values)];
  }
  return { status: num(body.status_code), headers, body: str(body.body) };
}

export async function apiCall(call: ApiCallRequest): Promise<ApiCallResult> {
  const body: Record<string, unknown> = { method: call.method, url: call.url, header: call.headers };
  if (call.authIndex) body.auth_index = call.authIndex;
  if (call.data !== undefined) body.data = call.data;
  const { body: answer } = await cpaJson("POST", "/api-call", { body });
  return toApiCallResult(answer);
}
