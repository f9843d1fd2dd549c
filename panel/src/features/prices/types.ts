/** A stored price, USD per 1M tokens; null cache prices are billed at the input price. */
export interface ModelPrice {
  model: string;
  input: number;
  output: number;
  cacheRead: number | null;
  cacheWrite: number | null;
  source: string;
  /** When the price last changed (unix ms; 0 when unknown). */
  updatedAt: number;
}

/** The dated price table shipped with the app; stored prices (yours or synced) override it model by model. */
export interface BuiltInPrices {
  /** The date the table was generated ("" when unknown). */
  generated: string;
  prices: ModelPrice[];
}

/** The list answer: stored prices and the shipped defaults. */
export interface PriceList {
  prices: ModelPrice[];
  defaults: BuiltInPrices;
}

/** One editable table row: the inputs keep the user's text until it is saved. */
export interface PriceDraft {
  id: string;
  model: string;
  input: string;
  output: string;
  cacheRead: string;
  cacheWrite: string;
  source: string;
}

export const PRICE_FIELDS = ["input", "output", "cacheRead", "cacheWrite"] as const;
export type PriceField = (typeof PRICE_FIELDS)[number];
export type DraftField = "model" | PriceField;

export interface PriceBody {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/** The PUT body: it replaces every stored price. */
export interface SaveBody {
  prices: Record<string, PriceBody>;
}

export interface SyncReport {
  source: string;
  imported: number;
  skipped: number;
  unmatched: string[];
}

/** A model seen in usage, with how many of its requests had no price. */
export interface SeenModel {
  model: string;
  requests: number;
  unpricedRequests: number;
}
