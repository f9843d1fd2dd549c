import type { AmpcodeSettings, AmpField } from "../../lib/cpa/ampcode";
import { COMPAT_FAMILY, type CompatEntry, type Family, type KeyEntry, type ModelAlias, type ProviderEntry } from "../../lib/cpa/providers";
import type { Json } from "../../lib/wire";

/**
 * The AI providers page's rules, kept pure: form ⇄ entry conversion, what CPA does with bad input
 * (cpa-management-api.md §3.3), and the read-modify-write merge that keeps concurrent edits.
 */

export const MAX_WEIGHT = 1_000_000;

/** Families whose entries CPA drops without a word when they have no base URL (§3.3). */
const NEEDS_BASE_URL = new Set(["codex-api-key", "xai-api-key", COMPAT_FAMILY]);
/** Families where an entry needs a key or a base URL, not necessarily a key (§3.3). */
const KEY_OR_BASE = new Set(["gemini-api-key", "interactions-api-key"]);

export interface ModelRow {
  name: string;
  alias: string;
  raw: Json;
}

export interface HeaderRow {
  name: string;
  value: string;
}

export interface CompatKeyRow {
  apiKey: string;
  proxyUrl: string;
  weight: string;
  authIndex: string | null;
  raw: Json;
}

/** What the edit form holds: numbers as typed text, lists as rows. */
export interface EntryForm {
  apiKey: string;
  baseUrl: string;
  proxyUrl: string;
  prefix: string;
  priority: string;
  weight: string;
  headers: HeaderRow[];
  models: ModelRow[];
  /** One pattern per line. */
  excludedModels: string;
  name: string;
  disabled: boolean;
  keys: CompatKeyRow[];
}

const numText = (value: number | null) => (value === null ? "" : String(value));

function headerRows(headers: readonly [string, string][]): HeaderRow[] {
  return headers.map(([name, value]) => ({ name, value }));
}

function modelRows(models: readonly ModelAlias[]): ModelRow[] {
  return models.map((m) => ({ name: m.name, alias: m.alias, raw: m.raw }));
}

export function emptyForm(family: Family): EntryForm {
  return {
    apiKey: "",
    baseUrl: "",
    proxyUrl: "",
    prefix: "",
    priority: "",
    weight: "",
    headers: [],
    models: [],
    excludedModels: "",
    name: "",
    disabled: false,
    keys: family === COMPAT_FAMILY ? [{ apiKey: "", proxyUrl: "", weight: "", authIndex: null, raw: {} }] : [],
  };
}

export function formFromEntry(entry: ProviderEntry): EntryForm {
  const common = {
    baseUrl: entry.baseUrl,
    prefix: entry.prefix,
    priority: numText(entry.priority),
    headers: headerRows(entry.headers),
    models: modelRows(entry.models),
  };
  if (entry.kind === "compat") {
    return {
      ...common,
      apiKey: "",
      proxyUrl: "",
      weight: "",
      excludedModels: "",
      name: entry.name,
      disabled: entry.disabled,
      keys: entry.keys.map((k) => ({ apiKey: k.apiKey, proxyUrl: k.proxyUrl, weight: numText(k.weight), authIndex: k.authIndex, raw: k.raw })),
    };
  }
  return {
    ...common,
    apiKey: entry.apiKey,
    proxyUrl: entry.proxyUrl,
    weight: numText(entry.weight),
    excludedModels: entry.excludedModels.join("\n"),
    name: "",
    disabled: false,
    keys: [],
  };
}

const INTEGER = /^-?\d+$/;

function intOrNull(text: string): number | null {
  const trimmed = text.trim();
  return INTEGER.test(trimmed) ? Number(trimmed) : null;
}

function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** The entry the form describes, keeping the fields of `base` (as read from CPA) the form does not show. */
export function entryFromForm(form: EntryForm, family: Family, base: ProviderEntry | null): ProviderEntry {
  const headers = form.headers.map((h): [string, string] => [h.name.trim(), h.value.trim()]).filter(([n, v]) => n !== "" && v !== "");
  const models = form.models.map((m) => ({ name: m.name.trim(), alias: m.alias.trim(), raw: m.raw }));
  const common = {
    baseUrl: form.baseUrl.trim(),
    prefix: form.prefix.trim(),
    priority: intOrNull(form.priority),
    headers,
    models,
    authIndex: base?.authIndex ?? null,
    raw: base?.raw ?? {},
  };
  if (family === COMPAT_FAMILY) {
    const entry: CompatEntry = {
      ...common,
      kind: "compat",
      name: form.name.trim(),
      disabled: form.disabled,
      keys: form.keys
        .filter((k) => k.apiKey.trim() !== "")
        .map((k) => ({ apiKey: k.apiKey.trim(), proxyUrl: k.proxyUrl.trim(), weight: intOrNull(k.weight), authIndex: k.authIndex, raw: k.raw })),
    };
    return entry;
  }
  const entry: KeyEntry = {
    ...common,
    kind: "key",
    apiKey: form.apiKey.trim(),
    proxyUrl: form.proxyUrl.trim(),
    weight: intOrNull(form.weight),
    excludedModels: splitList(form.excludedModels),
  };
  return entry;
}

export type Problem =
  | "baseUrlDropped"
  | "keyRequired"
  | "keyOrBaseRequired"
  | "vertexKeyRequired"
  | "nameRequired"
  | "weightRange"
  | "priorityInteger"
  | "urlInvalid"
  | "proxyInvalid"
  | "headerName"
  | "modelAliasRequired";

/** A field path: "baseUrl", "keys.0.weight", "models.2.alias", "headers.1.name". */
export type FormErrors = Partial<Record<string, Problem>>;

const HTTP_URL = /^https?:\/\/[^\s/]+\S*$/i;
const PROXY_URL = /^(https?|socks5h?):\/\/[^\s/]+\S*$/i;

function weightProblem(text: string): Problem | null {
  if (text.trim() === "") return null;
  const value = intOrNull(text);
  return value === null || value < 0 || value > MAX_WEIGHT ? "weightRange" : null;
}

function proxyProblem(text: string): Problem | null {
  const value = text.trim();
  if (value === "" || value === "direct" || value === "none") return null;
  return PROXY_URL.test(value) ? null : "proxyInvalid";
}

/** Everything CPA would refuse, or worse, drop without a word; empty when the form can be saved. */
export function validateForm(form: EntryForm, family: Family): FormErrors {
  const errors: FormErrors = {};
  const set = (path: string, problem: Problem | null) => {
    if (problem && !errors[path]) errors[path] = problem;
  };
  const baseUrl = form.baseUrl.trim();
  if (baseUrl === "" && NEEDS_BASE_URL.has(family)) set("baseUrl", "baseUrlDropped");
  if (baseUrl !== "" && !HTTP_URL.test(baseUrl)) set("baseUrl", "urlInvalid");
  if (form.priority.trim() !== "" && intOrNull(form.priority) === null) set("priority", "priorityInteger");
  form.headers.forEach((h, i) => set(`headers.${i}.name`, h.name.trim() === "" && h.value.trim() !== "" ? "headerName" : null));
  if (family === COMPAT_FAMILY) {
    if (form.name.trim() === "") set("name", "nameRequired");
    form.keys.forEach((k, i) => {
      set(`keys.${i}.weight`, weightProblem(k.weight));
      set(`keys.${i}.proxyUrl`, proxyProblem(k.proxyUrl));
    });
    return errors;
  }
  const apiKey = form.apiKey.trim();
  if (family === "vertex-api-key" && apiKey === "") set("apiKey", "vertexKeyRequired");
  else if (KEY_OR_BASE.has(family) && apiKey === "" && baseUrl === "") set("apiKey", "keyOrBaseRequired");
  else if (!KEY_OR_BASE.has(family) && apiKey === "") set("apiKey", "keyRequired");
  set("weight", weightProblem(form.weight));
  set("proxyUrl", proxyProblem(form.proxyUrl));
  if (family === "vertex-api-key") {
    form.models.forEach((m, i) => set(`models.${i}.alias`, m.name.trim() !== "" && m.alias.trim() === "" ? "modelAliasRequired" : null));
  }
  return errors;
}

// --- read-modify-write ------------------------------------------------------------------------------

/** A canonical text of an entry as CPA holds it (keys sorted, auth-index left out), to spot changes. */
export function fingerprint(entry: ProviderEntry): string {
  return stableJson(entry.raw);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(record[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export type EntryChange =
  | { kind: "add"; entry: ProviderEntry }
  | { kind: "edit"; index: number; original: ProviderEntry; entry: ProviderEntry }
  | { kind: "delete"; index: number; original: ProviderEntry };

export type EntryWrite = { ok: true; entries: ProviderEntry[] } | { ok: false; reason: "changed" | "duplicate" };

/** Where the entry the user edited sits in CPA's current list, if it is there unchanged. */
export function locateEntry(current: readonly ProviderEntry[], index: number, original: ProviderEntry): number {
  const wanted = fingerprint(original);
  const at = current[index];
  if (at && fingerprint(at) === wanted) return index;
  return current.findIndex((entry) => fingerprint(entry) === wanted);
}

/** What names an entry for people and for CPA's DELETE: its key and base URL, or its provider name. */
export function identity(entry: ProviderEntry): string {
  return entry.kind === "compat" ? `name:${entry.name}` : `key:${entry.apiKey}|${entry.baseUrl}`;
}

/**
 * Applies one change to CPA's list as just fetched. An edit or delete goes through only while its
 * target is still there unchanged (found by content, so entries others added or removed meanwhile
 * do not matter); otherwise the change is refused and nothing is written.
 */
export function applyEntryChange(current: readonly ProviderEntry[], change: EntryChange): EntryWrite {
  const entries = [...current];
  if (change.kind === "add") {
    if (entries.some((e) => identity(e) === identity(change.entry))) return { ok: false, reason: "duplicate" };
    return { ok: true, entries: [...entries, change.entry] };
  }
  const at = locateEntry(entries, change.index, change.original);
  if (at < 0) return { ok: false, reason: "changed" };
  if (change.kind === "delete") entries.splice(at, 1);
  else {
    const clash = entries.some((e, i) => i !== at && identity(e) === identity(change.entry));
    if (clash) return { ok: false, reason: "duplicate" };
    entries[at] = change.entry;
  }
  return { ok: true, entries };
}

/** "sk-…wxyz": tells keys apart without showing them. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return "•".repeat(Math.max(secret.length, 4));
  return `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}

// --- Ampcode ---------------------------------------------------------------------------------------

const AMP_FIELDS: readonly AmpField[] = ["upstreamUrl", "upstreamApiKey", "upstreamApiKeys", "modelMappings", "forceModelMappings"];

/** The Ampcode parts the user changed; each has its own setter, so only these are written. */
export function changedAmpFields(loaded: AmpcodeSettings, edited: AmpcodeSettings): AmpField[] {
  return AMP_FIELDS.filter((field) => stableJson(loaded[field]) !== stableJson(edited[field]));
}

/** The changed parts that CPA's copy no longer has as loaded (someone else changed them meanwhile). */
export function ampConflicts(loaded: AmpcodeSettings, current: AmpcodeSettings, fields: readonly AmpField[]): AmpField[] {
  return fields.filter((field) => stableJson(loaded[field]) !== stableJson(current[field]));
}

/**
 * Where the entry a refused edit was aimed at is now in CPA's list: found by its key and base URL (or
 * name), else at its old position. The user's edit is then re-applied on top of this version.
 */
export function findCurrent(current: readonly ProviderEntry[], index: number, original: ProviderEntry): number {
  const at = current.findIndex((entry) => identity(entry) === identity(original));
  if (at >= 0) return at;
  return index < current.length ? index : -1;
}
