import { asRecord, num, numOrNull, str, strList, type Json, list } from "../wire";
import { cpaDownload, cpaJson, cpaSendForm, cpaSendRaw, type CpaTree } from "./client";

/**
 * CPA's credentials (auth files): v0 /auth-files, v8 /credentials (cpa-management-api §5, cpa-v8 §6.2). The
 * list leaves out prefix, proxy URL, headers and excluded models, so the field editor reads them from the
 * downloaded file; every write names the file, and CPA re-saves it (a download after a write is not the
 * uploaded bytes).
 */
export interface Credential {
  name: string;
  authIndex: string;
  provider: string;
  /** The account: e-mail, else CPA's label. */
  label: string;
  email: string;
  /** Plan or account type where CPA gives one (Codex plan_type, account_type). */
  plan: string;
  status: string;
  statusMessage: string;
  disabled: boolean;
  /** Cooling down or out of quota. */
  unavailable: boolean;
  /** When CPA tries the credential again (ms since epoch), or null. */
  nextRetryMs: number | null;
  runtimeOnly: boolean;
  priority: number | null;
  weight: number | null;
  note: string;
  /** CPA's own counters since it started. */
  success: number;
  failed: number;
  updatedMs: number | null;
  /** v8: the passive quota headers CPA last saw for this credential (claude, codex, devin), or null. */
  quota: QuotaSignals | null;
}

export interface QuotaSignals {
  observedMs: number | null;
  signals: [string, string][];
}

function toQuota(value: unknown): QuotaSignals | null {
  const q = asRecord(value);
  const signals = Object.entries(asRecord(q.signals))
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .sort(([a], [b]) => a.localeCompare(b));
  return signals.length > 0 ? { observedMs: timeMs(q.observed_at), signals } : null;
}

/** Where the credential routes live on this CPA. */
export interface CredentialRoutes {
  tree: CpaTree;
  base: string;
}

export function credentialRoutes(hasV8: boolean): CredentialRoutes {
  return hasV8 ? { tree: "v8", base: "/credentials" } : { tree: "v0", base: "/auth-files" };
}

function timeMs(value: unknown): number | null {
  const text = str(value);
  if (text === "") return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

export function toCredential(wire: unknown): Credential {
  const f = asRecord(wire);
  const idToken = asRecord(f.id_token);
  const email = str(f.email);
  return {
    name: str(f.name) || str(f.id),
    authIndex: str(f.auth_index),
    provider: str(f.provider) || str(f.type) || "unknown",
    label: email || str(f.label) || str(f.account) || str(f.project_id) || str(f.name),
    email,
    plan: str(idToken.plan_type) || str(f.account_type),
    status: str(f.status) || "unknown",
    statusMessage: str(f.status_message),
    disabled: f.disabled === true,
    unavailable: f.unavailable === true,
    nextRetryMs: timeMs(f.next_retry_after),
    runtimeOnly: f.runtime_only === true,
    priority: numOrNull(f.priority),
    weight: numOrNull(f.weight),
    note: str(f.note),
    success: num(f.success),
    failed: num(f.failed),
    updatedMs: timeMs(f.modtime) ?? timeMs(f.updated_at),
    quota: toQuota(f.quota),
  };
}

export function toCredentials(wire: unknown): Credential[] {
  const files = asRecord(wire).files;
  return Array.isArray(files) ? files.map(toCredential).filter((c) => c.name !== "") : [];
}

/** The editable fields, as the file holds them (legacy spellings read too). */
export interface CredentialFields {
  prefix: string;
  proxyUrl: string;
  headers: Record<string, string>;
  priority: number | null;
  weight: number | null;
  note: string;
  websockets: boolean;
  excludedModels: string[];
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(asRecord(value))) if (typeof item === "string") out[key] = item;
  return out;
}

export function toCredentialFields(file: Json): CredentialFields {
  return {
    prefix: str(file.prefix),
    proxyUrl: str(file.proxy_url) || str(file["proxy-url"]),
    headers: stringMap(file.headers),
    priority: numOrNull(file.priority),
    weight: numOrNull(file.weight),
    note: str(file.note),
    websockets: file.websockets === true,
    excludedModels: strList(file.excluded_models ?? file["excluded-models"]),
  };
}

export interface CredentialModel {
  id: string;
  displayName: string;
}

export interface UploadAnswer {
  ok: boolean;
  message: string;
}

export function credentialsApi(routes: CredentialRoutes) {
  const { tree, base } = routes;
  return {
    list: async (signal?: AbortSignal): Promise<Credential[]> =>
      toCredentials((await cpaJson("GET", base, { tree, ...(signal ? { signal } : {}) })).body),

    /** The file exactly as CPA stores it. */
    download: (name: string): Promise<Blob> => cpaDownload(`${base}/download`, { tree, query: { name } }),

    /** The stored file parsed, for the field editor's read-modify-write. */
    readFile: async (name: string): Promise<Json> =>
      asRecord(JSON.parse(await (await cpaDownload(`${base}/download`, { tree, query: { name } })).text())),

    /** One file as a raw body with ?name= (CPA's second upload form): one answer per file. */
    upload: async (name: string, text: string): Promise<void> => {
      await cpaSendRaw("POST", base, { data: text, contentType: "application/json" }, { tree, query: { name } });
    },

    setDisabled: async (name: string, disabled: boolean): Promise<void> => {
      await cpaJson("PATCH", `${base}/status`, { tree, body: { name, disabled } });
    },

    /** Only the keys given are written; CPA merges them into the file. */
    patchFields: async (name: string, fields: Json): Promise<void> => {
      await cpaJson("PATCH", `${base}/fields`, { tree, body: { name, ...fields } });
    },

    remove: async (name: string): Promise<void> => {
      await cpaJson("DELETE", base, { tree, query: { name } });
    },

    /** v8 only: CPA refreshes the credential's tokens now (cpa-v8 §6.3). */
    refresh: async (name: string): Promise<void> => {
      await cpaJson("POST", `${base}/refresh`, { tree, query: { name } });
    },

    models: async (name: string): Promise<CredentialModel[]> => {
      const models = asRecord((await cpaJson("GET", `${base}/models`, { tree, query: { name } })).body).models;
      return list(models).map((m) => {
        const r = asRecord(m);
        return { id: str(r.id), displayName: str(r.display_name) };
      });
    },
  };
}

export type CredentialsApi = ReturnType<typeof credentialsApi>;

export interface VertexImport {
  projectId: string;
  email: string;
  location: string;
  authFile: string;
}

/** A Vertex service-account file with its region (v0 /vertex/import, v8 /oauth/import?provider=vertex). */
export async function importVertex(hasV8: boolean, file: Blob, fileName: string, location: string): Promise<VertexImport> {
  const form = new FormData();
  form.append("file", file, fileName);
  if (location.trim() !== "") form.append("location", location.trim());
  const { body } = hasV8
    ? await cpaSendForm("POST", "/oauth/import", form, { tree: "v8", query: { provider: "vertex" } })
    : await cpaSendForm("POST", "/vertex/import", form);
  const b = asRecord(body);
  return { projectId: str(b.project_id), email: str(b.email), location: str(b.location), authFile: str(b["auth-file"]) };
}
