import type { LogChunk } from "../../lib/cpa/logs";
import type { LogLevel, LogLine, LogFilters } from "./types";

/** Lines kept in the browser; older ones drop off the top. */
export const MAX_LINES = 100_000;
/** A line longer than this shows clipped, with "show all". */
export const MAX_SHOWN_CHARS = 2_000;

// [2026-08-22 14:03:11] [a1b2c3d4] [info ] [gin_logger.go:92] message
const LINE = /^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\] \[([^\]]*)\] \[\s*([A-Za-z]+)\s*\] (?:\[([^\]]*)\] )?/;
const NO_REQUEST_ID = "--------";
const MANAGEMENT = /\/v[08]\/management\b/;
// C0 controls except tab, DEL, C1 controls, and lone UTF-16 surrogates: none can be shown as they are.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSHOWABLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

function toLevel(raw: string): LogLevel | null {
  const level = raw.toLowerCase();
  if (level === "debug" || level === "trace") return "debug";
  if (level === "info") return "info";
  if (level === "warn" || level === "warning") return "warn";
  if (level === "error" || level === "fatal" || level === "panic") return "error";
  return null;
}

/** Replaces what a terminal would interpret (controls, broken surrogates) with U+FFFD. */
export function sanitizeLine(text: string): string {
  return text.replace(UNSHOWABLE, "\uFFFD");
}

/**
 * One raw line → a LogLine. A line without CPA's prefix (a stack trace, a wrapped message) continues
 * the previous one: it takes that line's level, so level filters keep or drop them together.
 */
export function parseLine(raw: string, previous: LogLine | null): LogLine {
  const text = sanitizeLine(raw);
  const match = LINE.exec(text);
  if (!match) {
    return {
      text,
      lower: text.toLowerCase(),
      time: "",
      requestId: "",
      level: previous?.level ?? "info",
      isManagement: previous?.isManagement ?? false,
    };
  }
  const requestId = match[2] ?? "";
  return {
    text,
    lower: text.toLowerCase(),
    time: match[1] ?? "",
    requestId: requestId === NO_REQUEST_ID ? "" : requestId.trim(),
    level: toLevel(match[3] ?? "") ?? "info",
    isManagement: MANAGEMENT.test(text),
  };
}

export function parseLines(raw: readonly string[], previous: LogLine | null): LogLine[] {
  const result: LogLine[] = [];
  let last = previous;
  for (const line of raw) {
    last = parseLine(line, last);
    result.push(last);
  }
  return result;
}

/**
 * The view after one read: a reset replaces everything (CPA sent a fresh tail), otherwise the new
 * lines go at the end. Only the newest MAX_LINES are kept.
 */
export function applyChunk(current: readonly LogLine[], chunk: LogChunk, cap = MAX_LINES): LogLine[] {
  const base = chunk.cursorReset ? [] : current;
  if (chunk.lines.length === 0 && !chunk.cursorReset) return current as LogLine[];
  const added = parseLines(chunk.lines, base.length > 0 ? (base[base.length - 1] ?? null) : null);
  const merged = base.length === 0 ? added : base.concat(added);
  return merged.length > cap ? merged.slice(merged.length - cap) : merged;
}

/**
 * The cursor for the next read. A reply without one (no log file yet) means the next read is a tail
 * again; so does a reset, whose tail already came with a fresh cursor.
 */
export function nextCursor(chunk: LogChunk): string | null {
  return chunk.nextCursor === "" ? null : chunk.nextCursor;
}

export function emptyFilters(): LogFilters {
  return { levels: new Set(LEVELS), text: "", hideManagement: false };
}

/** Indices of the lines that pass the filters, oldest first. */
export function filterLines(lines: readonly LogLine[], filters: LogFilters): number[] {
  const needle = filters.text.trim().toLowerCase();
  const allLevels = LEVELS.every((level) => filters.levels.has(level));
  const result: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as LogLine;
    if (filters.hideManagement && line.isManagement) continue;
    if (!allLevels && !filters.levels.has(line.level)) continue;
    if (needle !== "" && !line.lower.includes(needle)) continue;
    result.push(i);
  }
  return result;
}

export interface Segment {
  text: string;
  match: boolean;
}

/** The text split around every (case-insensitive) occurrence of the query, for highlighting. */
export function highlight(text: string, query: string): Segment[] {
  const needle = query.trim().toLowerCase();
  if (needle === "") return [{ text, match: false }];
  const lower = text.toLowerCase();
  const segments: Segment[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    if (at > from) segments.push({ text: text.slice(from, at), match: false });
    segments.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < text.length) segments.push({ text: text.slice(from), match: false });
  return segments;
}

/** What a row shows: at most MAX_SHOWN_CHARS, and whether the rest was cut. */
export function clip(text: string, max = MAX_SHOWN_CHARS): { shown: string; clipped: boolean } {
  return text.length > max ? { shown: text.slice(0, max), clipped: true } : { shown: text, clipped: false };
}

/** The filtered lines as one text file, as CPA wrote them (after sanitising). */
export function shownText(lines: readonly LogLine[], indices: readonly number[]): string {
  return indices.map((i) => (lines[i] as LogLine).text).join("\n") + (indices.length > 0 ? "\n" : "");
}

/** `#/logs?request=a1b2c3d4` → "a1b2c3d4"; anything else → "". */
export function requestFromHash(hash: string): string {
  const query = hash.split("?")[1] ?? "";
  const id = new URLSearchParams(query).get("request") ?? "";
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : "";
}

export const REFRESH_CHOICES_S: readonly number[] = [1, 2, 5, 10, 30];
