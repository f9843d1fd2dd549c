import { describe, expect, it } from "vitest";
import { toPrices, toSeenModels, toSyncReport } from "./api";
import {
  buildSaveBody,
  hasErrors,
  isDirty,
  newDraft,
  parsePrice,
  toDrafts,
  unpricedModels,
  validateDrafts,
} from "./logic";
import type { ModelPrice, PriceDraft } from "./types";

function draft(id: string, model: string, input = "1", output = "2", cacheRead = "", cacheWrite = ""): PriceDraft {
  return { id, model, input, output, cacheRead, cacheWrite, source: "" };
}

const saved: ModelPrice[] = [
  { model: "zeta", input: 1, output: 2, cacheRead: null, cacheWrite: null, source: "manual", updatedAt: 0 },
  { model: "alpha", input: 0.5, output: 1.5, cacheRead: 0.05, cacheWrite: null, source: "litellm", updatedAt: 0 },
];

describe("parsePrice", () => {
  it.each([
    ["", null],
    ["  ", null],
    ["0", 0],
    ["1.25", 1.25],
    [".5", 0.5],
    ["3.", 3],
    ["1e-2", 0.01],
    ["-1", undefined],
    ["abc", undefined],
    ["1,5", undefined],
    ["Infinity", undefined],
    ["NaN", undefined],
    ["1e999", undefined],
  ])("%j → %j", (text, expected) => {
    expect(parsePrice(text)).toBe(expected);
  });
});

describe("validateDrafts", () => {
  it("accepts a valid table, with empty cache prices", () => {
    expect(validateDrafts([draft("a", "gpt"), draft("b", "claude", "0", "0", "0.1", "")])).toEqual({});
  });

  it("requires a name of 1–200 characters", () => {
    const errors = validateDrafts([draft("a", "  "), draft("b", "x".repeat(201)), draft("c", "x".repeat(200))]);
    expect(errors).toEqual({ a: { model: "prices.error.nameRequired" }, b: { model: "prices.error.nameTooLong" } });
  });

  it("flags every copy of a duplicate name, ignoring surrounding spaces", () => {
    const errors = validateDrafts([draft("a", "gpt"), draft("b", " gpt "), draft("c", "other")]);
    expect(Object.keys(errors)).toEqual(["a", "b"]);
    expect(errors.a?.model).toBe("prices.error.duplicate");
  });

  it("requires input and output, and non-negative finite numbers everywhere", () => {
    const errors = validateDrafts([draft("a", "m", "", "-2", "x", "1e999")]);
    expect(errors.a).toEqual({
      input: "prices.error.required",
      output: "prices.error.notNumber",
      cacheRead: "prices.error.notNumber",
      cacheWrite: "prices.error.notNumber",
    });
    expect(hasErrors(errors)).toBe(true);
  });
});

describe("buildSaveBody", () => {
  it("trims names, parses numbers and leaves empty cache prices out", () => {
    expect(buildSaveBody([draft("a", " gpt-5 ", "1.25", "10", "", "0.5"), draft("b", "alpha", "0", "0", "0", "")])).toEqual({
      prices: {
        alpha: { input: 0, output: 0, cacheRead: 0 },
        "gpt-5": { input: 1.25, output: 10, cacheWrite: 0.5 },
      },
    });
  });

  it("gives an empty table as an empty price map (the PUT clears every price)", () => {
    expect(buildSaveBody([])).toEqual({ prices: {} });
  });
});

describe("drafts", () => {
  it("turns stored prices into sorted rows with empty cache fields for null", () => {
    const drafts = toDrafts(saved);
    expect(drafts.map((d) => d.model)).toEqual(["alpha", "zeta"]);
    expect(drafts[0]).toMatchObject({ input: "0.5", cacheRead: "0.05", cacheWrite: "", source: "litellm" });
    expect(buildSaveBody(drafts).prices.zeta).toEqual({ input: 1, output: 2 });
  });

  it("tracks unsaved changes", () => {
    const drafts = toDrafts(saved);
    expect(isDirty(drafts, saved)).toBe(false);
    expect(isDirty(drafts.map((d) => (d.model === "zeta" ? { ...d, input: "1.0" } : d)), saved)).toBe(false);
    expect(isDirty(drafts.map((d) => (d.model === "zeta" ? { ...d, input: "3" } : d)), saved)).toBe(true);
    expect(isDirty([...drafts, newDraft("n1")], saved)).toBe(true);
    expect(isDirty(drafts.slice(1), saved)).toBe(true);
  });
});

describe("unpricedModels", () => {
  it("lists seen models with unpriced requests that the table lacks, most requests first", () => {
    const seen = [
      { model: "a", requests: 5, unpricedRequests: 5 },
      { model: "b", requests: 9, unpricedRequests: 0 },
      { model: "c", requests: 20, unpricedRequests: 20 },
      { model: "", requests: 3, unpricedRequests: 3 },
      { model: "gpt", requests: 2, unpricedRequests: 2 },
    ];
    expect(unpricedModels(seen, [draft("x", " gpt")]).map((m) => m.model)).toEqual(["c", "a"]);
  });
});

describe("wire", () => {
  it("reads prices, sync reports and the model breakdown defensively", () => {
    expect(toPrices({ prices: { m: { input: 1, output: "x", cacheRead: null, source: "litellm" } } })).toEqual([
      { model: "m", input: 1, output: 0, cacheRead: null, cacheWrite: null, source: "litellm", updatedAt: 0 },
    ]);
    expect(toPrices(null)).toEqual([]);
    expect(toSyncReport({ source: "litellm", imported: 3, skipped: 1, unmatched: ["a", 2] })).toEqual({
      source: "litellm",
      imported: 3,
      skipped: 1,
      unmatched: ["a"],
    });
    expect(toSeenModels({ items: [{ key: "m", requests: 4, unpriced: { requests: 2 } }] })).toEqual([
      { model: "m", requests: 4, unpricedRequests: 2 },
    ]);
  });
});
