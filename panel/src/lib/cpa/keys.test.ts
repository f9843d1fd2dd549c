import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { labelApiKeyRows, sha256Hex } from "./keys";
import { sha256Bytes } from "./sha256";

const nodeSha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

describe("sha256Hex", () => {
  it("is the unsalted sha256 hex of the full key, as CPA's names and our usage store use", async () => {
    expect(await sha256Hex("sk-test")).toBe(nodeSha("sk-test"));
    expect(await sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("has a pure fallback for pages without crypto.subtle (plain http on a LAN address)", () => {
    for (const text of ["", "abc", "sk-" + "x".repeat(200), "名前 ✓", "a".repeat(55), "a".repeat(56), "a".repeat(64)]) {
      expect(hex(sha256Bytes(new TextEncoder().encode(text)))).toBe(nodeSha(text));
    }
  });
});

describe("labelApiKeyRows", () => {
  it("puts CPA's display name before the masked label, and leaves unnamed keys alone", () => {
    const rows = [
      { key: "h1", label: "sk-***abcd", requests: 3 },
      { key: "h2", label: "sk-***abcd", requests: 1 },
    ];
    expect(labelApiKeyRows(rows, new Map([["h1", "Team"]]))).toEqual([
      { key: "h1", label: "Team (sk-***abcd)", requests: 3 },
      { key: "h2", label: "sk-***abcd", requests: 1 },
    ]);
  });
});
