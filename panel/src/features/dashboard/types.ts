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

export interface TimeRange {
  start: number;
  end: number;
}

export interface UsageSummary {
  requests: number;
  successes: number;
  failures: number;
  successRate: number | null;
  tokens: { input: number; output: number; total: number };
  costUsd: number;
  unpricedRequests: number;
}

export interface TimeseriesPoint {
  t: number;
  requests: number;
}
