import { describe, expect, it } from "vitest";
import { toCredentialHealth, toModelIds, toSettingsSummary } from "./overview";

describe("toSettingsSummary", () => {
  it("counts client keys and provider keys per family from CPA's runtime config", () => {
    const summary = toSettingsSummary({
      "api-keys": ["sk-a", "", "sk-b"],
      "gemini-api-key": [{ "api-key": "AIza1" }, { "api-key": "AIza2" }],
      "codex-api-key": null,
      "claude-api-key": [{ "api-key": "sk-ant" }],
      "openai-compatibility": [{ name: "x", "api-key-entries": [{ "api-key": "a" }, { "api-key": "b" }] }, { name: "y" }],
      "xai-api-key": [{ "api-key": "xai-1" }],
      debug: true,
      "logging-to-file": false,
      "request-retry": 3,
      "proxy-url": "socks5://127.0.0.1:1080",
      routing: {},
    });
    expect(summary).toEqual({
      clientKeyCount: 2,
      firstClientKey: "sk-a",
      providerKeys: { gemini: 2, codex: 0, claude: 1, openaiCompatible: 2, vertex: 0, xai: 1, interactions: 0, meta: 0 },
      debug: true,
      loggingToFile: false,
      requestRetry: 3,
      proxyUrl: "socks5://127.0.0.1:1080",
      routingStrategy: "round-robin",
    });
  });

  it("says there is no client key when CPA has none (api-keys is null when unset)", () => {
    expect(toSettingsSummary({ "api-keys": null })).toMatchObject({ clientKeyCount: 0, firstClientKey: null });
  });
});

describe("toCredentialHealth", () => {
  it("tells healthy, problem and disabled credentials apart", () => {
    const health = toCredentialHealth({
      files: [
        { status: "active", status_message: "" },
        { status: "error", status_message: "refresh failed" },
        { status: "active", unavailable: true },
        { status: "disabled", disabled: true, status_message: "disabled via management API" },
        { status: "refreshing", status_message: "quota exceeded" },
      ],
    });
    expect(health).toEqual({ total: 5, healthy: 1, problems: 3, disabled: 1 });
  });
});

describe("toModelIds", () => {
  it("reads the OpenAI-style model list", () => {
    expect(toModelIds({ object: "list", data: [{ id: "gpt-5.4" }, { id: "" }, { id: "grok-4" }] })).toEqual(["gpt-5.4", "grok-4"]);
    expect(toModelIds(null)).toEqual([]);
  });
});
