export const EXPORT_RANGES = ["all", "30d", "custom"] as const;
export type ExportRange = (typeof EXPORT_RANGES)[number];

export const EXPORT_FORMATS = ["jsonl", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportChoice {
  range: ExportRange;
  format: ExportFormat;
  /** "YYYY-MM-DD" from a date input, local time; used by the custom range only. */
  startDate: string;
  endDate: string;
}

/** What the panel could tell about a file before sending it. */
export type ImportKind = "jsonl" | "json" | "empty" | "unknown";

export interface ImportPreview {
  name: string;
  size: number;
  kind: ImportKind;
  /** Non-empty lines, for JSONL. */
  lines: number;
  /** A JSON document that looks like a legacy CPA usage snapshot (usage.apis or apis). */
  legacySnapshot: boolean;
  /** The name does not end in .jsonl, .ndjson or .json. */
  unexpectedExtension: boolean;
}

export interface ImportLineError {
  line: number;
  error: string;
}

export interface ImportReport {
  format: string;
  added: number;
  skipped: number;
  total: number;
  failed: number;
  unsupported: number;
  warnings: string[];
  errors: ImportLineError[];
}
