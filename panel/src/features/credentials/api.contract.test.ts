import { describe, expect, it } from "vitest";
// Captured from the real server (a breakdown by account); tests/test_panel_contract_usage.py keeps it in step.
import breakdown from "../../lib/fixtures/analytics-breakdown.json";
import { mergeUsage, toFigures, toLastHours } from "./api";

describe("credential usage from the usage service", () => {
  it("reads each account's figures and last hour from a breakdown by account", () => {
    const withHour = breakdown.items.find((item) => typeof item.lastHourAt === "number");
    expect(withHour).toBeDefined();
    const hours = toLastHours(breakdown);
    expect(hours.get(withHour!.key)).toBe(withHour!.lastHourAt);
    expect(toFigures(breakdown).get(withHour!.key)).toEqual({
      requests: withHour!.requests,
      failures: withHour!.failures,
      tokens: withHour!.tokens.total,
      costUsd: withHour!.costUsd,
    });
  });

  it("prefers the exact time of a newest event and falls back to the last hour", () => {
    const figures = new Map([["a", { requests: 2, failures: 0, tokens: 10, costUsd: 0 }]]);
    const exact = mergeUsage(figures, figures, new Map([["a", 1_700_000_123_000]]), new Map([["a", 1_700_000_000_000]]));
    expect(exact.get("a")).toMatchObject({ lastUsedMs: 1_700_000_123_000, lastHourMs: 1_700_000_000_000 });
    const hourOnly = mergeUsage(figures, figures, new Map(), new Map([["a", 1_700_000_000_000]]));
    expect(hourOnly.get("a")).toMatchObject({ lastUsedMs: null, lastHourMs: 1_700_000_000_000, usedWithin: "day" });
  });
});
