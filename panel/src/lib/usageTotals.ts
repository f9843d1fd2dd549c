import { asRecord, num, numOrNull } from "./wire";

/** The totals every analytics answer carries (summary, each series point, each breakdown row). */

export interface TokenCounts {
  input: number;
  /** The part of input that was neither read from nor written to a cache. */
  uncachedInput: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
  total: number;
}

export interface UsageTotals {
  requests: number;
  successes: number;
  failures: number;
  successRate: number | null;
  tokens: TokenCounts;
  costUsd: number;
  /** Requests whose model has no price (so costUsd leaves them out). */
  unpricedRequests: number;
}

export function toTokenCounts(wire: unknown): TokenCounts {
  const tokens = asRecord(wire);
  return {
    input: num(tokens.input),
    uncachedInput: num(tokens.uncachedInput),
    output: num(tokens.output),
    reasoning: num(tokens.reasoning),
    cacheRead: num(tokens.cacheRead),
    cacheWrite: num(tokens.cacheWrite),
    total: num(tokens.total),
  };
}

export function toUsageTotals(wire: unknown): UsageTotals {
  const body = asRecord(wire);
  return {
    requests: num(body.requests),
    successes: num(body.successes),
    failures: num(body.failures),
    successRate: numOrNull(body.successRate),
    tokens: toTokenCounts(body.tokens),
    costUsd: num(body.costUsd),
    unpricedRequests: num(asRecord(body.unpriced).requests),
  };
}
