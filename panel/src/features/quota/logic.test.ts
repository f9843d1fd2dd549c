import { describe, expect, it } from "vitest";
import { toCredentialQuota, type CredentialQuota } from "../../lib/quota";
import { CARD_BASE_HEIGHT, CARD_GAP, HEADING_HEIGHT, layoutRows, sampleText, sections, sortCards, sparkPath, windowLabel, WINDOW_HEIGHT } from "./logic";

function card(authIndex: string, provider: string, label: string, snapshot: unknown, nextCheck: number | null = null): CredentialQuota {
  return toCredentialQuota({ auth_index: authIndex, provider, label, snapshot,
    schedule: { next_check: nextCheck, stopped: null, last_checked: 1, last_state: "ok", backoff_seconds: 0 } });
}
const w = (key: string, used: number, resets: number | null) => ({ key, used_percent: used, resets_at: resets, window_seconds: 18000 });
const ok = (...windows: unknown[]) => ({ at: 1, state: "ok", plan: null, windows });

const cards = [
  card("1", "codex", "zed", ok(w("five_hour", 10, 500))),
  card("2", "codex", "amy", ok(w("five_hour", 100, 300), w("weekly", 100, 900))),   // back at 900
  card("3", "codex", "bob", ok(w("five_hour", 100, 400))),                           // back at 400
  card("4", "codex", "cat", { at: 1, state: "rate_limited" }, 200),
  card("5", "codex", "dan", null),
  card("6", "codex", "eve", { at: 1, state: "expired", detail: "HTTP 401" }),
  card("7", "codex", "fay", ok(w("five_hour", 60, 100))),
  card("8", "codex", "gus", { at: 1, state: "unrecognised", detail: "{}" }),
];
const names = (list: CredentialQuota[]) => list.map((c) => c.label);

describe("sorting", () => {
  it("soonest recovery: exhausted by when they are back, rate-limited, usable by next reset, then the unknown", () => {
    expect(names(sortCards(cards, "recovery"))).toEqual(["bob", "amy", "cat", "fay", "zed", "dan", "gus", "eve"]);
  });

  it("by name and by the tightest window's use", () => {
    expect(names(sortCards(cards, "name"))).toEqual(["amy", "bob", "cat", "dan", "eve", "fay", "gus", "zed"]);
    expect(names(sortCards(cards, "used"))).toEqual(["amy", "bob", "fay", "zed", "cat", "dan", "eve", "gus"]);
  });
});

describe("sections and layout", () => {
  const mixed = [card("a", "xai", "x", null), card("b", "claude", "c", null), card("c", "newcomer", "n", null), card("d", "claude", "b", null)];

  it("a section per provider in the usual order, filtered by provider", () => {
    expect(sections(mixed, { sort: "name", providers: [] }).map((s) => [s.provider, names(s.cards)]))
      .toEqual([["claude", ["b", "c"]], ["xai", ["x"]], ["newcomer", ["n"]]]);
    expect(sections(mixed, { sort: "name", providers: ["xai"] }).map((s) => s.provider)).toEqual(["xai"]);
  });

  it("rows of cards under each heading, as tall as their tallest card", () => {
    const list = sections([...mixed, card("e", "claude", "a", ok(w("five_hour", 1, 1), w("weekly", 1, 1)))], { sort: "name", providers: ["claude"] });
    const rows = layoutRows(list, 2);
    expect(rows.map((r) => [r.kind, r.height, r.kind === "cards" ? names(r.cards) : r.count])).toEqual([
      ["heading", HEADING_HEIGHT, 3],
      ["cards", CARD_BASE_HEIGHT + 2 * WINDOW_HEIGHT + CARD_GAP, ["a", "b"]],
      ["cards", CARD_BASE_HEIGHT + WINDOW_HEIGHT + CARD_GAP, ["c"]],
    ]);
  });
});

describe("small pieces", () => {
  it("window labels", () => {
    expect(windowLabel("five_hour")).toEqual({ key: "quota.window.fiveHour", vars: {} });
    expect(windowLabel("model:gemini-2.5-pro")).toEqual({ key: "quota.window.model", vars: { name: "gemini-2.5-pro" } });
    expect(windowLabel("weekly:opus")).toEqual({ key: "quota.window.weeklyOf", vars: { name: "opus" } });
    expect(windowLabel("odd")).toEqual({ key: "quota.window.other", vars: { name: "odd" } });
  });

  it("a sparkline path breaks at gaps and clamps to 0–100", () => {
    expect(sparkPath([0, 50, null, 120, 100], 100, 20)).toBe("M0 20 L25 10 M75 0 L100 0");
    expect(sparkPath([], 100, 20)).toBe("");
  });

  it("the redacted sample is pretty-printed when it is JSON", () => {
    expect(sampleText('{"reason":"no windows","sample":"{}"}')).toBe('{\n  "reason": "no windows",\n  "sample": "{}"\n}');
    expect(sampleText("plain")).toBe("plain");
    expect(sampleText(null)).toBe("");
  });
});
