import { request } from "../../lib/http";
import { toBudget, type Budget } from "../../lib/budgets";
import { asRecord, num, str, list } from "../../lib/wire";
import type { BudgetBody, ScopeOption, ScopeOptions } from "./types";

function toOptions(wire: unknown): ScopeOption[] {
  return list(wire)
    .map((item) => {
      const o = asRecord(item);
      return { key: str(o.key), label: str(o.label), requests: num(o.requests) };
    })
    .filter((option) => option.key !== "");
}

export function toScopeOptions(wire: unknown): ScopeOptions {
  const dimensions = asRecord(asRecord(wire).dimensions);
  return { providers: toOptions(dimensions.provider), apiKeys: toOptions(dimensions.apiKey) };
}

export const budgetsApi = {
  create: (body: BudgetBody): Promise<Budget> =>
    request("POST", "/budgets", { body }).then((wire) => toBudget(asRecord(wire).budget)),
  update: (id: number, body: BudgetBody): Promise<Budget> =>
    request("PUT", `/budgets/${id}`, { body }).then((wire) => toBudget(asRecord(wire).budget)),
  remove: (id: number): Promise<void> => request("DELETE", `/budgets/${id}`).then(() => undefined),
  /** Providers and API keys in the whole stored history: the server accepts exactly these as scopes. */
  scopeOptions: (): Promise<ScopeOptions> => request("GET", "/v0/management/analytics/options").then(toScopeOptions),
};
