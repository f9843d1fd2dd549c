import type { MessageKey } from "../i18n/en";
import { http, type RequestOptions } from "./http";
import { asRecord, boolOrNull, num, numOrNull, str, strList } from "./wire";

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
  /** When the last non-empty pop happened (ms, 0 = never since start). */
  lastConsumedAt: number;
  totalPopped: number;
  pausedSince: number;
  pollIntervalMs: number;
  /** The collector's rule: poll at least this often per retention window (0 = not reported). */
  minPollsPerRetention: number;
  /** CPA's queue retention as the collector last read it; null when unknown. */
  queueRetentionSeconds: number | null;
}

export interface ServiceStatus {
  version: string;
  configured: boolean;
  events: number;
  /** Event times (ms) of the oldest and newest stored events; 0 when nothing is stored. */
  oldestEventAt: number;
  newestEventAt: number;
  deadLetters: number;
  dbSizeBytes: number;
  startedAt: number;
  /** Where CPA Manager keeps its files (shown under Settings). */
  paths: { config: string; data: string; database: string; logs: string; portable: boolean };
  collector: CollectorStatus;
  warnings: string[];
  /** Where the service keeps CPA's Management Key; "unknown" from a service that does not say. */
  keyStore: KeyStore;
  /** The OS credential store's name (e.g. "Windows Credential Manager") when keyStore is "credential-store". */
  keyStoreName: string;
}

export type KeyStore = "credential-store" | "database" | "environment" | "none" | "unknown";
const KEY_STORES: readonly KeyStore[] = ["credential-store", "database", "environment", "none"];

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
  // `collector` is the Go Usage Service's key and ours; CPA Manager 0.1 also sent it as `state`.
  const rawState = str(c.collector) || str(c.state);
  const paths = asRecord(body.paths);
  // Older CPA Manager versions also repeated the warnings inside `collector`.
  const warnings = [...strList(body.warnings), ...strList(c.warnings)];
  return {
    version: str(body.version),
    configured: body.configured === true,
    events: num(body.events),
    oldestEventAt: num(body.oldestEventAt),
    newestEventAt: num(body.newestEventAt),
    deadLetters: num(body.deadLetters),
    dbSizeBytes: num(body.dbSizeBytes),
    keyStore: KEY_STORES.find((kind) => kind === body.keyStore) ?? "unknown",
    keyStoreName: str(body.keyStoreName),
    startedAt: num(body.startedAt),
    paths: {
      config: str(paths.config),
      data: str(paths.data),
      database: str(paths.database),
      logs: str(paths.logs),
      portable: paths.portable === true,
    },
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
      lastConsumedAt: num(c.lastConsumedAt),
      totalPopped: num(c.totalPopped),
      pausedSince: num(c.pausedSince),
      pollIntervalMs: num(c.pollIntervalMs),
      minPollsPerRetention: num(c.minPollsPerRetention),
      queueRetentionSeconds: numOrNull(c.queueRetentionSeconds),
    },
    warnings: [...new Set(warnings)],
  };
}

export function fetchServiceStatus(options: RequestOptions = {}): Promise<ServiceStatus> {
  return http.get("/status", options).then(toServiceStatus);
}

/** The public /usage-service/info answer: who the service is and whether it has a CPA to collect from. */
export interface ServiceInfo {
  service: string;
  version: string;
  configured: boolean;
}

/** Ids a compatible usage service answers with: ours, and the Go service's two names. */
const USAGE_SERVICE_IDS = ["cpa-manager", "cpa-usage-service"];

export function isUsageService(info: ServiceInfo): boolean {
  return USAGE_SERVICE_IDS.includes(info.service);
}

export function toServiceInfo(wire: unknown): ServiceInfo {
  const body = asRecord(wire);
  return { service: str(body.service), version: str(body.version), configured: body.configured === true };
}

/** Public (no key). `base` asks a service other than the connected one. */
export function fetchServiceInfo(base?: string): Promise<ServiceInfo> {
  const options: RequestOptions = { anonymous: true };
  if (base !== undefined) options.base = base;
  return http.get("/usage-service/info", options).then(toServiceInfo);
}

export type CollectorAction = "pause" | "resume" | "restart";

/** The same actions as the tray menu: the server runs one service function for both. */
export function controlCollector(action: CollectorAction): Promise<void> {
  return http.post(`/collector/${action}`, {}).then(() => undefined);
}
