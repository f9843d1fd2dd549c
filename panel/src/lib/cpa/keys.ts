import { ApiError } from "../http";
import { asRecord, str, strList } from "../wire";
import { cpaJson } from "./client";
import { sha256Hex } from "./sha256";

export { sha256Hex } from "./sha256";

/**
 * CPA's client API keys (cpa-management-api.md §2) and, on v8, their shared display names
 * (cpa-v8.md §6.4). The list is plain strings: CPA neither trims nor de-duplicates them, and a GET
 * after `PUT []` answers null, which is the empty list here.
 */

export async function getClientKeys(signal?: AbortSignal): Promise<string[]> {
  const { body } = await cpaJson("GET", "/api-keys", signal ? { signal } : {});
  return strList(asRecord(body)["api-keys"]);
}

/** Replaces the whole list (CPA's PUT has no partial form that is safe for every version). */
export async function putClientKeys(keys: readonly string[]): Promise<void> {
  // A bare array: `{"items": []}` is a 400, while `[]` is accepted and empties the list.
  await cpaJson("PUT", "/api-keys", { body: [...keys] });
}

/** sha256 hex of the full key → display name; an empty name is CPA's kept tombstone. */
export type KeyNames = Readonly<Record<string, string>>;

function toKeyNames(wire: unknown): Record<string, string> {
  const names = asRecord(asRecord(wire).names);
  const out: Record<string, string> = {};
  for (const [hash, name] of Object.entries(names)) out[hash] = str(name);
  return out;
}

export async function getKeyNames(signal?: AbortSignal): Promise<Record<string, string>> {
  const { body } = await cpaJson("GET", "/access/api-key-names", { tree: "v8", ...(signal ? { signal } : {}) });
  return toKeyNames(body);
}

/** Merges these names into CPA's; answers the merged table. */
export async function patchKeyNames(names: KeyNames): Promise<Record<string, string>> {
  const { body } = await cpaJson("PATCH", "/access/api-key-names", { tree: "v8", body: { names } });
  return toKeyNames(body);
}

/**
 * The display names by key hash, for pages that only know hashes (Request Monitoring's API-key
 * filter and breakdown). A CPA without names (before v8, or unreachable) gives an empty map, so
 * callers keep their own labels.
 */
export async function clientKeyNames(): Promise<ReadonlyMap<string, string>> {
  try {
    const names = await getKeyNames();
    return new Map(Object.entries(names).filter(([, name]) => name.trim() !== ""));
  } catch (error) {
    if (error instanceof ApiError) return new Map();
    throw error;
  }
}

/** Relabels rows keyed by api_key_hash with CPA's display names; rows without a name keep theirs. */
export function labelApiKeyRows<T extends { key: string; label: string }>(rows: readonly T[], names: ReadonlyMap<string, string>): T[] {
  return rows.map((row) => {
    const name = names.get(row.key);
    return name ? { ...row, label: `${name} (${row.label})` } : row;
  });
}

/** The hash of each key, in order (one digest per distinct key). */
export async function hashKeys(keys: readonly string[]): Promise<Map<string, string>> {
  const distinct = [...new Set(keys)];
  const hashes = await Promise.all(distinct.map(sha256Hex));
  return new Map(distinct.map((key, i) => [key, hashes[i] ?? ""]));
}
