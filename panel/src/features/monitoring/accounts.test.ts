import { describe, expect, it } from "vitest";
import type { AuthFile } from "../../lib/cpa/status";
import { accountNames, labelAccountRows, labelEventAccounts, maskAccountName } from "./accounts";
import type { BreakdownRow, UsageEvent } from "./types";

function file(authIndex: string, label: string): AuthFile {
  return { authIndex, name: `${label}.json`, label, provider: "codex", disabled: false, recentRequests: 0, recentWindowMinutes: 0 };
}

function row(key: string, label: string): BreakdownRow {
  return { key, label, requests: 1, failureRate: 0, tokens: 1, costUsd: 0, unpricedRequests: 0, latencyAvg: null, pricing: [] };
}

const files = [file("3f9c1a7be2d04c55", "alice@example.com"), file("b07e45c1d9a2f318", "alicia@example.com")];

describe("maskAccountName", () => {
  it("keeps three letters of an e-mail's name and its domain", () => {
    expect(maskAccountName("alice@example.com")).toBe("ali***@example.com");
    expect(maskAccountName("my-gcp-project")).toBe("my-gcp-project");
  });
});

describe("labelAccountRows", () => {
  it("masks by default and tells apart accounts that mask alike", () => {
    const rows = [row("3f9c1a7be2d04c55", "ali***@example.com"), row("b07e45c1d9a2f318", "ali***@example.com")];
    expect(labelAccountRows(rows, accountNames(files, false)).map((r) => r.label)).toEqual([
      "ali***@example.com · 3f9c1a",
      "ali***@example.com · b07e45",
    ]);
  });

  it("shows CPA's full names when revealed, without suffixes once they differ", () => {
    const rows = [row("3f9c1a7be2d04c55", "ali***@example.com"), row("b07e45c1d9a2f318", "ali***@example.com")];
    expect(labelAccountRows(rows, accountNames(files, true)).map((r) => r.label)).toEqual([
      "alice@example.com",
      "alicia@example.com",
    ]);
  });

  it("keeps the service's label for accounts CPA does not list", () => {
    const rows = [row("0000000000000001", "sk-a…9f3c"), row("", "(no account)")];
    expect(labelAccountRows(rows, accountNames(files, true)).map((r) => r.label)).toEqual(["sk-a…9f3c", "(no account)"]);
  });
});

describe("labelEventAccounts", () => {
  it("names each event's account the same way", () => {
    const event = (account: string): UsageEvent => ({
      id: 1,
      timestamp: "",
      model: "m",
      provider: "codex",
      account,
      accountLabel: "ali***@example.com",
      failed: false,
      statusCode: 200,
      tokens: 1,
      latencyMs: null,
      costUsd: null,
      pricing: null,
      requestId: "",
    });
    const named = labelEventAccounts([event("3f9c1a7be2d04c55"), event("3f9c1a7be2d04c55")], accountNames(files, true));
    expect(named.map((e) => e.accountLabel)).toEqual(["alice@example.com", "alice@example.com"]);
  });
});
