import type { MessageKey } from "../../i18n/en";
import {
  PRICE_FIELDS,
  type DraftField,
  type ModelPrice,
  type PriceBody,
  type PriceDraft,
  type PriceField,
  type SaveBody,
  type SeenModel,
} from "./types";

export const MODEL_NAME_MAX = 200;

export const FIELD_LABELS: Record<PriceField, MessageKey> = {
  input: "prices.table.input",
  output: "prices.table.output",
  cacheRead: "prices.table.cacheRead",
  cacheWrite: "prices.table.cacheWrite",
};

/** A number as the text an input shows: plain digits, no exponent for ordinary prices. */
export function priceText(value: number | null): string {
  return value === null ? "" : String(value);
}

export function toDraft(id: string, price: ModelPrice): PriceDraft {
  return {
    id,
    model: price.model,
    input: priceText(price.input),
    output: priceText(price.output),
    cacheRead: priceText(price.cacheRead),
    cacheWrite: priceText(price.cacheWrite),
    source: price.source,
  };
}

/** Stored prices as table rows, sorted by model name; ids are "saved-<n>". */
export function toDrafts(prices: readonly ModelPrice[]): PriceDraft[] {
  return [...prices]
    .sort((a, b) => a.model.localeCompare(b.model))
    .map((price, index) => toDraft(`saved-${index}`, price));
}

export function newDraft(id: string, model = ""): PriceDraft {
  return { id, model, input: "", output: "", cacheRead: "", cacheWrite: "", source: "" };
}

/** "" → null (cache fields: same as input); a non-negative finite number → it; anything else → undefined. */
export function parsePrice(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  if (!/^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

export type DraftErrors = Record<string, Partial<Record<DraftField, MessageKey>>>;

/** Field errors per row id; an empty object means the table can be saved. */
export function validateDrafts(drafts: readonly PriceDraft[]): DraftErrors {
  const errors: DraftErrors = {};
  const counts = new Map<string, number>();
  for (const draft of drafts) {
    const name = draft.model.trim();
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  for (const draft of drafts) {
    const rowErrors: Partial<Record<DraftField, MessageKey>> = {};
    const name = draft.model.trim();
    if (name === "") rowErrors.model = "prices.error.nameRequired";
    else if (name.length > MODEL_NAME_MAX) rowErrors.model = "prices.error.nameTooLong";
    else if ((counts.get(name) ?? 0) > 1) rowErrors.model = "prices.error.duplicate";
    for (const field of PRICE_FIELDS) {
      const value = parsePrice(draft[field]);
      if (value === undefined) rowErrors[field] = "prices.error.notNumber";
      else if (value === null && (field === "input" || field === "output")) rowErrors[field] = "prices.error.required";
    }
    if (Object.keys(rowErrors).length > 0) errors[draft.id] = rowErrors;
  }
  return errors;
}

export function hasErrors(errors: DraftErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** The PUT body for valid drafts: trimmed names, numbers, empty cache prices left out. Keys sorted. */
export function buildSaveBody(drafts: readonly PriceDraft[]): SaveBody {
  const prices: Record<string, PriceBody> = {};
  const sorted = [...drafts].sort((a, b) => a.model.trim().localeCompare(b.model.trim()));
  for (const draft of sorted) {
    const body: PriceBody = { input: parsePrice(draft.input) ?? 0, output: parsePrice(draft.output) ?? 0 };
    const cacheRead = parsePrice(draft.cacheRead);
    const cacheWrite = parsePrice(draft.cacheWrite);
    if (typeof cacheRead === "number") body.cacheRead = cacheRead;
    if (typeof cacheWrite === "number") body.cacheWrite = cacheWrite;
    prices[draft.model.trim()] = body;
  }
  return { prices };
}

/** Whether the table differs from what the server holds (compared as the bodies they would save). */
export function isDirty(drafts: readonly PriceDraft[], saved: readonly ModelPrice[]): boolean {
  if (drafts.length !== saved.length) return true;
  if (hasErrors(validateDrafts(drafts))) return true;
  return JSON.stringify(buildSaveBody(drafts)) !== JSON.stringify(buildSaveBody(toDrafts(saved)));
}

/** Models with unpriced requests that the table does not list yet, most requests first. */
export function unpricedModels(seen: readonly SeenModel[], drafts: readonly PriceDraft[]): SeenModel[] {
  const listed = new Set(drafts.map((d) => d.model.trim()));
  return seen
    .filter((m) => m.model.trim() !== "" && m.unpricedRequests > 0 && !listed.has(m.model.trim()))
    .sort((a, b) => b.unpricedRequests - a.unpricedRequests || a.model.localeCompare(b.model));
}

/** Who set a stored price; an unknown source is shown as the server wrote it. */
const SOURCE_LABELS: Record<string, MessageKey> = {
  manual: "prices.source.manual",
  litellm: "prices.source.litellm",
  default: "prices.source.default",
};

export function sourceLabelKey(source: string): MessageKey | null {
  return SOURCE_LABELS[source] ?? null;
}

/** Built-in prices no table row overrides (a row overrides by its exact model name), sorted by name. */
export function builtInNotOverridden(defaults: readonly ModelPrice[], drafts: readonly PriceDraft[]): ModelPrice[] {
  const listed = new Set(drafts.map((d) => d.model.trim()));
  return defaults.filter((p) => !listed.has(p.model)).sort((a, b) => a.model.localeCompare(b.model));
}

/** A built-in price copied into the table as a new, unsaved row. */
export function customisedDraft(id: string, price: ModelPrice): PriceDraft {
  return { ...toDraft(id, price), source: "" };
}
