import type { MessageKey } from "../../i18n/en";
import type { ExportChoice, ExportFormat, ExportRange, ImportKind, ImportPreview } from "./types";

const DAY_MS = 86_400_000;
export const IMPORT_EXTENSIONS = [".jsonl", ".ndjson", ".json"] as const;
export const IMPORT_ACCEPT = IMPORT_EXTENSIONS.join(",");
export const MAX_SHOWN_ERRORS = 10;

export const RANGE_LABELS: Record<ExportRange, MessageKey> = {
  all: "data.export.rangeAll",
  "30d": "data.export.range30d",
  custom: "data.export.rangeCustom",
};

export const FORMAT_LABELS: Record<ExportFormat, MessageKey> = {
  jsonl: "data.export.formatJsonl",
  csv: "data.export.formatCsv",
};

export const KIND_LABELS: Record<ImportKind, MessageKey> = {
  jsonl: "data.import.kindJsonl",
  json: "data.import.kindJson",
  empty: "data.import.kindEmpty",
  unknown: "data.import.kindUnknown",
};

/** "2026-11-25" → local midnight in ms; null for anything that is not a real date. */
export function localDateMs(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return date.getTime();
}

export type ExportQueryResult = { ok: true; query: string } | { ok: false; error: MessageKey };

/** The export query string: format, and start/end in unix ms (custom end dates include the whole day). */
export function exportQuery(choice: ExportChoice, nowMs: number): ExportQueryResult {
  const params = new URLSearchParams({ format: choice.format });
  if (choice.range === "30d") {
    params.set("start", String(nowMs - 30 * DAY_MS));
    params.set("end", String(nowMs));
  } else if (choice.range === "custom") {
    const start = localDateMs(choice.startDate);
    const endDay = localDateMs(choice.endDate);
    if (start === null || endDay === null) return { ok: false, error: "data.export.datesRequired" };
    // The day after the end date, at local midnight (DST-safe: built from the calendar, not +24 h).
    const next = new Date(endDay);
    next.setDate(next.getDate() + 1);
    if (start >= next.getTime()) return { ok: false, error: "data.export.datesOrder" };
    params.set("start", String(start));
    params.set("end", String(next.getTime()));
  }
  return { ok: true, query: params.toString() };
}

export function exportPath(query: string): string {
  return `/v0/management/usage/export?${query}`;
}

/** The file name from Content-Disposition (RFC 6266 filename* first), without any path; else cpa-usage.<fmt>. */
export function filenameFromDisposition(header: string | null, format: ExportFormat): string {
  const fallback = `cpa-usage.${format}`;
  if (!header) return fallback;
  let name: string | null = null;
  const star = /filename\*\s*=\s*(?:[\w-]+)?'[^']*'([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      name = decodeURIComponent(star[1].trim().replace(/^"|"$/g, ""));
    } catch {
      name = null;
    }
  }
  if (name === null) {
    const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;\s]+)/i.exec(header);
    if (plain) name = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, "$1") : (plain[1] ?? null);
  }
  const base = (name ?? "").split(/[\\/]/).pop()?.trim() ?? "";
  return base === "" || base === "." || base === ".." ? fallback : base;
}

export function hasImportExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return IMPORT_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

export function contentTypeFor(name: string): string {
  return name.toLowerCase().endsWith(".json") ? "application/json" : "application/x-ndjson";
}

export function countLines(text: string): number {
  return text.split(/\r?\n/).filter((line) => line.trim() !== "").length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A legacy CPA usage snapshot keeps per-API data under "apis" or "usage.apis". */
export function isLegacySnapshot(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (isRecord(value.apis)) return true;
  return isRecord(value.usage) && isRecord(value.usage.apis);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * What the file looks like, before it is sent. A .jsonl/.ndjson file, or text with several lines that
 * is not one JSON document, is JSONL; text that parses as a whole is a JSON document. The server
 * decides for real; this is only the preview.
 */
export function previewImport(name: string, size: number, text: string): ImportPreview {
  const base = { name, size, lines: 0, legacySnapshot: false, unexpectedExtension: !hasImportExtension(name) };
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") return { ...base, kind: "empty" };
  const lower = name.toLowerCase();
  const lines = countLines(trimmed);
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return { ...base, kind: "jsonl", lines };
  const first = trimmed[0];
  if (first !== "{" && first !== "[") return { ...base, kind: "unknown", lines };
  const whole = parseJson(trimmed);
  if (whole.ok) return { ...base, kind: "json", lines, legacySnapshot: isLegacySnapshot(whole.value) };
  return first === "{" && lines > 1 ? { ...base, kind: "jsonl", lines } : { ...base, kind: "unknown", lines };
}
