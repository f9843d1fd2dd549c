/**
 * Every field the Visual tab edits, one row each: where it lives in the flat layout (v6–v7) and in
 * the v8 tree (cpa-v8.md §5.2), its type and its limits. Pure data and pure checks, so both layouts
 * are tested here without a browser.
 *
 * Where the spec names no v8 home (quota-exceeded switches, streaming, nonstream-keepalive-interval,
 * payload) the key stays at the root of a v8 file under its legacy name, as CPA's v0 setters keep it
 * (cpa-v8.md §2 item 9; inferred, marked `v8Inferred`).
 */
export type Path = readonly string[];

export const SECTIONS = [
  "server",
  "remote",
  "logging",
  "proxy",
  "retries",
  "quota",
  "routing",
  "streaming",
  "usage",
  "payload",
] as const;
export type SectionId = (typeof SECTIONS)[number];

export const STRATEGIES = ["round-robin", "weighted-round-robin", "fill-first"] as const;

interface Common {
  section: SectionId;
  flat: Path;
  v8: Path;
  /** True where the v8 path is our inference, not read in CPA (see the module comment). */
  v8Inferred?: boolean;
}
export type FieldDef = Common &
  (
    | { kind: "bool" }
    | { kind: "int"; min: number; max?: number; placeholder?: string }
    | { kind: "string"; placeholder?: string }
    | { kind: "duration"; placeholder?: string }
    | { kind: "enum"; options: readonly string[]; fallback: string }
    | { kind: "yaml" }
  );

const same = (...path: string[]): Pick<Common, "flat" | "v8" | "v8Inferred"> => ({ flat: path, v8: path, v8Inferred: true });

export const FIELDS = {
  host: { section: "server", kind: "string", flat: ["host"], v8: ["server", "host"], placeholder: "0.0.0.0" },
  port: { section: "server", kind: "int", min: 1, max: 65535, flat: ["port"], v8: ["server", "port"], placeholder: "8317" },
  tlsEnable: { section: "server", kind: "bool", flat: ["tls", "enable"], v8: ["server", "tls", "enable"] },
  tlsCert: { section: "server", kind: "string", flat: ["tls", "cert"], v8: ["server", "tls", "cert"] },
  tlsKey: { section: "server", kind: "string", flat: ["tls", "key"], v8: ["server", "tls", "key"] },
  allowRemote: {
    section: "remote",
    kind: "bool",
    flat: ["remote-management", "allow-remote"],
    v8: ["management", "allow-remote"],
  },
  disableControlPanel: {
    section: "remote",
    kind: "bool",
    flat: ["remote-management", "disable-control-panel"],
    v8: ["management", "disable-control-panel"],
  },
  debug: { section: "logging", kind: "bool", flat: ["debug"], v8: ["observability", "logs", "debug"] },
  loggingToFile: {
    section: "logging",
    kind: "bool",
    flat: ["logging-to-file"],
    v8: ["observability", "logs", "logging-to-file"],
  },
  logsMaxTotalSizeMb: {
    section: "logging",
    kind: "int",
    min: 0,
    placeholder: "0",
    flat: ["logs-max-total-size-mb"],
    v8: ["observability", "logs", "logs-max-total-size-mb"],
  },
  errorLogsMaxFiles: {
    section: "logging",
    kind: "int",
    min: 0,
    placeholder: "10",
    flat: ["error-logs-max-files"],
    v8: ["observability", "logs", "error-logs-max-files"],
  },
  requestLog: { section: "logging", kind: "bool", flat: ["request-log"], v8: ["observability", "logs", "request-log"] },
  proxyUrl: {
    section: "proxy",
    kind: "string",
    placeholder: "socks5://127.0.0.1:1080",
    flat: ["proxy-url"],
    v8: ["requests", "proxy-url"],
  },
  requestRetry: {
    section: "retries",
    kind: "int",
    min: 0,
    placeholder: "0",
    flat: ["request-retry"],
    v8: ["routing", "retry", "request-retry"],
  },
  maxRetryCredentials: {
    section: "retries",
    kind: "int",
    min: 0,
    placeholder: "0",
    flat: ["max-retry-credentials"],
    v8: ["routing", "retry", "max-retry-credentials"],
  },
  maxRetryInterval: {
    section: "retries",
    kind: "int",
    min: 0,
    placeholder: "0",
    flat: ["max-retry-interval"],
    v8: ["routing", "retry", "max-retry-interval"],
  },
  switchProject: { section: "quota", kind: "bool", ...same("quota-exceeded", "switch-project") },
  switchPreviewModel: { section: "quota", kind: "bool", ...same("quota-exceeded", "switch-preview-model") },
  strategy: {
    section: "routing",
    kind: "enum",
    options: STRATEGIES,
    fallback: "round-robin",
    flat: ["routing", "strategy"],
    v8: ["routing", "strategy"],
  },
  sessionAffinity: {
    section: "routing",
    kind: "bool",
    flat: ["routing", "session-affinity"],
    v8: ["routing", "session-affinity"],
    v8Inferred: true,
  },
  sessionAffinityTtl: {
    section: "routing",
    kind: "duration",
    placeholder: "1h",
    flat: ["routing", "session-affinity-ttl"],
    v8: ["routing", "session-affinity-ttl"],
    v8Inferred: true,
  },
  keepaliveSeconds: { section: "streaming", kind: "int", min: 0, ...same("streaming", "keepalive-seconds") },
  bootstrapRetries: { section: "streaming", kind: "int", min: 0, ...same("streaming", "bootstrap-retries") },
  nonstreamKeepaliveInterval: { section: "streaming", kind: "int", min: 0, ...same("nonstream-keepalive-interval") },
  usageStatisticsEnabled: {
    section: "usage",
    kind: "bool",
    flat: ["usage-statistics-enabled"],
    v8: ["observability", "usage", "usage-statistics-enabled"],
  },
  queueRetentionSeconds: {
    section: "usage",
    kind: "int",
    min: 1,
    max: 3600,
    placeholder: "60",
    flat: ["redis-usage-queue-retention-seconds"],
    v8: ["observability", "usage", "redis-usage-queue-retention-seconds"],
  },
  payload: { section: "payload", kind: "yaml", ...same("payload") },
} as const satisfies Record<string, FieldDef>;

export type FieldId = keyof typeof FIELDS;
export const FIELD_IDS = Object.keys(FIELDS) as FieldId[];

export function fieldDef(id: FieldId): FieldDef {
  return FIELDS[id];
}

export type Layout = "flat" | "v8";

export function pathOf(id: FieldId, layout: Layout): Path {
  const def = fieldDef(id);
  return layout === "v8" ? def.v8 : def.flat;
}

/**
 * What the form holds for a field: text for numbers, strings and YAML (so a half-typed value is kept
 * as typed), a boolean for switches. "" means "not set in the file" (CPA's default applies).
 */
export type Draft = string | boolean;

/** Why a draft cannot be saved; null when it can. */
export type FieldProblem =
  | { kind: "notInteger" }
  | { kind: "tooSmall"; min: number }
  | { kind: "tooLarge"; max: number }
  | { kind: "notDuration" }
  | { kind: "notOption" };

const INTEGER = /^-?\d+$/;
// Go's time.ParseDuration: one or more number+unit pairs ("90s", "1h30m", "1.5h").
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

export function checkDraft(id: FieldId, draft: Draft): FieldProblem | null {
  const def = fieldDef(id);
  if (typeof draft === "boolean" || draft.trim() === "") return null;
  const text = draft.trim();
  switch (def.kind) {
    case "int": {
      if (!INTEGER.test(text)) return { kind: "notInteger" };
      const value = Number(text);
      if (value < def.min) return { kind: "tooSmall", min: def.min };
      if (def.max !== undefined && value > def.max) return { kind: "tooLarge", max: def.max };
      return null;
    }
    case "duration":
      return DURATION.test(text) ? null : { kind: "notDuration" };
    case "enum":
      return def.options.includes(text) ? null : { kind: "notOption" };
    default:
      return null;
  }
}

/** The typed value a valid, non-empty draft stands for (YAML drafts are handled by the caller). */
export function valueOfDraft(id: FieldId, draft: Draft): boolean | number | string {
  const def = fieldDef(id);
  if (typeof draft === "boolean") return draft;
  return def.kind === "int" ? Number(draft.trim()) : draft.trim();
}

/** A value read from the file as the form shows it; anything of the wrong type is shown as text. */
export function draftOfValue(id: FieldId, value: unknown): Draft {
  const def = fieldDef(id);
  if (def.kind === "bool") return value === true;
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : String(value);
}
