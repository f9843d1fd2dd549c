import { describe, expect, it } from "vitest";
import type { Credential } from "../../lib/cpa/credentials";
import {
  checkUpload,
  credentialsHash,
  DEFAULT_VIEW,
  invertSelection,
  MAX_UPLOAD_BYTES,
  parseCredentialsHash,
  parseHeaders,
  parsePatterns,
  pastedFiles,
  providerCounts,
  runLimited,
  searchText,
  visibleRows,
} from "./logic";
import type { CredentialUsage, Row } from "./types";

function credential(name: string, change: Partial<Credential> = {}): Credential {
  return {
    name, authIndex: `idx-${name}`, provider: "codex", label: `${name}@example.com`, email: "", plan: "", status: "active",
    statusMessage: "", disabled: false, unavailable: false, nextRetryMs: null, runtimeOnly: false, priority: null,
    weight: null, note: "", success: 0, failed: 0, updatedMs: null, quota: null, ...change,
  };
}

function usage(failures: number, lastUsedMs: number | null): CredentialUsage {
  const figures = { requests: 10, failures, tokens: 100, costUsd: 0.1 };
  return { day: figures, week: figures, lastUsedMs, lastHourMs: null, usedWithin: "day" };
}

const rows: Row[] = [
  { credential: credential("b", { provider: "claude", priority: 5 }), usage: usage(3, 2000) },
  { credential: credential("a", { disabled: true, status: "disabled" }), usage: null },
  { credential: credential("c", { unavailable: true, statusMessage: "quota exceeded", nextRetryMs: 9 }), usage: usage(0, 1000) },
  { credential: credential("d", { status: "error", statusMessage: "401 unauthorized", note: "team X" }), usage: usage(1, null) },
];
const texts = rows.map((r) => searchText(r.credential));
const names = (list: Row[]) => list.map((r) => r.credential.name);

describe("the view in the URL", () => {
  it("round-trips every setting and leaves defaults out", () => {
    const view = { q: "alice", providers: ["codex", "claude"], sort: "failures24h" as const, descending: true, filter: "problems" as const, highlight: "x.json" };
    expect(parseCredentialsHash(credentialsHash(view))).toEqual(view);
    expect(credentialsHash(DEFAULT_VIEW)).toBe("#/credentials");
  });

  it("falls back to defaults for unknown values", () => {
    expect(parseCredentialsHash("#/credentials?sort=bogus&filter=nope")).toEqual(DEFAULT_VIEW);
  });
});

describe("visibleRows", () => {
  it("sorts by name by default", () => {
    expect(names(visibleRows(rows, texts, DEFAULT_VIEW))).toEqual(["a", "b", "c", "d"]);
  });

  it("filters by search over name, account, note and message", () => {
    expect(names(visibleRows(rows, texts, { ...DEFAULT_VIEW, q: "TEAM x" }))).toEqual(["d"]);
    expect(names(visibleRows(rows, texts, { ...DEFAULT_VIEW, q: "quota" }))).toEqual(["c"]);
  });

  it("filters problems, disabled and cooling down", () => {
    expect(names(visibleRows(rows, texts, { ...DEFAULT_VIEW, filter: "problems" }))).toEqual(["c", "d"]);
    expect(names(visibleRows(rows, texts, { ...DEFAULT_VIEW, filter: "disabled" }))).toEqual(["a"]);
    expect(names(visibleRows(rows, texts, { ...DEFAULT_VIEW, filter: "cooling" }))).toEqual(["c"]);
  });

  it("filters by provider chips and sorts by failures, last used, priority and status", () => {
    expect(names(visibleRows(rows, texts, { ...DEFAULT_VIEW, providers: ["claude"] }))).toEqual(["b"]);
    expect(names(visibleRows(rows, texts, { ...DEFAULT_VIEW, sort: "failures24h", descending: true }))).toEqual(["b", "d", "a", "c"]);
    expect(names(visibleRows(rows, texts, { ...DEFAULT_VIEW, sort: "lastUsed", descending: true }))).toEqual(["b", "c", "d", "a"]);
    expect(names(visibleRows(rows, texts, { ...DEFAULT_VIEW, sort: "priority", descending: true }))[0]).toBe("b");
    expect(names(visibleRows(rows, texts, { ...DEFAULT_VIEW, sort: "status" }))).toEqual(["d", "c", "b", "a"]);
  });

  it("filters 5,000 rows quickly", () => {
    const many: Row[] = Array.from({ length: 5000 }, (_, i) => ({ credential: credential(`user${i}`), usage: null }));
    const manyTexts = many.map((r) => searchText(r.credential));
    const started = performance.now();
    const shown = visibleRows(many, manyTexts, { ...DEFAULT_VIEW, q: "user49", sort: "status" });
    expect(shown).toHaveLength(111); // user49, user490–499, user4900–4999
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe("selection and counts", () => {
  it("inverts within the shown rows only", () => {
    expect([...invertSelection(new Set(["a", "zz"]), rows.slice(0, 2))].sort()).toEqual(["b", "zz"]);
  });

  it("counts providers, most common first", () => {
    expect(providerCounts(rows.map((r) => r.credential))).toEqual([{ provider: "codex", count: 3 }, { provider: "claude", count: 1 }]);
  });
});

describe("upload checks", () => {
  it("accepts one JSON object and refuses the rest with a reason", () => {
    expect(checkUpload("a.json", 10, '{"type":"codex"}')).toEqual({ ok: true, text: '{"type":"codex"}' });
    expect(checkUpload("a.json", 10, '{"type":')).toEqual({ ok: false, reason: "notJson" });
    expect(checkUpload("a.json", 10, "[1]")).toEqual({ ok: false, reason: "notObject" });
    expect(checkUpload("a.txt", 10, "{}")).toEqual({ ok: false, reason: "notJsonName" });
    expect(checkUpload("a.json", MAX_UPLOAD_BYTES + 1, null)).toEqual({ ok: false, reason: "tooLarge" });
  });

  it("names pasted objects after their type and e-mail", () => {
    expect(pastedFiles('[{"type":"claude","email":"x@y"},{"type":"codex","email":"z@w"}]')?.map((f) => f.name)).toEqual([
      "claude-x@y.json",
      "codex-z@w.json",
    ]);
    expect(pastedFiles("[1, 2]")).toBeNull();
    expect(pastedFiles("not json")).toBeNull();
  });
});

describe("runLimited", () => {
  it("keeps at most the limit in flight and goes on after a failure", async () => {
    let inFlight = 0;
    let peak = 0;
    const settled: [number, boolean][] = [];
    await runLimited(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (i) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        if (i === 7) throw new Error("boom");
      },
      (i, error) => settled.push([i, error === null]),
    );
    expect(peak).toBe(3);
    expect(settled).toHaveLength(20);
    expect(settled.filter(([, ok]) => !ok)).toEqual([[7, false]]);
  });
});

describe("editor text", () => {
  it("parses patterns and headers", () => {
    expect(parsePatterns("GPT-5*\n gpt-5* , claude-*\n\n")).toEqual(["gpt-5*", "claude-*"]);
    expect(parseHeaders("X-A: 1\nbad line\n\nX-B:two: parts")).toEqual({ headers: { "X-A": "1", "X-B": "two: parts" }, badLines: [2] });
  });
});
