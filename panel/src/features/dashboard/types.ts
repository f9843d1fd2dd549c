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
