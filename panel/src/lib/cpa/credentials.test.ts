import { describe, expect, it } from "vitest";
import { credentialRoutes, toCredential, toCredentialFields, toCredentials } from "./credentials";

describe("toCredential", () => {
  it("reads CPA's list entry into strict fields", () => {
    const entry = {
      auth_index: "0123456789abcdef", name: "codex-a.json", type: "codex", provider: "codex", label: "a@x", email: "a@x",
      status: "error", status_message: "401", disabled: false, unavailable: true, next_retry_after: "2026-12-05T10:00:00Z",
      id_token: { plan_type: "plus" }, priority: 2, note: "n", success: 5, failed: 1, modtime: "2026-12-05T09:00:00Z",
    };
    expect(toCredential(entry)).toEqual({
      name: "codex-a.json", authIndex: "0123456789abcdef", provider: "codex", label: "a@x", email: "a@x", plan: "plus",
      status: "error", statusMessage: "401", disabled: false, unavailable: true, nextRetryMs: Date.parse("2026-12-05T10:00:00Z"),
      runtimeOnly: false, priority: 2, weight: null, note: "n", success: 5, failed: 1, updatedMs: Date.parse("2026-12-05T09:00:00Z"), quota: null,
    });
  });

  it("reads v8 quota signals, sorted, and null when there are none", () => {
    const quota = { observed_at: "2026-12-05T09:00:00Z", signals: { "x-codex-secondary-used-percent": "12", "retry-after": "30", bad: 1 } };
    expect(toCredential({ name: "a.json", quota }).quota).toEqual({
      observedMs: Date.parse("2026-12-05T09:00:00Z"),
      signals: [["retry-after", "30"], ["x-codex-secondary-used-percent", "12"]],
    });
    expect(toCredential({ name: "a.json", quota: { signals: {} } }).quota).toBeNull();
  });

  it("drops nameless entries and survives a wrong shape", () => {
    expect(toCredentials({ files: [{ name: "" }, { name: "x.json" }] }).map((c) => c.name)).toEqual(["x.json"]);
    expect(toCredentials({ files: "nope" })).toEqual([]);
  });
});

describe("toCredentialFields", () => {
  it("reads legacy spellings too", () => {
    expect(toCredentialFields({ "proxy-url": "http://p", "excluded-models": ["a"], headers: { A: "1", B: 2 }, websockets: true })).toEqual({
      prefix: "", proxyUrl: "http://p", headers: { A: "1" }, priority: null, weight: null, note: "", websockets: true, excludedModels: ["a"],
    });
  });
});

describe("credentialRoutes", () => {
  it("uses /credentials on v8 and /auth-files before", () => {
    expect(credentialRoutes(true)).toEqual({ tree: "v8", base: "/credentials" });
    expect(credentialRoutes(false)).toEqual({ tree: "v0", base: "/auth-files" });
  });
});
