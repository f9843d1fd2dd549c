import { describe, expect, it } from "vitest";
import { makeTranslate } from "../../i18n/translate";
import { canExecute, countByAction, formFrom, parseForm, pendingResults, progressRatio, reasonText, DEFAULT_SETTINGS } from "./logic";
import type { RunResult, RunSummary } from "./types";

const run: RunSummary = {
  id: 3, state: "finished", startedAt: 1, finishedAt: 2, error: null, settings: DEFAULT_SETTINGS,
  total: 4, done: 4, cancelling: false, counts: { keep: 2, disable: 1, enable: 0, delete: 1 },
};

function result(seq: number, action: RunResult["action"], executedAt: number | null = null): RunResult {
  return {
    seq, authIndex: `i${seq}`, name: `codex-${seq}.json`, account: "a***@example.com", plan: "plus", disabled: false,
    httpStatus: 200, usedPercent: 100, action, reasonCode: "over_threshold",
    reasonValues: { used: 100, window: "weekly", threshold: 100 }, reason: "server sentence", executedAt,
    executionError: null,
  };
}

describe("settings form", () => {
  it("round-trips the defaults", () => {
    expect(parseForm(formFrom(DEFAULT_SETTINGS))).toEqual({ settings: DEFAULT_SETTINGS });
  });

  it("names every invalid field with its sentence key", () => {
    expect(parseForm({ workers: "0", timeoutSeconds: "abc", thresholdPercent: "101", sampleSize: "2.5" })).toEqual({
      errors: {
        workers: "inspection.settings.errorWorkers",
        timeoutSeconds: "inspection.settings.errorTimeout",
        thresholdPercent: "inspection.settings.errorThreshold",
        sampleSize: "inspection.settings.errorSample",
      },
    });
    expect(parseForm({ workers: "", timeoutSeconds: "1.5", thresholdPercent: "90", sampleSize: "0" })).toEqual({
      errors: { workers: "inspection.settings.errorWorkers" },
    });
  });
});

describe("results", () => {
  it("counts pending suggestions only, and executes only the newest ended run", () => {
    const results = [result(0, "keep"), result(1, "disable"), result(2, "delete", 5), result(3, "enable")];
    expect(pendingResults(results).map((r) => r.seq)).toEqual([1, 3]);
    expect(countByAction(results)).toEqual({ keep: 1, disable: 1, enable: 1, delete: 1 });
    expect(canExecute(run, 3)).toBe(true);
    expect(canExecute(run, 4)).toBe(false);
    expect(canExecute({ ...run, state: "running" }, 3)).toBe(false);
    expect(progressRatio({ ...run, done: 1 })).toBe(0.25);
    expect(progressRatio({ ...run, total: 0, done: 0 })).toBe(0);
  });

  it("translates the reason with its values, and falls back to the server's sentence", () => {
    expect(reasonText(result(0, "disable"), makeTranslate("en"))).toBe(
      "100% of the weekly window is used, at or over the 100% threshold: disable it until the window resets.",
    );
    expect(reasonText(result(0, "disable"), makeTranslate("zh-CN"))).toBe(
      "周窗口已用 100%，达到或超过 100% 阈值：建议停用，直到窗口重置。",
    );
    expect(reasonText({ ...result(0, "keep"), reasonCode: "newer_code" }, makeTranslate("en"))).toBe("server sentence");
  });
});
