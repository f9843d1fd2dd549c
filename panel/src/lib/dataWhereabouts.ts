/**
 * Why a range shows no requests, decided once for the monitoring page's empty state and the
 * "why is monitoring empty?" checklist, from what /status (and CPA's config, when read) know.
 * An empty range with older data used to say "CPA is not publishing usage" although /status knew
 * publishing was on; now stored data outside the range is named first.
 */
import { gapsOverlapping, type CoverageGap } from "./coverage";
import type { CpaConfig } from "./cpa/status";
import type { CollectorState, ServiceStatus } from "./serviceStatus";

export interface Span {
  start: number;
  end: number;
}

/** Where the stored events lie against a window [start, end). "unknown" until /status is read (or from a
 * service too old to report its stored span). */
export type StoredPlace = "none" | "inside" | "older" | "newer" | "unknown";

export function storedPlace(status: ServiceStatus | null, window: Span): StoredPlace {
  if (!status) return "unknown";
  if (status.events === 0) return "none";
  if (status.oldestEventAt <= 0 || status.newestEventAt <= 0) return "unknown";
  if (status.newestEventAt < window.start) return "older";
  if (status.oldestEventAt >= window.end) return "newer";
  return "inside";
}

/** Whether CPA publishes usage: CPA's own config when it was read (fresher), else what the collector last
 * saw; null when neither knows. */
export function publishingEnabled(input: { cpa: CpaConfig | null; status: ServiceStatus | null }): boolean | null {
  return input.cpa?.usageStatisticsEnabled ?? input.status?.collector.usageStatisticsEnabled ?? null;
}

/** One reason a range can be empty, with what the page needs to say it. */
export type EmptyCause =
  | { kind: "filtered" }
  | { kind: "olderData"; newestAt: number }
  | { kind: "newerData"; oldestAt: number }
  | { kind: "publishing"; known: false | null }
  | { kind: "collector"; state: CollectorState | null; rawState: string }
  | { kind: "notCollected"; gaps: CoverageGap[] }
  | { kind: "noTraffic" };

export interface EmptyInput {
  status: ServiceStatus | null;
  cpa: CpaConfig | null;
  window: Span;
  filtered: boolean;
  /** The coverage ledger's gaps (those overlapping the window count). */
  gaps?: readonly CoverageGap[];
}

/**
 * The likely causes of an empty range, most telling first: intervals the coverage ledger says were not
 * collected, then stored data outside the range, which explains it by itself; publishing and the collector are listed only when they are off or not known to be fine.
 */
export function emptyRangeCauses({ status, cpa, window, filtered, gaps = [] }: EmptyInput): EmptyCause[] {
  const causes: EmptyCause[] = [];
  // Intervals the service was not looking in explain an empty stretch better than anything below.
  const missed = gapsOverlapping(gaps, window);
  if (missed.length > 0) causes.push({ kind: "notCollected", gaps: missed });
  const place = storedPlace(status, window);
  if (filtered && place !== "older" && place !== "newer") causes.push({ kind: "filtered" });
  if (status && place === "older") causes.push({ kind: "olderData", newestAt: status.newestEventAt });
  if (status && place === "newer") causes.push({ kind: "newerData", oldestAt: status.oldestEventAt });
  const publishing = publishingEnabled({ cpa, status });
  if (publishing !== true) causes.push({ kind: "publishing", known: publishing });
  const collector = status?.collector;
  if (collector?.state !== "running") {
    causes.push({ kind: "collector", state: collector?.state ?? null, rawState: collector?.rawState ?? "" });
  }
  if (causes.length === 0) causes.push({ kind: "noTraffic" });
  return causes;
}
