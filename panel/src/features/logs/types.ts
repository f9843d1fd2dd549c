export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LogLine {
  /** The line as shown: sanitised, never clipped (clipping happens when it is drawn). */
  text: string;
  /** Lower-cased once, so a filter over 100,000 lines does no case folding. */
  lower: string;
  /** "YYYY-MM-DD HH:MM:SS" in CPA's local time; "" for a continuation line. */
  time: string;
  /** CPA's 8-hex request id; "" when the line has none. */
  requestId: string;
  level: LogLevel;
  /** Management API traffic (/v0/management, /v8/management): "hide management traffic" drops it. */
  isManagement: boolean;
}

export interface LogFilters {
  levels: ReadonlySet<LogLevel>;
  text: string;
  hideManagement: boolean;
}
