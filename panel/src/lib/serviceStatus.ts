import type { MessageKey } from "../i18n/en";
import { http } from "./http";
import { asRecord, boolOrNull, num, str, strList } from "./wire";

/** The service status (/status) that the shell polls and every page reads. */

export type CollectorState = "running" | "starting" | "paused" | "stopped" | "error" | "unknown";

export interface CollectorStatus {
  state: CollectorState;
  /** The raw state string, kept for display when it is one this panel does not know. */
  rawState: string;
  transport: string;
  upstream: string;
  lastInsertedAt: number;
  totalInserted: number;
  lastError: string;
  lastErrorAt: number;
  nextRetryAt: number;
  /** null until the collector has asked CPA. */
  usageStatisticsEnabled: boolean | null;
}

export interface ServiceStatus {
  version: string;
  configured: boolean;
  events: number;
  collector: CollectorStatus;
  warnings: string[];
}

const KNOWN_STATES: readonly CollectorState[] = ["running", "starting", "paused", "stopped", "error"];

export function toCollectorState(raw: string): CollectorState {
  return (KNOWN_STATES as readonly string[]).includes(raw) ? (raw as CollectorState) : "unknown";
}

export const STATE_LABELS: Record<CollectorState, MessageKey> = {
  running: "dashboard.state.running",
  starting: "dashboard.state.starting",
  paused: "dashboard.state.paused",
  stopped: "dashboard.state.stopped",
  error: "dashboard.state.error",
  unknown: "dashboard.state.unknown",
};

export type Tone = "good" | "neutral" | "warning" | "bad";

export function stateTone(state: CollectorState): Tone {
  switch (state) {
    case "running":
      return "good";
    case "starting":
    case "paused":
      return "warning";
    case "error":
      return "bad";
    default:
      return "neutral";
  }
}

/** The browser's IANA time zone, or UTC when the runtime cannot tell. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function toServiceStatus(wire: unknown): ServiceStatus {
  const body = asRecord(wire);
  const c = asRecord(body.collector);
  const rawState = str(c.state);
  const warnings = [...strList(body.warnings), ...strList(c.warnings)];
  return {
    version: str(body.version),
    configured: body.configured === true,
    events: num(body.events),
    collector: {
      state: toCollectorState(rawState),
      rawState,
      transport: str(c.transport),
      upstream: str(c.upstream),
      lastInsertedAt: num(c.lastInsertedAt),
      totalInserted: num(c.totalInserted),
      lastError: str(c.lastError),
      lastErrorAt: num(c.lastErrorAt),
      nextRetryAt: num(c.nextRetryAt),
      usageStatisticsEnabled: boolOrNull(c.usageStatisticsEnabled),
    },
    warnings: [...new Set(warnings)],
  };
}

export function fetchServiceStatus(): Promise<ServiceStatus> {
  return http.get("/status").then(toServiceStatus);
}
