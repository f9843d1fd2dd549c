import { describe, expect, it } from "vitest";
import type { Credential } from "../../lib/cpa/credentials";
import { checkAliases, checkPatterns, loginTimeoutMs, mapKey, newNames, savedBy } from "./logic";

describe("oauth logic", () => {
  it("finds the credential a login saved", () => {
    expect(newNames(["a.json", "b.json"], ["a.json", "b.json", "codex-x.json"])).toEqual(["codex-x.json"]);
  });

  it("falls back to the provider's newest file when a login rewrote an existing one", () => {
    const c = (name: string, provider: string, updatedMs: number) => ({ name, provider, updatedMs }) as Credential;
    const after = [c("codex-a.json", "codex", 5), c("codex-b.json", "codex", 9), c("claude-c.json", "claude", 20)];
    expect(savedBy("codex", ["codex-a.json", "codex-b.json", "claude-c.json"], after)).toEqual(["codex-b.json"]);
    expect(savedBy("codex", ["codex-a.json"], after)).toEqual(["codex-b.json", "claude-c.json"]);
  });

  it("takes the provider's expiry, else a default per flow", () => {
    expect(loginTimeoutMs(600, true)).toBe(600_000);
    expect(loginTimeoutMs(null, false)).toBeGreaterThan(5 * 60_000);
  });

  it("checks provider keys and patterns", () => {
    expect(mapKey(" Codex ")).toBe("codex");
    expect(mapKey("two words")).toBeNull();
    expect(checkPatterns("GPT-5*\n\ngpt-5*\nclaude-*")).toEqual({ patterns: ["gpt-5*", "claude-*"] });
    expect(checkPatterns("ok\nnot ok")).toEqual({ problem: "badPattern", line: 2 });
  });

  it("refuses what CPA would silently drop from an alias list", () => {
    expect(checkAliases([{ name: "a", alias: "b", fork: false }])).toBeNull();
    expect(checkAliases([{ name: "a", alias: "", fork: false }])).toEqual({ problem: "emptyName", row: 1 });
    expect(checkAliases([{ name: "Gpt", alias: "gpt", fork: false }])).toEqual({ problem: "sameAsName", row: 1 });
    expect(checkAliases([{ name: "a", alias: "x", fork: false }, { name: "b", alias: "X", fork: false }])).toEqual({ problem: "duplicateAlias", row: 2 });
  });
});
