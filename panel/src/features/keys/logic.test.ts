import { describe, expect, it } from "vitest";
import { applyKeyChange, duplicateIndexes, generateKey, keyProblem, maskKey, nameProblem, planKeyWrite } from "./logic";

describe("generateKey", () => {
  it("is sk- and 48 base62 characters", () => {
    const key = generateKey();
    expect(key).toMatch(/^sk-[0-9A-Za-z]{48}$/);
    expect(generateKey()).not.toBe(key);
  });

  it("throws away bytes of 248 and above so no character is favoured", () => {
    // 248..255 would map to 0..7 a second time; they must be skipped, 61 maps to 'z'.
    let call = 0;
    const fill = (bytes: Uint8Array) => {
      bytes.fill(call++ === 0 ? 250 : 61);
    };
    expect(generateKey(fill)).toBe(`sk-${"z".repeat(48)}`);
    expect(call).toBe(2);
  });
});

describe("maskKey", () => {
  it("keeps the start and the last four characters", () => {
    expect(maskKey("sk-abcdefghijklmnop1234")).toBe("sk-…1234");
  });
  it("hides short keys completely", () => {
    expect(maskKey("abc")).toBe("••••");
    expect(maskKey("abcdefgh")).toBe("••••••••");
  });
});

describe("keyProblem and nameProblem", () => {
  it.each([
    ["", [], "empty"],
    [" sk-1", [], "spaces"],
    ["sk 1", [], "spaces"],
    ["sk-1", ["sk-1"], "duplicate"],
    ["sk-1", ["sk-2"], null],
  ] as const)("%j among %j → %s", (key, others, problem) => {
    expect(keyProblem(key, others)).toBe(problem);
  });

  it("refuses names over 128 characters and names holding the key", () => {
    expect(nameProblem("x".repeat(128), "sk-1")).toBeNull();
    expect(nameProblem("x".repeat(129), "sk-1")).toBe("tooLong");
    expect(nameProblem("team sk-secret", "sk-secret")).toBe("containsKey");
  });
});

describe("read-modify-write of the key list", () => {
  const loaded = ["a", "b", "c"];

  it("applies a change to the list the page loaded", () => {
    expect(planKeyWrite(loaded, loaded, { kind: "add", key: "d" }, false)).toEqual({ ok: true, keys: ["a", "b", "c", "d"] });
    expect(planKeyWrite(loaded, loaded, { kind: "edit", index: 1, from: "b", to: "B" }, false)).toEqual({ ok: true, keys: ["a", "B", "c"] });
    expect(planKeyWrite(loaded, loaded, { kind: "delete", index: 2, key: "c" }, false)).toEqual({ ok: true, keys: ["a", "b"] });
  });

  it("refuses when CPA's list changed since the page loaded", () => {
    expect(planKeyWrite(["a", "b", "c", "x"], loaded, { kind: "add", key: "d" }, false)).toEqual({ ok: false, reason: "changed" });
  });

  it("re-applies to the new list, keeping the other tab's change", () => {
    const current = ["x", "a", "b", "c"];
    expect(planKeyWrite(current, loaded, { kind: "delete", index: 1, key: "b" }, true)).toEqual({ ok: true, keys: ["x", "a", "c"] });
    expect(planKeyWrite(current, loaded, { kind: "edit", index: 0, from: "a", to: "A" }, true)).toEqual({ ok: true, keys: ["x", "A", "b", "c"] });
  });

  it("says so when the key to change is gone, or the new key already exists", () => {
    expect(applyKeyChange(["a"], { kind: "delete", index: 1, key: "b" })).toEqual({ ok: false, reason: "missing" });
    expect(applyKeyChange(["a", "b"], { kind: "edit", index: 0, from: "a", to: "b" })).toEqual({ ok: false, reason: "duplicate" });
    expect(applyKeyChange(["a"], { kind: "add", key: "a" })).toEqual({ ok: false, reason: "duplicate" });
  });

  it("deletes only the chosen copy of a duplicated key", () => {
    expect(applyKeyChange(["a", "b", "a"], { kind: "delete", index: 2, key: "a" })).toEqual({ ok: true, keys: ["a", "b"] });
    expect([...duplicateIndexes(["a", "b", "a"])]).toEqual([0, 2]);
  });

  it("can empty the list (CPA then reads it back as null)", () => {
    expect(applyKeyChange(["a"], { kind: "delete", index: 0, key: "a" })).toEqual({ ok: true, keys: [] });
  });
});
