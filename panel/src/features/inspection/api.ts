import { http } from "../../lib/http";
import { asRecord, num, numOrNull, str, boolOrNull, list, strOrNull } from "../../lib/wire";
import type { Action, Executed, InspectionSettings, RunDetail, RunResult, RunState, RunSummary } from "./types";

const BASE = "/inspection/runs";
const ACTIONS: readonly Action[] = ["keep", "disable", "enable", "delete"];
const STATES: readonly RunState[] = ["running", "finished", "cancelled", "failed", "interrupted"];

function toAction(value: unknown): Action {
  return ACTIONS.find((a) => a === value) ?? "keep";
}

export function toSettings(wire: unknown): InspectionSettings {
  const s = asRecord(wire);
  return {
    workers: num(s.workers, 4),
    timeoutSeconds: num(s.timeout_seconds, 15),
    thresholdPercent: num(s.threshold_percent, 100),
    sampleSize: num(s.sample_size, 0),
  };
}

export function toRun(wire: unknown): RunSummary {
  const r = asRecord(wire);
  const progress = asRecord(r.progress);
  const counts = asRecord(r.counts);
  return {
    id: num(r.id),
    state: STATES.find((s) => s === r.state) ?? "failed",
    startedAt: num(r.started_at),
    finishedAt: numOrNull(r.finished_at),
    error: strOrNull(r.error),
    settings: toSettings(r.settings),
    total: num(progress.total),
    done: num(progress.done),
    cancelling: progress.cancelling === true,
    counts: { keep: num(counts.keep), disable: num(counts.disable), enable: num(counts.enable), delete: num(counts.delete) },
  };
}

function toValues(wire: unknown): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(asRecord(wire))) {
    if (typeof value === "string" || typeof value === "number") values[key] = value;
  }
  return values;
}

export function toResult(wire: unknown): RunResult {
  const r = asRecord(wire);
  return {
    seq: num(r.seq),
    authIndex: str(r.auth_index),
    name: str(r.name),
    account: str(r.account),
    plan: strOrNull(r.plan),
    disabled: boolOrNull(r.disabled),
    httpStatus: numOrNull(r.http_status),
    usedPercent: numOrNull(r.used_percent),
    action: toAction(r.action),
    reasonCode: str(r.reason_code),
    reasonValues: toValues(r.reason_values),
    reason: str(r.reason),
    executedAt: numOrNull(r.executed_at),
    executionError: strOrNull(r.execution_error),
  };
}

export function toDetail(wire: unknown): RunDetail {
  const body = asRecord(wire);
  return { run: toRun(body.run), results: list(body.results).map(toResult) };
}

export function toExecuted(wire: unknown): Executed[] {
  return list(asRecord(wire).executed).map((item) => {
    const e = asRecord(item);
    return { seq: num(e.seq), action: toAction(e.action), ok: e.ok === true, error: strOrNull(e.error) };
  });
}

function settingsBody(s: InspectionSettings): Record<string, number> {
  return {
    workers: s.workers,
    timeout_seconds: s.timeoutSeconds,
    threshold_percent: s.thresholdPercent,
    sample_size: s.sampleSize,
  };
}

/** Our server's inspection API; a run only suggests, execute needs confirm: true (sent only after the user confirmed). */
export const inspectionApi = {
  runs: (): Promise<RunSummary[]> =>
    http.get(BASE).then((body) => {
      const runs = asRecord(body).runs;
      return list(runs).map(toRun);
    }),
  run: (id: number): Promise<RunDetail> => http.get(`${BASE}/${id}`).then(toDetail),
  start: (settings: InspectionSettings): Promise<RunSummary> =>
    http.post(BASE, settingsBody(settings)).then((body) => toRun(asRecord(body).run)),
  cancel: (id: number): Promise<RunSummary> =>
    http.post(`${BASE}/${id}/cancel`).then((body) => toRun(asRecord(body).run)),
  executeOne: (id: number, seq: number): Promise<Executed[]> =>
    http.post(`${BASE}/${id}/execute`, { seq, confirm: true }).then(toExecuted),
  executeAll: (id: number): Promise<Executed[]> =>
    http.post(`${BASE}/${id}/execute`, { all: true, confirm: true }).then(toExecuted),
};
