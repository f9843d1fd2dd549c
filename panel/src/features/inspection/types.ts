export type Action = "keep" | "disable" | "enable" | "delete";
export type RunState = "running" | "finished" | "cancelled" | "failed" | "interrupted";

export interface InspectionSettings {
  workers: number;
  timeoutSeconds: number;
  thresholdPercent: number;
  sampleSize: number;
}

export interface RunSummary {
  id: number;
  state: RunState;
  startedAt: number;
  finishedAt: number | null;
  error: string | null;
  settings: InspectionSettings;
  total: number;
  done: number;
  cancelling: boolean;
  counts: Record<Action, number>;
}

export interface RunResult {
  seq: number;
  authIndex: string;
  name: string;
  /** Masked by the server. */
  account: string;
  plan: string | null;
  disabled: boolean | null;
  httpStatus: number | null;
  usedPercent: number | null;
  action: Action;
  reasonCode: string;
  reasonValues: Record<string, string | number>;
  /** The server's English sentence, shown when the panel has no translation for the code. */
  reason: string;
  executedAt: number | null;
  executionError: string | null;
}

export interface RunDetail {
  run: RunSummary;
  results: RunResult[];
}

export interface Executed {
  seq: number;
  action: Action;
  ok: boolean;
  error: string | null;
}
