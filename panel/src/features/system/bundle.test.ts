import { describe, expect, it } from "vitest";
import { buildBundle, Redactor, REDACTED, type BundleInputs } from "./bundle";

const CLIENT = "sk-client-alpha-0001";
const GEMINI = "AIza4xWc9bwg1Bin5Nz2C7wNST-h7-fSZZ4zHxM";
const OR_KEY = "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";
const HASH = "$2a$10$3Qy1bS8fVvQd6m0m4wJ8Ee0xk1T3uHq9p3cY6e1mWk2rB4f5tG7aK";
const MANAGEMENT = "my management key";
const SHORT = "team1";

function inputs(overrides: Partial<BundleInputs> = {}): BundleInputs {
  return {
    generatedAt: "2026-12-05T22:00:00Z",
    panel: { mode: "full", origin: "http://127.0.0.1:18317", usageService: null },
    versions: { cpa: "v7.2.140", cpaBuildDate: "2026-08-22", latestCpa: "v7.2.141", cpaManager: "1.4.0" },
    os: { userAgent: "Mozilla/5.0", platform: "Linux x86_64", language: "en-US" },
    status: { version: "1.4.0", collector: { upstream: "http://127.0.0.1:8317", lastError: null } },
    cpaConfig: {
      "api-keys": [CLIENT, SHORT],
      debug: false,
      "request-retry": 3,
      "proxy-url": "http://user:hunter2@proxy.local:3128",
      "gemini-api-key": [{ "api-key": GEMINI, "base-url": "https://generativelanguage.googleapis.com", headers: { "X-Custom": "abc" } }],
      "openai-compatibility": [{ name: "x", "api-key-entries": [{ "api-key": OR_KEY }] }],
      management: { "secret-key": HASH },
      streaming: { "keepalive-seconds": 15 },
    },
    ourLog: { file: "/data/logs/cpa-manager.log", lines: [`setup ok with key ${MANAGEMENT}`, `client team1 used ${CLIENT}`, "Bearer abcdefgh12345"] },
    missing: {},
    ...overrides,
  };
}

describe("buildBundle", () => {
  it("contains no secret at all: by name, by shape, and wherever else a found one appears", () => {
    const text = buildBundle(inputs(), [MANAGEMENT]);
    for (const secret of [CLIENT, GEMINI, OR_KEY, HASH, MANAGEMENT, "hunter2", "abcdefgh12345", "abc"]) {
      expect(text).not.toContain(secret);
    }
    // The short client key is known by name in the config, so its mention in our log goes too.
    expect(text).not.toContain(`client ${SHORT} used`);
  });

  it("keeps what helps a bug report", () => {
    const bundle = JSON.parse(buildBundle(inputs(), [MANAGEMENT])) as Record<string, Record<string, unknown>>;
    expect(bundle.versions).toEqual(inputs().versions);
    expect(bundle.cpaConfig?.["request-retry"]).toBe(3);
    expect(bundle.cpaConfig?.streaming).toEqual({ "keepalive-seconds": 15 });
    expect(bundle.cpaConfig?.["proxy-url"]).toBe(`http://${REDACTED}@proxy.local:3128`);
    expect((bundle.cpaConfig?.["gemini-api-key"] as Record<string, unknown>[])[0]?.["base-url"]).toBe("https://generativelanguage.googleapis.com");
    expect(bundle.status).toEqual(inputs().status);
  });
});

describe("Redactor.text", () => {
  it("removes key-shaped values in free text", () => {
    const redactor = new Redactor();
    expect(redactor.text(`key ${GEMINI} and eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4fw`)).toBe(`key ${REDACTED} and ${REDACTED}`);
    expect(redactor.found.has(GEMINI)).toBe(true);
  });
});
