import type { Credential } from "../../lib/cpa/credentials";
import { FILTERS, SORT_KEYS, type CredentialView, type Filter, type Row, type SortKey, type UsageByIndex } from "./types";

export const DEFAULT_VIEW: CredentialView = {
  q: "",
  providers: [],
  sort: "name",
  descending: false,
  filter: "all",
  highlight: "",
};

/** CPA's limit is its own; ours stops a mistaken drop of a huge file before it is read or sent. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Requests a batch keeps in flight at once: fast on a pool of thousands, gentle on CPA. */
export const BATCH_CONCURRENCY = 6;

export function parseCredentialsHash(hash: string): CredentialView {
  const index = hash.indexOf("?");
  const params = new URLSearchParams(index >= 0 ? hash.slice(index + 1) : "");
  const sort = params.get("sort") ?? "";
  const filter = params.get("filter") ?? "";
  return {
    q: params.get("q") ?? "",
    providers: (params.get("providers") ?? "").split(",").filter((p) => p !== ""),
    sort: (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : DEFAULT_VIEW.sort,
    descending: params.get("dir") === "desc",
    filter: (FILTERS as readonly string[]).includes(filter) ? (filter as Filter) : "all",
    highlight: params.get("highlight") ?? "",
  };
}

export function credentialsHash(view: CredentialView): string {
  const params = new URLSearchParams();
  if (view.q.trim() !== "") params.set("q", view.q.trim());
  if (view.providers.length > 0) params.set("providers", view.providers.join(","));
  if (view.sort !== DEFAULT_VIEW.sort) params.set("sort", view.sort);
  if (view.descending) params.set("dir", "desc");
  if (view.filter !== "all") params.set("filter", view.filter);
  if (view.highlight !== "") params.set("highlight", view.highlight);
  const text = params.toString();
  return text === "" ? "#/credentials" : `#/credentials?${text}`;
}

/** A credential needs a look: CPA reports an error, or it cannot be used right now. */
export function hasProblem(c: Credential): boolean {
  return !c.disabled && (c.status === "error" || c.unavailable || c.statusMessage !== "");
}

function matchesFilter(c: Credential, filter: Filter): boolean {
  switch (filter) {
    case "problems":
      return hasProblem(c);
    case "disabled":
      return c.disabled;
    case "cooling":
      return c.unavailable || c.nextRetryMs !== null;
    default:
      return true;
  }
}

/** Lower-cased text a search runs over, built once per list (5,000 rows filter within a frame). */
export function searchText(c: Credential): string {
  return `${c.name} ${c.label} ${c.provider} ${c.plan} ${c.note} ${c.statusMessage} ${c.authIndex}`.toLowerCase();
}

const STATUS_ORDER: Readonly<Record<string, number>> = { error: 0, pending: 1, refreshing: 2, active: 3, disabled: 4 };

function lastUsed(row: Row): number {
  const usage = row.usage;
  if (!usage) return 0;
  if (usage.lastUsedMs !== null) return usage.lastUsedMs;
  if (usage.lastHourMs !== null) return usage.lastHourMs;
  return usage.usedWithin === "day" ? 2 : usage.usedWithin === "week" ? 1 : 0;
}

function compare(a: Row, b: Row, key: SortKey): number {
  switch (key) {
    case "priority":
      return (a.credential.priority ?? 0) - (b.credential.priority ?? 0);
    case "status": {
      const sa = a.credential.unavailable ? 0.5 : (STATUS_ORDER[a.credential.status] ?? 5);
      const sb = b.credential.unavailable ? 0.5 : (STATUS_ORDER[b.credential.status] ?? 5);
      return sa - sb;
    }
    case "lastUsed":
      return lastUsed(a) - lastUsed(b);
    case "failures24h":
      return (a.usage?.day.failures ?? 0) - (b.usage?.day.failures ?? 0);
    default:
      return 0;
  }
}

function byName(a: Row, b: Row): number {
  const x = a.credential.name.toLowerCase();
  const y = b.credential.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export function joinUsage(credentials: readonly Credential[], usage: UsageByIndex | null): Row[] {
  return credentials.map((credential) => ({ credential, usage: usage?.get(credential.authIndex) ?? null }));
}

/** The rows the view shows, in its order; ties fall back to the name (always A to Z) so the order is stable. */
export function visibleRows(rows: readonly Row[], texts: readonly string[], view: CredentialView): Row[] {
  const needle = view.q.trim().toLowerCase();
  const providers = new Set(view.providers);
  const out: Row[] = [];
  rows.forEach((row, index) => {
    if (providers.size > 0 && !providers.has(row.credential.provider)) return;
    if (!matchesFilter(row.credential, view.filter)) return;
    if (needle !== "" && !(texts[index] ?? "").includes(needle)) return;
    out.push(row);
  });
  const sign = view.descending ? -1 : 1;
  return out.sort((a, b) => sign * compare(a, b, view.sort) || byName(a, b));
}

/** Providers present in the list with their counts, most common first. */
export function providerCounts(credentials: readonly Credential[]): { provider: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const c of credentials) counts.set(c.provider, (counts.get(c.provider) ?? 0) + 1);
  return [...counts].map(([provider, count]) => ({ provider, count })).sort((a, b) => b.count - a.count || a.provider.localeCompare(b.provider));
}

export function invertSelection(selected: ReadonlySet<string>, shown: readonly Row[]): Set<string> {
  const next = new Set(selected);
  for (const row of shown) {
    if (next.has(row.credential.name)) next.delete(row.credential.name);
    else next.add(row.credential.name);
  }
  return next;
}

export type UploadCheck = { ok: true; text: string } | { ok: false; reason: "tooLarge" | "notJson" | "notObject" | "notJsonName" };

/** A file is sent only if it is a .json under the size limit that parses as one JSON object. */
export function checkUpload(name: string, size: number, text: string | null): UploadCheck {
  if (!name.toLowerCase().endsWith(".json")) return { ok: false, reason: "notJsonName" };
  if (size > MAX_UPLOAD_BYTES || text === null) return { ok: false, reason: "tooLarge" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: "notJson" };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { ok: false, reason: "notObject" };
  return { ok: true, text };
}

/** Pasted JSON: one object, or a list of objects; each becomes a file named after its type and account. */
export function pastedFiles(text: string): { name: string; text: string }[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0 || items.some((i) => typeof i !== "object" || i === null || Array.isArray(i))) return null;
  return items.map((item, index) => {
    const record = item as Record<string, unknown>;
    const type = typeof record.type === "string" && record.type !== "" ? record.type : "pasted";
    const who = typeof record.email === "string" && record.email !== "" ? record.email : `${Date.now()}-${index + 1}`;
    return { name: `${type}-${who}.json`.replace(/[/\\]/g, "_"), text: JSON.stringify(item) };
  });
}

/**
 * Runs `task` over `items` with at most `limit` in flight; one failure never stops the rest. Results come
 * back in item order, and `onSettled` is called after each item (progress).
 */
export async function runLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
  onSettled: (item: T, error: unknown) => void,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++] as T;
      try {
        await task(item);
        onSettled(item, null);
      } catch (error) {
        onSettled(item, error ?? new Error("failed"));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Excluded-model patterns from an editor's text: one per line or comma, lower-cased, de-duplicated. */
export function parsePatterns(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[\n,]/)) {
    const item = raw.trim().toLowerCase();
    if (item !== "" && !out.includes(item)) out.push(item);
  }
  return out;
}

/** "Name: value" lines into a header map; returns the 1-based numbers of lines that are not headers. */
export function parseHeaders(text: string): { headers: Record<string, string>; badLines: number[] } {
  const headers: Record<string, string> = {};
  const badLines: number[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon).trim() : "";
    if (name === "" || /\s/.test(name)) badLines.push(index + 1);
    else headers[name] = line.slice(colon + 1).trim();
  });
  return { headers, badLines };
}

export function headersText(headers: Readonly<Record<string, string>>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join("\n");
}
