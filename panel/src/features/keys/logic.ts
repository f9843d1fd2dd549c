/**
 * Client API keys: generating, masking, validating, and the read-modify-write of CPA's list. CPA's
 * PUT replaces the whole list, so a save fetches the current list first and refuses when it is not
 * the list this page loaded (someone else changed it); the user then reloads and re-applies.
 */

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const GENERATED_PREFIX = "sk-";
export const GENERATED_LENGTH = 48;
export const MAX_NAME_LENGTH = 128;

/**
 * "sk-" + 48 base62 characters (about 285 bits) from the platform CSPRNG. Bytes of 248 and above are
 * thrown away, so every character is equally likely (248 = 4 × 62).
 */
export function generateKey(fill: (bytes: Uint8Array) => void = (bytes) => crypto.getRandomValues(bytes)): string {
  let out = GENERATED_PREFIX;
  const bytes = new Uint8Array(64);
  while (out.length < GENERATED_PREFIX.length + GENERATED_LENGTH) {
    fill(bytes);
    for (const byte of bytes) {
      if (byte >= 248) continue;
      out += BASE62[byte % 62];
      if (out.length === GENERATED_PREFIX.length + GENERATED_LENGTH) break;
    }
  }
  return out;
}

/** "sk-abc…wxyz": enough to tell keys apart, not enough to use one. */
export function maskKey(key: string): string {
  if (key.length <= 8) return "•".repeat(Math.max(key.length, 4));
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

export type KeyProblem = "empty" | "spaces" | "duplicate";

/** Why a key cannot be saved, or null. `others` are the list's other keys. */
export function keyProblem(key: string, others: readonly string[]): KeyProblem | null {
  if (key === "") return "empty";
  // CPA stores keys untrimmed, and a client never sends the spaces: such a key could never match.
  if (key.trim() !== key || /\s/.test(key)) return "spaces";
  if (others.includes(key)) return "duplicate";
  return null;
}

export type NameProblem = "tooLong" | "containsKey";

/** CPA v8 refuses names over 128 characters and names that contain the key itself. */
export function nameProblem(name: string, key: string): NameProblem | null {
  if ([...name].length > MAX_NAME_LENGTH) return "tooLong";
  if (key !== "" && name.includes(key)) return "containsKey";
  return null;
}

export type KeyChange =
  | { kind: "add"; key: string }
  | { kind: "edit"; index: number; from: string; to: string }
  | { kind: "delete"; index: number; key: string };

export type KeyWrite = { ok: true; keys: string[] } | { ok: false; reason: "changed" | "missing" | "duplicate" };

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

/** Where the changed key now sits: its old slot if it is still there, else its first copy. */
function locate(keys: readonly string[], index: number, key: string): number {
  return keys[index] === key ? index : keys.indexOf(key);
}

/** Applies one change to `current` (CPA's list as just fetched). */
export function applyKeyChange(current: readonly string[], change: KeyChange): KeyWrite {
  const keys = [...current];
  if (change.kind === "add") {
    if (keys.includes(change.key)) return { ok: false, reason: "duplicate" };
    return { ok: true, keys: [...keys, change.key] };
  }
  const at = locate(keys, change.index, change.kind === "edit" ? change.from : change.key);
  if (at < 0) return { ok: false, reason: "missing" };
  if (change.kind === "delete") {
    keys.splice(at, 1);
    return { ok: true, keys };
  }
  if (change.to !== change.from && keys.includes(change.to)) return { ok: false, reason: "duplicate" };
  keys[at] = change.to;
  return { ok: true, keys };
}

/**
 * The save rule: the change is applied only when CPA's list is still the one the page showed.
 * `reapply` (after the user chose "reload and re-apply") applies it to whatever CPA has now.
 */
export function planKeyWrite(current: readonly string[], loaded: readonly string[], change: KeyChange, reapply: boolean): KeyWrite {
  if (!reapply && !sameList(current, loaded)) return { ok: false, reason: "changed" };
  return applyKeyChange(current, change);
}

/** Indexes of keys that appear more than once (CPA keeps duplicates; the page marks them). */
export function duplicateIndexes(keys: readonly string[]): Set<number> {
  const seen = new Map<string, number>();
  for (const key of keys) seen.set(key, (seen.get(key) ?? 0) + 1);
  return new Set(keys.flatMap((key, i) => ((seen.get(key) ?? 0) > 1 ? [i] : [])));
}
