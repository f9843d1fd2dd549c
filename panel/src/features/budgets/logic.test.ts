import { describe, expect, it } from "vitest";
import { budgetTone, byPercentDescending, toBudgets } from "../../lib/budgets";
import { draftOf, newDraft, toBody } from "./logic";

const WIRE = {
  id: 3, period: "weekly", limitUsd: 20, scope: { kind: "provider", value: "claude", label: "" },
  description: "Weekly budget for provider claude", thresholds: [50, 80, 100], spendUsd: 17, percent: 85,
  crossed: [50, 80], unpriced: { requests: 2, models: ["x"], note: "2 unpriced requests are not counted in the spend" },
  periodStart: 1796943600000, periodEnd: 1797548400000,
};

describe("budgets logic", () => {
  it("reads the wire shape strictly", () => {
    expect(toBudgets({ budgets: [WIRE, { id: 4, period: "yearly", scope: { kind: "team" } }] })).toEqual([
      {
        id: 3, period: "weekly", limitUsd: 20, scope: { kind: "provider", value: "claude", label: "" },
        thresholds: [50, 80, 100], spendUsd: 17, percent: 85, crossed: [50, 80], unpricedRequests: 2,
        unpricedModels: ["x"], periodStart: 1796943600000, periodEnd: 1797548400000,
      },
      {
        id: 4, period: "daily", limitUsd: 0, scope: { kind: "overall", value: "", label: "" }, thresholds: [],
        spendUsd: 0, percent: 0, crossed: [], unpricedRequests: 0, unpricedModels: [], periodStart: 0, periodEnd: 0,
      },
    ]);
  });

  it("sends what was typed, numbers or null, so the server's sentence explains a bad value", () => {
    expect(toBody({ ...newDraft(), limit: " 12.5 ", thresholds: "50, 80 100%" })).toEqual({
      period: "daily", limitUsd: 12.5, scope: { kind: "overall", value: "" }, thresholds: [50, 80, 100],
    });
    expect(toBody({ ...newDraft(), limit: "ten", thresholds: "50, x", scopeKind: "provider", scopeValue: "codex" }))
      .toEqual({ period: "daily", limitUsd: null, scope: { kind: "provider", value: "codex" }, thresholds: [50, null] });
    expect(toBody({ ...newDraft(), limit: "5", thresholds: "" }).thresholds).toEqual([]);
  });

  it("edits from a budget's own values", () => {
    const [budget] = toBudgets({ budgets: [WIRE] });
    expect(budget && draftOf(budget)).toEqual({
      period: "weekly", limit: "20", scopeKind: "provider", scopeValue: "claude", thresholds: "50, 80, 100",
    });
  });

  it("orders by closeness to the limit and colours like the tray", () => {
    const list = toBudgets({ budgets: [{ ...WIRE, id: 1, percent: 10 }, { ...WIRE, id: 2, percent: 120 }] });
    expect(byPercentDescending(list).map((b) => b.id)).toEqual([2, 1]);
    expect([budgetTone(79.9), budgetTone(80), budgetTone(100)]).toEqual(["ok", "warning", "over"]);
  });
});
