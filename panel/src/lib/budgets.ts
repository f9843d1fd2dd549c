/**
 * Budgets as the usage service reports them (GET /budgets): shared by the budgets page and the dashboard's
 * budgets card, which must not import each other. Wire shapes become strict types here.
 */
import type { MessageKey } from "../i18n/en";
import type { Translate } from "../i18n/translate";
import { formatMoney, formatPercent } from "./format";
import { http } from "./http";
import { asRecord, num, str, strList } from "./wire";

export type BudgetPeriod = "daily" | "weekly" | "monthly";
export type BudgetScopeKind = "overall" | "provider" | "apiKey";

export const BUDGET_PERIODS: readonly BudgetPeriod[] = ["daily", "weekly", "monthly"];
export const BUDGET_SCOPE_KINDS: readonly BudgetScopeKind[] = ["overall", "provider", "apiKey"];

export interface BudgetScope {
  kind: BudgetScopeKind;
  /** A provider name, or an API key's sha256 hex; "" for overall. */
  value: string;
  /** An API key's masked label. */
  label: string;
}

export interface Budget {
  id: number;
  period: BudgetPeriod;
  limitUsd: number;
  scope: BudgetScope;
  thresholds: number[];
  spendUsd: number;
  /** Spend in percent of the limit (may pass 100). */
  percent: number;
  /** Thresholds already announced in this period. */
  crossed: number[];
  unpricedRequests: number;
  unpricedModels: string[];
  periodStart: number;
  periodEnd: number;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((item): item is number => typeof item === "number") : [];
}

export function toBudget(wire: unknown): Budget {
  const b = asRecord(wire);
  const scope = asRecord(b.scope);
  const unpriced = asRecord(b.unpriced);
  return {
    id: num(b.id),
    period: oneOf(b.period, BUDGET_PERIODS, "daily"),
    limitUsd: num(b.limitUsd),
    scope: { kind: oneOf(scope.kind, BUDGET_SCOPE_KINDS, "overall"), value: str(scope.value), label: str(scope.label) },
    thresholds: numbers(b.thresholds),
    spendUsd: num(b.spendUsd),
    percent: num(b.percent),
    crossed: numbers(b.crossed),
    unpricedRequests: num(unpriced.requests),
    unpricedModels: strList(unpriced.models),
    periodStart: num(b.periodStart),
    periodEnd: num(b.periodEnd),
  };
}

export function toBudgets(wire: unknown): Budget[] {
  const list = asRecord(wire).budgets;
  return Array.isArray(list) ? list.map(toBudget) : [];
}

/** The budget closest to its limit first. */
export function byPercentDescending(budgets: readonly Budget[]): Budget[] {
  return [...budgets].sort((a, b) => b.percent - a.percent || a.id - b.id);
}

/** How loud a budget's bar is: the tray's rule (80 % warns, 100 % alerts). */
export function budgetTone(percent: number): "ok" | "warning" | "over" {
  if (percent >= 100) return "over";
  if (percent >= 80) return "warning";
  return "ok";
}

const PERIOD_KEYS: Record<BudgetPeriod, MessageKey> = {
  daily: "budgets.period.daily",
  weekly: "budgets.period.weekly",
  monthly: "budgets.period.monthly",
};

export function periodName(period: BudgetPeriod, t: Translate): string {
  return t(PERIOD_KEYS[period]);
}

export function scopeName(scope: BudgetScope, t: Translate): string {
  if (scope.kind === "provider") return t("budgets.scope.provider", { name: scope.value });
  if (scope.kind === "apiKey") return t("budgets.scope.apiKey", { name: scope.label || scope.value.slice(0, 12) });
  return t("budgets.scope.overall");
}

/** "Daily budget · Provider claude": the name a budget goes by on every surface. */
export function budgetName(budget: Budget, t: Translate): string {
  return t("budgets.name.full", { period: periodName(budget.period, t), scope: scopeName(budget.scope, t) });
}

/** "$8.00 of $10.00 (80 %)": spend against the limit, beside a budget's name and as its bar's value text. */
export function budgetSpent(budget: Budget, t: Translate, locale: string): string {
  return t("budgets.list.spent", {
    spent: formatMoney(budget.spendUsd, locale),
    limit: formatMoney(budget.limitUsd, locale),
    percent: formatPercent(budget.percent / 100, locale),
  });
}

export const budgetsListApi = {
  list: (): Promise<Budget[]> => http.get("/budgets").then(toBudgets),
};
