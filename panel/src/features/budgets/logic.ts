import type { Budget } from "../../lib/budgets";
import type { BudgetBody, BudgetDraft } from "./types";

export const DEFAULT_THRESHOLDS = "50, 80, 100";

export function newDraft(): BudgetDraft {
  return { period: "daily", limit: "", scopeKind: "overall", scopeValue: "", thresholds: DEFAULT_THRESHOLDS };
}

export function draftOf(budget: Budget): BudgetDraft {
  return {
    period: budget.period,
    limit: String(budget.limitUsd),
    scopeKind: budget.scope.kind,
    scopeValue: budget.scope.value,
    thresholds: budget.thresholds.join(", "),
  };
}

/** A number as typed, or null when it is not one (the server then says what it expects). */
function numberOrNull(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** The request body; nothing is checked here, so every refusal is the server's one sentence. */
export function toBody(draft: BudgetDraft): BudgetBody {
  const parts = draft.thresholds.split(/[\s,;%]+/).filter((part) => part !== "");
  return {
    period: draft.period,
    limitUsd: numberOrNull(draft.limit),
    scope: { kind: draft.scopeKind, value: draft.scopeKind === "overall" ? "" : draft.scopeValue },
    thresholds: parts.map(numberOrNull),
  };
}
