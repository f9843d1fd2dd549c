import type { CoverageGap } from "../../lib/coverage";
import type { AuthFile, CpaConfig } from "../../lib/cpa/status";
import type { PanelMode } from "../../lib/connection";
import { publishingEnabled, storedPlace } from "../../lib/dataWhereabouts";
import type { ServiceStatus } from "../../lib/serviceStatus";
import type { Check, CheckState, Traffic } from "./types";

/** Below this share of CPA's traffic reaching us, something else is taking records. */
const MIN_COLLECTED_SHARE = 0.5;
/** Monitoring opens on the last 24 hours (its default range); stored records older than that leave it empty
 * although nothing is wrong. */
export const MONITORING_DEFAULT_SPAN_MS = 24 * 3_600_000;

export interface ChecklistInput {
  mode: PanelMode;
  hasUsageService: boolean;
  status: ServiceStatus | null;
  statusError: string | null;
  cpa: CpaConfig | null;
  cpaError: string | null;
  /** null when CPA reports no recent per-account counts (or they are not loaded yet, see below). */
  traffic: Traffic | null;
  trafficLoading: boolean;
  trafficError: string | null;
  nowMs: number;
  /** Turns a past timestamp (ms) into "3 minutes ago". */
  ago: (timestampMs: number) => string;
  /** The coverage ledger's gaps over Monitoring's default range (the last 24 hours); null until read. */
  coverage: CoverageGap[] | null;
  coverageError: string | null;
  /** Names one gap: "Not collected: paused (6/12 10:01 – 10:10, 9 min)". */
  describeGap: (gap: CoverageGap) => string;
}

function check(id: string, state: CheckState, title: Check["title"], detail: Check["detail"], extra: Partial<Check> = {}): Check {
  return { id, state, title, detail, vars: {}, action: null, ...extra };
}

function serviceCheck({ mode, hasUsageService, status, statusError }: ChecklistInput): Check {
  const title = "diagnostics.service.title";
  const settings = { kind: "link", href: "#/settings", label: "diagnostics.action.openSettings" } as const;
  if (!hasUsageService) return check("service", "fail", title, "diagnostics.service.missing", { action: settings });
  if (!status) {
    if (!statusError) return check("service", "unknown", title, "diagnostics.common.loading");
    return check("service", "fail", title, "diagnostics.service.unreachable", { vars: { message: statusError } });
  }
  if (!status.configured) {
    return check("service", "fail", title, "diagnostics.service.notConfigured", mode === "cpa" ? { action: settings } : {});
  }
  return check("service", "ok", title, "diagnostics.service.ok", { vars: { version: status.version, events: status.events } });
}

function cpaCheck({ cpa, cpaError }: ChecklistInput): Check {
  const title = "diagnostics.cpa.title";
  if (cpa) return check("cpa", "ok", title, "diagnostics.cpa.ok", { vars: { version: cpa.version || "?" } });
  if (cpaError) return check("cpa", "fail", title, "diagnostics.cpa.unreachable", { vars: { message: cpaError } });
  return check("cpa", "unknown", title, "diagnostics.common.loading");
}

function publishingCheck(input: ChecklistInput): Check {
  const title = "diagnostics.publishing.title";
  const enabled = publishingEnabled(input);
  if (enabled === true) return check("publishing", "ok", title, "diagnostics.publishing.ok");
  if (enabled === false) {
    return check("publishing", "fail", title, "diagnostics.publishing.off", { action: { kind: "enablePublishing" } });
  }
  return check("publishing", "unknown", title, "diagnostics.publishing.unknown");
}

function collectorCheck({ status, ago }: ChecklistInput): Check {
  const title = "diagnostics.collector.title";
  if (!status) return check("collector", "unknown", title, "diagnostics.common.needsService");
  const c = status.collector;
  switch (c.state) {
    case "running":
      return check("collector", "ok", title, "diagnostics.collector.running", { vars: { transport: c.transport || "?" } });
    case "paused":
      return check("collector", "warn", title, "diagnostics.collector.paused", {
        vars: { since: c.pausedSince ? ago(c.pausedSince) : "?" },
        action: { kind: "collector", action: "resume" },
      });
    case "error":
      return check("collector", "fail", title, "diagnostics.collector.error", {
        vars: { error: c.lastError || "?", retry: c.nextRetryAt ? ago(c.nextRetryAt) : "?" },
        action: { kind: "collector", action: "restart" },
      });
    case "stopped":
      return check("collector", "fail", title, "diagnostics.collector.stopped", {
        vars: { error: c.lastError || "—" },
        action: status.configured ? { kind: "collector", action: "restart" } : null,
      });
    default:
      return check("collector", "unknown", title, "diagnostics.collector.starting", { vars: { state: c.rawState } });
  }
}

function retentionCheck({ status, cpa }: ChecklistInput): Check {
  const title = "diagnostics.retention.title";
  const retention = cpa?.queueRetentionSeconds ?? status?.collector.queueRetentionSeconds ?? null;
  const pollMs = status?.collector.pollIntervalMs ?? 0;
  // The collector's own rule, as it reports it, applied to CPA's live retention (fresher than the collector's).
  const minPolls = status?.collector.minPollsPerRetention ?? 0;
  if (retention === null || pollMs <= 0 || minPolls <= 0) {
    return check("retention", "unknown", title, "diagnostics.retention.unknown");
  }
  const vars = { poll: pollMs / 1000, retention };
  if (pollMs * minPolls > retention * 1000) {
    return check("retention", "warn", title, "diagnostics.retention.tooSlow", { vars });
  }
  return check("retention", "ok", title, "diagnostics.retention.ok", { vars });
}

function arrivingCheck({ status, ago }: ChecklistInput): Check {
  const title = "diagnostics.arriving.title";
  if (!status) return check("arriving", "unknown", title, "diagnostics.common.needsService");
  if (status.collector.lastInsertedAt > 0) {
    return check("arriving", "ok", title, "diagnostics.arriving.recent", {
      vars: { ago: ago(status.collector.lastInsertedAt), events: status.events },
    });
  }
  return check("arriving", "unknown", title, "diagnostics.arriving.none", {
    vars: { since: status.startedAt ? ago(status.startedAt) : "?", events: status.events },
  });
}

function storedCheck({ status, nowMs, ago }: ChecklistInput): Check {
  const title = "diagnostics.stored.title";
  if (!status) return check("stored", "unknown", title, "diagnostics.common.needsService");
  const vars = { events: status.events, ago: ago(status.newestEventAt) };
  // The same reading as the monitoring page's empty state (lib/dataWhereabouts), for its default range.
  switch (storedPlace(status, { start: nowMs - MONITORING_DEFAULT_SPAN_MS, end: nowMs })) {
    case "none":
      return check("stored", "unknown", title, "diagnostics.stored.none");
    case "unknown":
      return check("stored", "unknown", title, "diagnostics.stored.unknown");
    case "older":
      return check("stored", "warn", title, "diagnostics.stored.older", {
        vars,
        action: { kind: "link", href: "#/monitoring?range=all", label: "diagnostics.action.showAll" },
      });
    default:
      return check("stored", "ok", title, "diagnostics.stored.recent", { vars });
  }
}

function consumerCheck(input: ChecklistInput): Check {
  const title = "diagnostics.consumer.title";
  const { traffic, status } = input;
  // Another consumer only explains a gap when publishing is on and we are collecting.
  if (publishingEnabled(input) !== true || status?.collector.state !== "running") {
    return check("consumer", "unknown", title, "diagnostics.consumer.blocked");
  }
  if (!traffic && input.trafficError) {
    return check("consumer", "unknown", title, "diagnostics.consumer.failed", { vars: { message: input.trafficError } });
  }
  if (!traffic && input.trafficLoading) return check("consumer", "unknown", title, "diagnostics.common.loading");
  if (!traffic || traffic.cpaRequests === 0) return check("consumer", "unknown", title, "diagnostics.consumer.noTraffic");
  const vars = { cpa: traffic.cpaRequests, collected: traffic.collected, minutes: traffic.windowMinutes };
  // CPA's counts include requests from before CPA Manager was running; those were never ours to miss.
  if (status.startedAt > input.nowMs - traffic.windowMinutes * 60_000) {
    return check("consumer", "unknown", title, "diagnostics.consumer.tooEarly", { vars });
  }
  if (traffic.collected === 0) return check("consumer", "fail", title, "diagnostics.consumer.none", { vars });
  if (traffic.collected < traffic.cpaRequests * MIN_COLLECTED_SHARE) {
    return check("consumer", "warn", title, "diagnostics.consumer.some", { vars });
  }
  return check("consumer", "ok", title, "diagnostics.consumer.ok", { vars });
}

/** Intervals the service was not looking in: requests CPA served then are missing, which an empty chart
 * would otherwise pass off as no traffic. */
function coverageCheck({ coverage, coverageError, describeGap }: ChecklistInput): Check {
  const title = "coverage.check.title";
  if (!coverage) {
    if (coverageError) return check("coverage", "unknown", title, "coverage.check.failed", { vars: { message: coverageError } });
    return check("coverage", "unknown", title, "diagnostics.common.loading");
  }
  if (coverage.length === 0) return check("coverage", "ok", title, "coverage.check.none");
  return check("coverage", "warn", title, "coverage.check.gaps", {
    vars: { count: coverage.length, gaps: coverage.map(describeGap).join("; ") },
  });
}

function deadLetterCheck({ status }: ChecklistInput): Check {
  const title = "diagnostics.deadLetters.title";
  if (!status) return check("deadLetters", "unknown", title, "diagnostics.common.needsService");
  if (status.deadLetters > 0) {
    return check("deadLetters", "warn", title, "diagnostics.deadLetters.some", { vars: { count: status.deadLetters } });
  }
  return check("deadLetters", "ok", title, "diagnostics.deadLetters.none");
}

/** The "why is monitoring empty?" checklist, most fundamental cause first. */
export function buildChecklist(input: ChecklistInput): Check[] {
  return [
    serviceCheck(input),
    cpaCheck(input),
    publishingCheck(input),
    collectorCheck(input),
    retentionCheck(input),
    arrivingCheck(input),
    storedCheck(input),
    coverageCheck(input),
    consumerCheck(input),
    deadLetterCheck(input),
  ];
}

/** The first failing check, else the first warning: what the page leads with. */
export function verdict(checks: readonly Check[]): Check | null {
  return checks.find((c) => c.state === "fail") ?? checks.find((c) => c.state === "warn") ?? null;
}

/** CPA's per-account recent counts cover the same span for every account; take the longest one. */
export function cpaRecentTraffic(files: readonly AuthFile[]): { windowMinutes: number; requests: number } {
  return {
    windowMinutes: files.reduce((max, f) => Math.max(max, f.recentWindowMinutes), 0),
    requests: files.reduce((sum, f) => sum + f.recentRequests, 0),
  };
}
