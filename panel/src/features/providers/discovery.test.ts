import { describe, expect, it } from "vitest";
import { latestReason, toHealth } from "./api";
import { modelsRequest, parseModelIds, upstreamVerdict } from "./discovery";

describe("modelsRequest", () => {
  it("sends $TOKEN$ with the auth_index when CPA knows the credential, so the key does not travel", () => {
    expect(modelsRequest("openai-compatibility", { baseUrl: "https://or.example/v1/", apiKey: "sk-secret", authIndex: "abc" })).toEqual({
      method: "GET",
      url: "https://or.example/v1/models",
      headers: { Authorization: "Bearer $TOKEN$" },
      authIndex: "abc",
    });
  });

  it("uses each provider's own list and header, and its default address", () => {
    expect(modelsRequest("gemini-api-key", { baseUrl: "", apiKey: "AIza", authIndex: null })).toEqual({
      method: "GET",
      url: "https://generativelanguage.googleapis.com/v1beta/models",
      headers: { "x-goog-api-key": "AIza" },
    });
    expect(modelsRequest("claude-api-key", { baseUrl: "", apiKey: "sk-ant", authIndex: "i" })?.headers).toEqual({
      "x-api-key": "$TOKEN$",
      "anthropic-version": "2023-06-01",
    });
    expect(modelsRequest("codex-api-key", { baseUrl: "", apiKey: "k", authIndex: null })).toBeNull();
  });
});

describe("parseModelIds and upstreamVerdict", () => {
  it("reads OpenAI, Anthropic and Google model lists", () => {
    expect(parseModelIds('{"data":[{"id":"b"},{"id":"a"},{"id":"a"}]}')).toEqual(["a", "b"]);
    expect(parseModelIds('{"models":[{"name":"models/gemini-2.5-pro"}]}')).toEqual(["gemini-2.5-pro"]);
    expect(parseModelIds("not json")).toEqual([]);
  });

  it("gives the upstream's own error words", () => {
    expect(upstreamVerdict({ status: 401, headers: {}, body: '{"error":{"message":"Incorrect API key provided"}}' })).toEqual({
      ok: false,
      status: 401,
      detail: "Incorrect API key provided",
    });
    expect(upstreamVerdict({ status: 502, headers: {}, body: "Bad gateway" }).detail).toBe("Bad gateway");
    expect(upstreamVerdict({ status: 200, headers: {}, body: "{}" }).ok).toBe(true);
  });
});

describe("toHealth", () => {
  it("joins the 24-hour breakdown by auth_index with each one's latest failure", () => {
    const health = toHealth(
      { items: [{ key: "i1", requests: 10, failures: 2 }, { key: "i2", requests: 3, failures: 0 }, { key: "", requests: 1, failures: 0 }] },
      { events: [{ account: "i1", timestamp: "2026-12-05T10:00:00Z", statusCode: 429 }, { account: "i1", timestamp: "2026-12-05T09:00:00Z", statusCode: 500 }] },
    );
    expect([...health]).toEqual([
      ["i1", { requests: 10, failures: 2, lastError: { at: "2026-12-05T10:00:00Z", status: 429 } }],
      ["i2", { requests: 3, failures: 0, lastError: null }],
    ]);
  });
});

describe("latestReason", () => {
  it("picks the reason seen last, not the most frequent", () => {
    const report = { byReason: [{ reason: "rate_limit_error", count: 9, lastSeen: 100 }, { reason: "invalid_api_key", count: 1, lastSeen: 200 }] };
    expect(latestReason(report)).toBe("invalid_api_key");
    expect(latestReason({ byReason: [] })).toBeNull();
  });
});
