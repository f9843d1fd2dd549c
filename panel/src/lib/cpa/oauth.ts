import { asRecord, num, str } from "../wire";
import { cpaJson } from "./client";

/**
 * OAuth login (cpa-management-api §6; cpa-v8 §5.1, §6.1). v0 has one route per provider
 * (/anthropic-auth-url …); v8 one route for all (/oauth/auth-url?provider=). A flow is then polled by its
 * state until CPA says ok or error; a pending one can be cancelled (the session route), and a CPA on
 * another host gets the provider's redirect pasted back through the key-less callback route.
 */
export type LoginFlow = "browser" | "device";

export interface OauthProvider {
  id: string;
  flow: LoginFlow;
}

const V7: readonly OauthProvider[] = [
  { id: "codex", flow: "browser" },
  { id: "claude", flow: "browser" },
  { id: "antigravity", flow: "browser" },
  { id: "xai", flow: "device" },
  { id: "kimi", flow: "device" },
];
const V8_EXTRA: readonly OauthProvider[] = [
  { id: "kimi-ai", flow: "device" },
  { id: "devin", flow: "browser" },
  { id: "meta", flow: "device" },
];

/** The providers this CPA can log in to. */
export function oauthProviders(hasV8: boolean): OauthProvider[] {
  return hasV8 ? [...V7, ...V8_EXTRA] : [...V7];
}

/** v0 names Claude's route after the company. */
const V0_ROUTE_NAMES: Readonly<Record<string, string>> = { claude: "anthropic" };

export interface LoginStart {
  state: string;
  url: string;
  flow: LoginFlow;
  /** Device flows: the code the user types at the URL. */
  userCode: string | null;
  expiresInS: number | null;
}

export function toLoginStart(wire: unknown): LoginStart {
  const b = asRecord(wire);
  const userCode = str(b.user_code);
  return {
    state: str(b.state),
    url: str(b.url),
    flow: b.flow === "device" || userCode !== "" ? "device" : "browser",
    userCode: userCode || null,
    expiresInS: typeof b.expires_in === "number" ? num(b.expires_in) : null,
  };
}

export type LoginStatus = { status: "wait" } | { status: "ok" } | { status: "error"; message: string };

export function toLoginStatus(wire: unknown): LoginStatus {
  const b = asRecord(wire);
  if (b.status === "wait") return { status: "wait" };
  if (b.status === "ok") return { status: "ok" };
  return { status: "error", message: str(b.error) || str(b.message) || "error" };
}

export const oauthApi = {
  start: async (hasV8: boolean, provider: string, signal?: AbortSignal): Promise<LoginStart> => {
    const extra = signal ? { signal } : {};
    const { body } = hasV8
      ? await cpaJson("GET", "/oauth/auth-url", { tree: "v8", query: { provider, is_webui: "true" }, ...extra })
      : await cpaJson("GET", `/${V0_ROUTE_NAMES[provider] ?? provider}-auth-url`, { query: { is_webui: "true" }, ...extra });
    return toLoginStart(body);
  },

  status: async (hasV8: boolean, state: string, signal?: AbortSignal): Promise<LoginStatus> => {
    const extra = signal ? { signal } : {};
    const { body } = hasV8
      ? await cpaJson("GET", "/oauth/status", { tree: "v8", query: { state }, ...extra })
      : await cpaJson("GET", "/get-auth-status", { query: { state }, ...extra });
    return toLoginStatus(body);
  },

  /** Ends a pending flow on CPA's side (its waiter exits without saving). */
  cancel: async (hasV8: boolean, state: string): Promise<boolean> => {
    const { body } = hasV8
      ? await cpaJson("DELETE", "/oauth/session", { tree: "v8", query: { state } })
      : await cpaJson("DELETE", "/oauth-session", { query: { state } });
    return asRecord(body).cancelled === true;
  },

  /** Hands CPA the URL the provider redirected to (for a CPA on another host). */
  callback: async (hasV8: boolean, provider: string, redirectUrl: string): Promise<void> => {
    const body = { provider, redirect_url: redirectUrl };
    if (hasV8) await cpaJson("POST", "/oauth/callback", { tree: "v8", body });
    else await cpaJson("POST", "/oauth-callback", { body });
  },
};
