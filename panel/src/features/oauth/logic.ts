import type { Credential } from "../../lib/cpa/credentials";
import type { ModelAlias } from "../../lib/cpa/oauthMaps";

/** CPA's status endpoint is polled this often while a login is pending (as the reference panel does). */
export const POLL_MS = 3_000;
/** CPA gives up on a browser flow after 5 minutes; we stop a little later so CPA's own message wins. */
export const BROWSER_TIMEOUT_MS = 5 * 60_000 + 15_000;
/** Device flows without an expiry from the provider. */
export const DEVICE_TIMEOUT_MS = 15 * 60_000;

export function loginTimeoutMs(expiresInS: number | null, device: boolean): number {
  if (expiresInS !== null && expiresInS > 0) return expiresInS * 1000;
  return device ? DEVICE_TIMEOUT_MS : BROWSER_TIMEOUT_MS;
}

/** Names in `after` that were not in `before`: the credential a login just saved. */
export function newNames(before: readonly string[], after: readonly string[]): string[] {
  const known = new Set(before);
  return after.filter((name) => !known.has(name));
}

/**
 * The credential a login saved: a new file, or (logging in again to a known account, which CPA merges into the
 * existing file) the provider's most recently written one.
 */
export function savedBy(provider: string, before: readonly string[], after: readonly Credential[]): string[] {
  const fresh = newNames(before, after.map((c) => c.name));
  if (fresh.length > 0) return fresh;
  const latest = after
    .filter((c) => c.provider === provider && c.updatedMs !== null)
    .reduce<Credential | null>((best, c) => (best === null || (c.updatedMs ?? 0) > (best.updatedMs ?? 0) ? c : best), null);
  return latest ? [latest.name] : [];
}

const PROVIDER_KEY = /^[a-z0-9][a-z0-9._-]*$/;
const PATTERN = /^[^\s,]+$/;

export type MapProblem = "badKey" | "badPattern" | "emptyName" | "sameAsName" | "duplicateAlias";

/** A provider or channel key as CPA stores it (trimmed, lower-cased), or null when it cannot be one. */
export function mapKey(text: string): string | null {
  const key = text.trim().toLowerCase();
  return PROVIDER_KEY.test(key) ? key : null;
}

/** Excluded-model patterns, one per line; `*` is a wildcard. Returns the clean list or the first problem. */
export function checkPatterns(text: string): { patterns: string[] } | { problem: MapProblem; line: number } {
  const patterns: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const item = (lines[i] ?? "").trim().toLowerCase();
    if (item === "") continue;
    if (!PATTERN.test(item)) return { problem: "badPattern", line: i + 1 };
    if (!patterns.includes(item)) patterns.push(item);
  }
  return { patterns };
}

/** The rules CPA would apply silently (cpa-management-api §4), shown to the user before saving instead. */
export function checkAliases(aliases: readonly ModelAlias[]): { problem: MapProblem; row: number } | null {
  const seen = new Set<string>();
  for (let i = 0; i < aliases.length; i++) {
    const a = aliases[i] as ModelAlias;
    if (a.name.trim() === "" || a.alias.trim() === "") return { problem: "emptyName", row: i + 1 };
    if (a.name.trim().toLowerCase() === a.alias.trim().toLowerCase()) return { problem: "sameAsName", row: i + 1 };
    const key = a.alias.trim().toLowerCase();
    if (seen.has(key)) return { problem: "duplicateAlias", row: i + 1 };
    seen.add(key);
  }
  return null;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
