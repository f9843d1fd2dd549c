import type { BudgetPeriod, BudgetScopeKind } from "../../lib/budgets";

/** The form as typed: numbers stay text so the server can refuse them in its own words. */
export interface BudgetDraft {
  period: BudgetPeriod;
  limit: string;
  scopeKind: BudgetScopeKind;
  scopeValue: string;
  thresholds: string;
}

export interface BudgetBody {
  period: BudgetPeriod;
  limitUsd: number | null;
  scope: { kind: BudgetScopeKind; value: string };
  thresholds: (number | null)[];
}

export interface ScopeOption {
  key: string;
  label: string;
  requests: number;
}

export interface ScopeOptions {
  providers: ScopeOption[];
  apiKeys: ScopeOption[];
}
