import type { AuthFile } from "../../lib/cpa/status";
import type { UsageEvent } from "./types";

/**
 * Readable account names. The usage service only stores a masked copy of each record's source, and
 * different accounts can mask alike; CPA's /auth-files knows each auth_index's real name. Names are
 * masked unless the user reveals them, and names that still collide get a short auth_index suffix.
 */

const EMAIL = /^([^@\s]+)@([^@\s]+)$/;

/** "alice@example.com" → "ali***@example.com" (the service masks its stored labels the same way). */
export function maskAccountName(name: string): string {
  const match = EMAIL.exec(name);
  if (!match) return name;
  const [, local = "", domain = ""] = match;
  return `${local.slice(0, 3)}***@${domain}`;
}

export type AccountNames = ReadonlyMap<string, string>;

export function accountNames(files: readonly AuthFile[], reveal: boolean): AccountNames {
  return new Map(files.map((file) => [file.authIndex, reveal ? file.label : maskAccountName(file.label)]));
}

/** The name to show for one account: CPA's, else the service's stored (masked) label, else the index. */
export function accountName(authIndex: string, storedLabel: string, names: AccountNames): string {
  return names.get(authIndex) || storedLabel || authIndex;
}

/** Appends "· 3f9c1a" to every name that more than one account shares. */
export function disambiguate<T>(items: readonly T[], keyOf: (item: T) => string, nameOf: (item: T) => string): Map<string, string> {
  const keysByName = new Map<string, Set<string>>();
  for (const item of items) {
    const name = nameOf(item);
    const keys = keysByName.get(name) ?? new Set<string>();
    keys.add(keyOf(item));
    keysByName.set(name, keys);
  }
  const out = new Map<string, string>();
  for (const item of items) {
    const name = nameOf(item);
    const key = keyOf(item);
    const shared = (keysByName.get(name)?.size ?? 0) > 1;
    out.set(key, shared && key ? `${name} · ${key.slice(0, 6)}` : name);
  }
  return out;
}

export function labelAccountRows<T extends { key: string; label: string }>(rows: readonly T[], names: AccountNames): T[] {
  const labels = disambiguate(rows, (row) => row.key, (row) => accountName(row.key, row.label, names));
  return rows.map((row) => ({ ...row, label: labels.get(row.key) ?? row.label }));
}

export function labelEventAccounts(events: readonly UsageEvent[], names: AccountNames): UsageEvent[] {
  const labels = disambiguate(events, (e) => e.account, (e) => accountName(e.account, e.accountLabel, names));
  return events.map((e) => ({ ...e, accountLabel: labels.get(e.account) ?? e.accountLabel }));
}
