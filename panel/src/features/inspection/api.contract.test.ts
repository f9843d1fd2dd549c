// The inspection converters on answers captured from the real server (see tests/test_panel_contract_inspection.py).
import { describe, expect, it } from "vitest";
import executeFixture from "../../lib/fixtures/inspection-execute.json";
import runFixture from "../../lib/fixtures/inspection-run.json";
import runsFixture from "../../lib/fixtures/inspection-runs.json";
import { toDetail, toExecuted, toRun } from "./api";

describe("inspection converters on the server's answers", () => {
  it("reads a run with its settings, progress, counts and results", () => {
    const detail = toDetail(runFixture);
    expect(detail.run).toMatchObject({
      id: runFixture.run.id,
      state: "finished",
      settings: { workers: 4, timeoutSeconds: 15, thresholdPercent: 100, sampleSize: 0 },
      total: 3,
      done: 3,
      counts: { keep: 2, disable: 1, enable: 0, delete: 0 },
    });
    expect(detail.results.map((r) => [r.name, r.account, r.action, r.reasonCode, r.httpStatus, r.usedPercent])).toEqual(
      runFixture.results.map((r) => [r.name, r.account, r.action, r.reason_code, r.http_status, r.used_percent]),
    );
    const executed = detail.results.find((r) => r.action === "disable");
    expect(executed?.executedAt).toBeGreaterThan(0);
    expect(executed?.reasonValues).toEqual({ threshold: 100, used: 100, window: "weekly" });
  });

  it("reads the list of runs and the execution report", () => {
    const runs = (runsFixture.runs as unknown[]).map(toRun);
    expect(runs.map((r) => r.id)).toEqual(runsFixture.runs.map((r) => r.id));
    expect(toExecuted(executeFixture)).toEqual([{ seq: 1, action: "disable", ok: true, error: null }]);
  });
});
