import { ApiError } from "../http";
import { asRecord, numOrNull, str, strList, type Json } from "../wire";
import { cpaJson } from "./client";

/**
 * CPA's provider key lists (cpa-management-api.md §3): one list per family, each entry a config
 * struct plus a trailing `auth-index` that CPA adds on reads. PUT replaces a whole list, so every
 * entry keeps the wire object it was read from (`raw`): fields this panel does not edit (cloak,
 * websockets, request-scoped-errors, fields of newer CPAs) go back to CPA unchanged.
 */

/** The families every CPA from v6.10 may serve, in the order the page lists them. */
export const KNOWN_FAMILIES = [
  "gemini-api-key",
  "codex-api-key",
  "claude-api-key",
  "vertex-api-key",
  "xai-api-key",
  "openai-compatibility",
  "interactions-api-key",
  "meta-api-key",
] as const;

export const COMPAT_FAMILY = "openai-compatibility";

/** A family's path segment: a `*-api-key` name or `openai-compatibility`. */
export type Family = string;

export interface ModelAlias {
  name: string;
  alias: string;
  /** The model entry as read (display-name, force-mapping, thinking…), kept on write. */
  raw: Json;
}

export interface KeyEntry {
  kind: "key";
  apiKey: string;
  baseUrl: string;
  proxyUrl: string;
  prefix: string;
  headers: [string, string][];
  models: ModelAlias[];
  excludedModels: string[];
  priority: number | null;
  weight: number | null;
  /** CPA's id for this credential in usage records and /api-call; null until CPA registered it. */
  authIndex: string | null;
  raw: Json;
}

export interface CompatKey {
  apiKey: string;
  proxyUrl: string;
  weight: number | null;
  authIndex: string | null;
  raw: Json;
}

export interface CompatEntry {
  kind: "compat";
  name: string;
  baseUrl: string;
  prefix: string;
  priority: number | null;
  disabled: boolean;
  headers: [string, string][];
  models: ModelAlias[];
  keys: CompatKey[];
  /** Only set when the provider has no keys (CPA then indexes the provider itself). */
  authIndex: string | null;
  raw: Json;
}

export type ProviderEntry = KeyEntry | CompatEntry;

const AUTH_INDEX = "auth-index";

function withoutAuthIndex(value: unknown): Json {
  const rest = { ...asRecord(value) };
  delete rest[AUTH_INDEX];
  return rest;
}

function toHeaders(value: unknown): [string, string][] {
  return Object.entries(asRecord(value)).map(([name, v]) => [name, str(v)]);
}

function toModels(value: unknown): ModelAlias[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => {
    const raw = asRecord(item);
    return { name: str(raw.name), alias: str(raw.alias), raw };
  });
}

function authIndexOf(value: Json): string | null {
  return str(value[AUTH_INDEX]) || null;
}

export function toKeyEntry(wire: unknown): KeyEntry {
  const body = asRecord(wire);
  return {
    kind: "key",
    apiKey: str(body["api-key"]),
    baseUrl: str(body["base-url"]),
    proxyUrl: str(body["proxy-url"]),
    prefix: str(body.prefix),
    headers: toHeaders(body.headers),
    models: toModels(body.models),
    excludedModels: strList(body["excluded-models"]),
    priority: numOrNull(body.priority),
    weight: numOrNull(body.weight),
    authIndex: authIndexOf(body),
    raw: withoutAuthIndex(body),
  };
}

export function toCompatEntry(wire: unknown): CompatEntry {
  const body = asRecord(wire);
  const entries = Array.isArray(body["api-key-entries"]) ? (body["api-key-entries"] as unknown[]) : [];
  const raw = withoutAuthIndex(body);
  if (Array.isArray(raw["api-key-entries"])) raw["api-key-entries"] = entries.map(withoutAuthIndex);
  return {
    kind: "compat",
    name: str(body.name),
    baseUrl: str(body["base-url"]),
    prefix: str(body.prefix),
    priority: numOrNull(body.priority),
    disabled: body.disabled === true,
    headers: toHeaders(body.headers),
    models: toModels(body.models),
    keys: entries.map((item) => {
      const key = asRecord(item);
      return {
        apiKey: str(key["api-key"]),
        proxyUrl: str(key["proxy-url"]),
        weight: numOrNull(key.weight),
        authIndex: authIndexOf(key),
        raw: withoutAuthIndex(key),
      };
    }),
    authIndex: authIndexOf(body),
    raw,
  };
}

export function toEntries(family: Family, wire: unknown): ProviderEntry[] {
  const list = asRecord(wire)[family];
  if (!Array.isArray(list)) return []; // null: the family has no entries
  const convert: (wire: unknown) => ProviderEntry = family === COMPAT_FAMILY ? toCompatEntry : toKeyEntry;
  return list.map(convert);
}

/** Sets `name` to `value`, or removes it when the value is empty (CPA omits empty optional fields). */
function setOptional(target: Json, name: string, value: unknown, present: boolean): void {
  if (present) target[name] = value;
  else delete target[name];
}

function headersWire(headers: readonly [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) if (name.trim() !== "" && value.trim() !== "") out[name.trim()] = value.trim();
  return out;
}

function modelsWire(models: readonly ModelAlias[]): Json[] {
  return models
    .filter((m) => m.name.trim() !== "" || m.alias.trim() !== "")
    .map((m) => {
      const out: Json = { ...m.raw, name: m.name.trim() };
      setOptional(out, "alias", m.alias.trim(), m.alias.trim() !== "");
      return out;
    });
}

function setCommon(out: Json, entry: { baseUrl: string; prefix: string; priority: number | null; headers: [string, string][]; models: ModelAlias[] }): void {
  setOptional(out, "base-url", entry.baseUrl.trim(), entry.baseUrl.trim() !== "");
  setOptional(out, "prefix", entry.prefix.trim(), entry.prefix.trim() !== "");
  setOptional(out, "priority", entry.priority, entry.priority !== null);
  const headers = headersWire(entry.headers);
  setOptional(out, "headers", headers, Object.keys(headers).length > 0);
  const models = modelsWire(entry.models);
  setOptional(out, "models", models, models.length > 0);
}

/** The wire object CPA's PUT takes for one entry: the read object with the edited fields applied. */
export function toWire(entry: ProviderEntry): Json {
  const out: Json = { ...entry.raw };
  setCommon(out, entry);
  if (entry.kind === "compat") {
    out.name = entry.name.trim();
    out.disabled = entry.disabled;
    const keys = entry.keys.map((key) => {
      const k: Json = { ...key.raw, "api-key": key.apiKey.trim() };
      setOptional(k, "proxy-url", key.proxyUrl.trim(), key.proxyUrl.trim() !== "");
      setOptional(k, "weight", key.weight, key.weight !== null);
      return k;
    });
    setOptional(out, "api-key-entries", keys, keys.length > 0);
    return out;
  }
  out["api-key"] = entry.apiKey.trim();
  setOptional(out, "proxy-url", entry.proxyUrl.trim(), entry.proxyUrl.trim() !== "");
  setOptional(out, "weight", entry.weight, entry.weight !== null);
  const excluded = entry.excludedModels.map((m) => m.trim()).filter((m) => m !== "");
  setOptional(out, "excluded-models", excluded, excluded.length > 0);
  return out;
}

/** A family's entries; null when this CPA does not serve the family (older versions answer 404). */
export async function getFamily(family: Family, signal?: AbortSignal): Promise<ProviderEntry[] | null> {
  try {
    const { body } = await cpaJson("GET", `/${family}`, signal ? { signal } : {});
    return toEntries(family, body);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Replaces a family's whole list. */
export async function putFamily(family: Family, entries: readonly ProviderEntry[]): Promise<void> {
  await cpaJson("PUT", `/${family}`, { body: entries.map(toWire) });
}

/**
 * Other `*-api-key` lists the connected CPA's runtime config has beyond the known ones (a newer CPA's
 * family is still editable as a plain key list).
 */
export async function extraFamilies(): Promise<Family[]> {
  const { body } = await cpaJson("GET", "/config");
  return Object.keys(asRecord(body)).filter(
    (name) => name.endsWith("-api-key") && !(KNOWN_FAMILIES as readonly string[]).includes(name),
  );
}
