import type { MessageKey } from "../../i18n/en";
import { cardState, recoveryMs, tightestWindow, type CardState, type CredentialQuota } from "../../lib/quota";

export const SORT_KEYS = ["recovery", "name", "used"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface QuotaView {
  sort: SortKey;
  /** Providers shown; empty means all. */
  providers: string[];
}

/** Providers in the order their sections appear; others follow alphabetically. */
const PROVIDER_ORDER = ["claude", "codex", "gemini-cli", "antigravity", "kimi", "xai"];
export const MAX_WINDOWS_SHOWN = 4;

export function displayName(c: CredentialQuota): string {
  return c.label || c.authIndex;
}

/**
 * "Soonest recovery": credentials waiting for quota come first, the one that comes back soonest on top
 * (exhausted by when every full window resets, rate-limited by their next check), then usable ones by
 * their next reset, then those we know nothing useful about. Ties go by name.
 */
const RECOVERY_RANK: Record<CardState, number> = {
  exhausted: 0, rateLimited: 1, low: 2, ok: 2, unchecked: 3, failed: 4, unrecognised: 5, rejected: 6,
};

function recoveryKey(c: CredentialQuota): [number, number] {
  const state = cardState(c);
  let at: number | null = null;
  if (state === "exhausted") at = recoveryMs(c);
  else if (state === "rateLimited") at = c.nextCheckMs;
  else if (state === "ok" || state === "low") {
    const resets = (c.reading?.windows ?? []).map((w) => w.resetsAtMs).filter((v): v is number => v !== null);
    at = resets.length ? Math.min(...resets) : null;
  }
  return [RECOVERY_RANK[state], at ?? Number.POSITIVE_INFINITY];
}

function byName(a: CredentialQuota, b: CredentialQuota): number {
  return displayName(a).localeCompare(displayName(b)) || a.authIndex.localeCompare(b.authIndex);
}

/** Most used first: the tightest window's used %; credentials without windows last. */
function usedKey(c: CredentialQuota): number {
  return tightestWindow(c)?.usedPercent ?? -1;
}

export function sortCards(cards: readonly CredentialQuota[], sort: SortKey): CredentialQuota[] {
  const out = [...cards];
  if (sort === "name") return out.sort(byName);
  if (sort === "used") return out.sort((a, b) => usedKey(b) - usedKey(a) || byName(a, b));
  const keys = new Map(out.map((c) => [c.authIndex, recoveryKey(c)]));
  return out.sort((a, b) => {
    const [ra, ta] = keys.get(a.authIndex) as [number, number];
    const [rb, tb] = keys.get(b.authIndex) as [number, number];
    return ra - rb || (ta === tb ? 0 : ta < tb ? -1 : 1) || byName(a, b);
  });
}

function providerRank(provider: string): number {
  const i = PROVIDER_ORDER.indexOf(provider);
  return i === -1 ? PROVIDER_ORDER.length : i;
}

export function providerCounts(cards: readonly CredentialQuota[]): { provider: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const c of cards) counts.set(c.provider, (counts.get(c.provider) ?? 0) + 1);
  return [...counts].map(([provider, count]) => ({ provider, count }))
    .sort((a, b) => providerRank(a.provider) - providerRank(b.provider) || a.provider.localeCompare(b.provider));
}

export interface Section {
  provider: string;
  cards: CredentialQuota[];
}

/** One section per provider (in PROVIDER_ORDER), each sorted; filtered to the chosen providers. */
export function sections(cards: readonly CredentialQuota[], view: QuotaView): Section[] {
  const wanted = view.providers.length ? new Set(view.providers) : null;
  const groups = new Map<string, CredentialQuota[]>();
  for (const c of cards) {
    if (wanted && !wanted.has(c.provider)) continue;
    const list = groups.get(c.provider) ?? [];
    list.push(c);
    groups.set(c.provider, list);
  }
  return [...groups]
    .sort(([a], [b]) => providerRank(a) - providerRank(b) || a.localeCompare(b))
    .map(([provider, list]) => ({ provider, cards: sortCards(list, view.sort) }));
}

/**
 * What the virtual list draws: a provider heading, or a row of up to `columns` cards. `height` is only the
 * first estimate: the grid measures each row as drawn (text wraps differently per width and language).
 */
export type LayoutRow =
  | { kind: "heading"; key: string; provider: string; count: number; height: number }
  | { kind: "cards"; key: string; cards: CredentialQuota[]; height: number };

export const HEADING_HEIGHT = 48;
export const CARD_BASE_HEIGHT = 178;
export const WINDOW_HEIGHT = 64;
export const CARD_GAP = 12;

export function cardHeight(c: CredentialQuota): number {
  const windows = Math.min(c.reading?.windows.length ?? 0, MAX_WINDOWS_SHOWN);
  return CARD_BASE_HEIGHT + Math.max(windows, 1) * WINDOW_HEIGHT;
}

export function layoutRows(list: readonly Section[], columns: number): LayoutRow[] {
  const perRow = Math.max(1, columns);
  const rows: LayoutRow[] = [];
  for (const section of list) {
    rows.push({ kind: "heading", key: `h:${section.provider}`, provider: section.provider, count: section.cards.length, height: HEADING_HEIGHT });
    for (let i = 0; i < section.cards.length; i += perRow) {
      const cards = section.cards.slice(i, i + perRow);
      rows.push({ kind: "cards", key: `c:${section.provider}:${i}`, cards, height: Math.max(...cards.map(cardHeight)) + CARD_GAP });
    }
  }
  return rows;
}

const WINDOW_KEYS: Record<string, MessageKey> = {
  five_hour: "quota.window.fiveHour",
  weekly: "quota.window.weekly",
  daily: "quota.window.daily",
  monthly_spend: "quota.window.monthlySpend",
};

/** A window's label: a known key's message, else the model or qualifier after the colon. */
export function windowLabel(key: string): { key: MessageKey; vars: Record<string, string> } {
  const known = WINDOW_KEYS[key];
  if (known) return { key: known, vars: {} };
  const [head, ...rest] = key.split(":");
  const detail = rest.join(":");
  if (head === "model" && detail) return { key: "quota.window.model", vars: { name: detail } };
  if (head === "weekly" && detail) return { key: "quota.window.weeklyOf", vars: { name: detail } };
  return { key: "quota.window.other", vars: { name: key } };
}

/** The SVG path of a sparkline: values 0–100 over `width`×`height`; gaps (null) break the line. */
export function sparkPath(values: readonly (number | null)[], width: number, height: number): string {
  if (values.length === 0) return "";
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const parts: string[] = [];
  let drawing = false;
  values.forEach((value, i) => {
    if (value === null) {
      drawing = false;
      return;
    }
    const x = Math.round(i * step * 10) / 10;
    const y = Math.round((height - (Math.min(100, Math.max(0, value)) / 100) * height) * 10) / 10;
    parts.push(`${drawing ? "L" : "M"}${x} ${y}`);
    drawing = true;
  });
  return parts.join(" ");
}

/** The redacted sample of an unrecognised answer, pretty-printed when it is JSON. */
export function sampleText(detail: string | null): string {
  if (!detail) return "";
  try {
    return JSON.stringify(JSON.parse(detail), null, 2);
  } catch {
    return detail;
  }
}
