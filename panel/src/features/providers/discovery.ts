import { TOKEN_PLACEHOLDER, type ApiCallRequest, type ApiCallResult } from "../../lib/cpa/apiCall";
import type { Family } from "../../lib/cpa/providers";
import { asRecord, str } from "../../lib/wire";

/**
 * Model discovery and the connectivity test, both one GET of the upstream's model list made by CPA
 * through `/api-call`. When the entry is registered (it has an auth_index) and its key is unchanged,
 * the header carries `$TOKEN$` and CPA puts the key in, so the key never travels.
 */

const DEFAULT_BASES: Partial<Record<Family, string>> = {
  "gemini-api-key": "https://generativelanguage.googleapis.com",
  "interactions-api-key": "https://generativelanguage.googleapis.com",
  "vertex-api-key": "https://generativelanguage.googleapis.com",
  "claude-api-key": "https://api.anthropic.com",
  "xai-api-key": "https://api.x.ai/v1",
};

const GOOGLE = new Set(["gemini-api-key", "interactions-api-key", "vertex-api-key"]);

export interface Credential {
  baseUrl: string;
  apiKey: string;
  /** Set when CPA knows this credential and its key is the one CPA holds. */
  authIndex: string | null;
}

/** The api-call request that lists the upstream's models; null when there is no URL to ask. */
export function modelsRequest(family: Family, credential: Credential): ApiCallRequest | null {
  const base = (credential.baseUrl.trim() || DEFAULT_BASES[family] || "").replace(/\/+$/, "");
  if (base === "") return null;
  const token = credential.authIndex ? TOKEN_PLACEHOLDER : credential.apiKey.trim();
  const call = (url: string, headers: Record<string, string>): ApiCallRequest => ({
    method: "GET",
    url,
    headers,
    ...(credential.authIndex ? { authIndex: credential.authIndex } : {}),
  });
  if (GOOGLE.has(family)) return call(`${base}/v1beta/models`, { "x-goog-api-key": token });
  if (family === "claude-api-key") return call(`${base}/v1/models`, { "x-api-key": token, "anthropic-version": "2023-06-01" });
  return call(`${base}/models`, { Authorization: `Bearer ${token}` });
}

/** Model ids from an OpenAI/Anthropic (`data[].id`) or Google (`models[].name`) list, sorted, no repeats. */
export function parseModelIds(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const record = asRecord(parsed);
  const items = Array.isArray(record.data) ? record.data : Array.isArray(record.models) ? record.models : [];
  const ids = items.map((item) => {
    const m = asRecord(item);
    return (str(m.id) || str(m.name)).replace(/^models\//, "");
  });
  return [...new Set(ids.filter((id) => id !== ""))].sort((a, b) => a.localeCompare(b));
}

export interface UpstreamVerdict {
  ok: boolean;
  status: number;
  /** The upstream's own error sentence, when it sent one. */
  detail: string;
}

/** What the upstream said: its status and, on failure, its error message (or the start of its body). */
export function upstreamVerdict(result: ApiCallResult): UpstreamVerdict {
  const ok = result.status >= 200 && result.status < 300;
  if (ok) return { ok, status: result.status, detail: "" };
  let detail = result.body.trim().slice(0, 200);
  try {
    const body = asRecord(JSON.parse(result.body));
    const error = body.error;
    detail = str(asRecord(error).message) || str(error) || str(body.message) || detail;
  } catch {
    // not JSON: the start of the text is the best there is
  }
  return { ok, status: result.status, detail };
}
