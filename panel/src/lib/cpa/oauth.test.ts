import { describe, expect, it } from "vitest";
import { oauthProviders, toLoginStart, toLoginStatus } from "./oauth";

describe("oauth", () => {
  it("offers the v8 providers only on v8", () => {
    expect(oauthProviders(false).map((p) => p.id)).toEqual(["codex", "claude", "antigravity", "xai", "kimi"]);
    expect(oauthProviders(true).map((p) => p.id)).toEqual(["codex", "claude", "antigravity", "xai", "kimi", "kimi-ai", "devin", "meta"]);
  });

  it("reads browser and device starts", () => {
    expect(toLoginStart({ state: "s", status: "ok", url: "https://u" })).toEqual({ state: "s", url: "https://u", flow: "browser", userCode: null, expiresInS: null });
    expect(toLoginStart({ flow: "device", state: "xai-1", url: "https://d", user_code: "AB-12", expires_in: 1800 })).toEqual({
      state: "xai-1", url: "https://d", flow: "device", userCode: "AB-12", expiresInS: 1800,
    });
  });

  it("reads the three statuses, keeping CPA's error sentence", () => {
    expect(toLoginStatus({ status: "wait" })).toEqual({ status: "wait" });
    expect(toLoginStatus({ status: "ok" })).toEqual({ status: "ok" });
    expect(toLoginStatus({ status: "error", error: "unknown or expired state" })).toEqual({ status: "error", message: "unknown or expired state" });
  });
});
