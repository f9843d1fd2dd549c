import { requestWithHeaders } from "../http";
import { asRecord, num, str, strList } from "../wire";
import { cpaJson } from "./client";

/**
 * What the dashboard shows about CPA itself, from CPA's runtime config (GET /config: client keys,
 * provider keys and settings in one answer, on every version up to v8), its credentials and the
 * model list it serves. Secrets are counted here and never leave this module, except the one client
 * key the model list must be asked with.
 */

export type ProviderFamily =
  | "gemini"
  | "codex"
  | "claude"
  | "openaiCompatible"
  | "vertex"
  | "xai"
  | "interactions"
  | "meta";

/** The families a panel always shows, then the ones shown only when they have keys. */
export const MAIN_FAMILIES: readonly ProviderFamily[] = ["gemini", "codex", "claude", "openaiCompatible"];
export const OTHER_FAMILIES: readonly ProviderFamily[] = ["vertex", "xai", "interactions", "meta"];

const FAMILY_KEYS: Record<ProviderFamily, string> = {
  gemini: "gemini-api-key",
  codex: "codex-api-key",
  claude: "claude-api-key",
  openaiCompatible: "openai-compatibility",
  vertex: "vertex-api-key",
  xai: "xai-api-key",
  interactions: "interactions-api-key",
  meta: "meta-api-key",
};

export interface CpaSettingsSummary {
  clientKeyCount: number;
  /** The first client key, for the model list only; null when CPA has none. */
  firstClientKey: string | null;
  providerKeys: Record<ProviderFamily, number>;
  debug: boolean;
  loggingToFile: boolean;
  requestRetry: number;
  proxyUrl: string;
  routingStrategy: string;
}

export interface CredentialHealth {
  total: number;
  healthy: number;
  /** In error, cooling down or unavailable, or carrying a status message while enabled. */
  problems: number;
  disabled: number;
}

function familyCount(wire: unknown, family: ProviderFamily): number {
  if (!Array.isArray(wire)) return 0;
  if (family !== "openaiCompatible") return wire.filter((entry) => str(asRecord(entry)["api-key"]) !== "").length;
  // An OpenAI-compatible provider holds its keys in api-key-entries (v8 groups flatten to the same).
  return wire.reduce<number>((sum, entry) => {
    const entries = asRecord(entry)["api-key-entries"];
    return sum + (Array.isArray(entries) ? entries.length : 0);
  }, 0);
}

export function toSettingsSummary(wire: unknown): CpaSettingsSummary {
  const body = asRecord(wire);
  const clientKeys = strList(body["api-keys"]).filter((key) => key.trim() !== "");
  const providerKeys = {} as Record<ProviderFamily, number>;
  for (const family of [...MAIN_FAMILIES, ...OTHER_FAMILIES]) providerKeys[family] = familyCount(body[FAMILY_KEYS[family]], family);
  return {
    clientKeyCount: clientKeys.length,
    firstClientKey: clientKeys[0] ?? null,
    providerKeys,
    debug: body.debug === true,
    loggingToFile: body["logging-to-file"] === true,
    requestRetry: num(body["request-retry"]),
    proxyUrl: str(body["proxy-url"]),
    routingStrategy: str(asRecord(body.routing).strategy) || "round-robin",
  };
}

export function hasProblem(file: Record<string, unknown>): boolean {
  if (file.disabled === true) return false;
  const status = str(file.status);
  return status === "error" || file.unavailable === true || (str(file.status_message) !== "" && status !== "active");
}

export function toCredentialHealth(wire: unknown): CredentialHealth {
  const files = asRecord(wire).files;
  const list = Array.isArray(files) ? files.map(asRecord) : [];
  const disabled = list.filter((file) => file.disabled === true).length;
  const problems = list.filter(hasProblem).length;
  return { total: list.length, disabled, problems, healthy: list.length - disabled - problems };
}

export function toModelIds(wire: unknown): string[] {
  const data = asRecord(wire).data;
  if (!Array.isArray(data)) return [];
  return data.map((model) => str(asRecord(model).id)).filter((id) => id !== "");
}

export const cpaOverviewApi = {
  settings: async (): Promise<CpaSettingsSummary> => toSettingsSummary((await cpaJson("GET", "/config")).body),

  /** /auth-files is kept on v8 (cpa-v8 §3), so one path serves every version. */
  credentials: async (): Promise<CredentialHealth> => toCredentialHealth((await cpaJson("GET", "/auth-files")).body),

  /**
   * CPA's model list, which CPA serves to client keys only (GET /v1/models; in full mode CPA Manager
   * forwards it). The key is passed explicitly, so a refusal never signs the user out.
   */
  models: async (clientKey: string): Promise<string[]> => {
    const { body } = await requestWithHeaders("GET", "/v1/models", { target: "cpa", key: clientKey });
    return toModelIds(body);
  },
};
