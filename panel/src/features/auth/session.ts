import { readStored, writeStored } from "../../lib/preferences";

/**
 * Where the Management Key lives between page loads: sessionStorage by default (gone when the
 * tab closes), localStorage only when the user ticks "Remember me". Neither is encrypted.
 */
const KEY_NAME = "cpa-manager:management-key";

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

export interface StoredKey {
  key: string;
  remembered: boolean;
}

export function loadStoredKey(): StoredKey | null {
  const remembered = readStored("local", KEY_NAME, isNonEmptyString);
  if (remembered) return { key: remembered, remembered: true };
  const session = readStored("session", KEY_NAME, isNonEmptyString);
  return session ? { key: session, remembered: false } : null;
}

export function storeKey(key: string, remember: boolean): void {
  writeStored("session", KEY_NAME, key);
  writeStored("local", KEY_NAME, remember ? key : null);
}

export function clearStoredKey(): void {
  writeStored("session", KEY_NAME, null);
  writeStored("local", KEY_NAME, null);
}
