import type { Credential } from "../../lib/cpa/credentials";

export const SORT_KEYS = ["name", "priority", "status", "lastUsed", "failures24h"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const FILTERS = ["all", "problems", "disabled", "cooling"] as const;
export type Filter = (typeof FILTERS)[number];

/** What the page shows; kept in the URL so a view can be bookmarked or shared. */
export interface CredentialView {
  q: string;
  /** Provider chips that are on; empty means every provider. */
  providers: string[];
  sort: SortKey;
  descending: boolean;
  filter: Filter;
  /** A credential to scroll to and mark (after an OAuth login). */
  highlight: string;
}

/** Our usage service's numbers for one credential, joined by auth_index. */
export interface UsageFigures {
  requests: number;
  failures: number;
  tokens: number;
  costUsd: number;
}

export interface CredentialUsage {
  day: UsageFigures;
  week: UsageFigures;
  /** Exact time of the last request when it is among the newest events, else null. */
  lastUsedMs: number | null;
  /** Start of the last hour with a request (from the usage rollups) when the exact time is not known. */
  lastHourMs: number | null;
  /** Used within 24 h / 7 d even when the exact time is not known. */
  usedWithin: "day" | "week" | null;
}

export type UsageByIndex = ReadonlyMap<string, CredentialUsage>;

export interface Row {
  credential: Credential;
  usage: CredentialUsage | null;
}

export type BatchAction = "enable" | "disable" | "download" | "delete";

export interface BatchItemResult {
  name: string;
  ok: boolean;
  message: string;
}

export interface BatchProgress {
  action: BatchAction;
  total: number;
  done: number;
  results: BatchItemResult[];
  running: boolean;
}

export interface UploadResult {
  name: string;
  ok: boolean;
  message: string;
}
