import { describe, expect, it } from "vitest";
import { checkAliases, checkPatterns, loginTimeoutMs, mapKey, newNames } from "./logic";

describe("oauth logic", () => {
  it("finds the credential a login saved", () => {
    expect(newNames(["a.json", "b.json"], ["a.json", "b.json", "codex-x.json"])).toEqual(["codex-x.json"]);
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
