import { describe, expect, it } from "vitest";
import { cardState, countdownMessage, countdownParts, quotaBadge, recoveryMs, showsWindows, stateTone, toCredentialQuota, toSparklines, toWindowUsage } from "./quota";

const H = 3_600_000;

function wire(snapshot: unknown, schedule: unknown = { next_check: 2000, stopped: null, last_checked: 1000, last_state: "ok", backoff_seconds: 0 }) {
  return toCredentialQuota({ auth_index: "a1", provider: "codex", label: "ali***@example.com", snapshot, schedule });
}

const ok = (windows: unknown[]) => wire({ at: 1000, state: "ok", plan: "plus", windows });

describe("the server's quota converted at the boundary", () => {
  it("reads times in seconds as milliseconds and keeps the schedule", () => {
    const c = ok([{ key: "five_hour", used_percent: 23, resets_at: 1796990460, window_seconds: 18000 }]);
    expect(c).toEqual({
      authIndex: "a1", provider: "codex", label: "ali***@example.com", nextCheckMs: 2_000_000, lastCheckedMs: 1_000_000,
      stopped: null, polled: true,
      reading: { atMs: 1_000_000, state: "ok", plan: "plus", detail: null,
        windows: [{ key: "five_hour", usedPercent: 23, resetsAtMs: 1_796_990_460_000, windowSeconds: 18000 }] },
    });
    expect(wire(null, null)).toMatchObject({ reading: null, polled: false, nextCheckMs: null });
  });

  it("reads window usage and sparklines", () => {
    expect(toWindowUsage({ now: 10, credentials: { a1: [{ window: "weekly", start: 1, end: 10, requests: 3, failures: 1, tokens: 3300, cost_usd: 0.5, unpriced_requests: 0 }] } }))
      .toEqual(new Map([["a1", [{ window: "weekly", startMs: 1000, endMs: 10_000, requests: 3, failures: 1, tokens: 3300, costUsd: 0.5, unpricedRequests: 0 }]]]));
    const lines = toSparklines({ start: 100, end: 200, bucket_seconds: 21600, credentials: { a1: { five_hour: [null, 30, "x"] } } });
    expect(lines.bucketMs).toBe(21_600_000);
    expect(lines.series.get("a1")?.get("five_hour")).toEqual([null, 30, null]);
  });
});

describe("card states", () => {
  it.each([
    [null, "unchecked"],
    [{ at: 1, state: "ok", windows: [{ key: "weekly", used_percent: 89.9 }] }, "ok"],
    [{ at: 1, state: "ok", windows: [{ key: "five_hour", used_percent: 10 }, { key: "weekly", used_percent: 90 }] }, "low"],
    [{ at: 1, state: "ok", windows: [{ key: "weekly", used_percent: 99.9 }] }, "low"],
    [{ at: 1, state: "ok", windows: [{ key: "weekly", used_percent: 100 }] }, "exhausted"],
    [{ at: 1, state: "expired", detail: "HTTP 401" }, "rejected"],
    [{ at: 1, state: "forbidden", detail: "HTTP 403" }, "rejected"],
    [{ at: 1, state: "rate_limited", detail: "HTTP 429" }, "rateLimited"],
    [{ at: 1, state: "unrecognised", detail: "{}" }, "unrecognised"],
    [{ at: 1, state: "failed", detail: "HTTP 500" }, "failed"],
  ])("%j is %s", (snapshot, state) => {
    expect(cardState(wire(snapshot))).toBe(state);
  });

  it("an exhausted credential recovers when its last full window resets", () => {
    const c = ok([{ key: "five_hour", used_percent: 100, resets_at: 10 }, { key: "weekly", used_percent: 100, resets_at: 50 },
      { key: "weekly:opus", used_percent: 40, resets_at: 90 }]);
    expect(recoveryMs(c)).toBe(50_000);
    expect(quotaBadge(c)).toEqual({ state: "exhausted", remainingPercent: 0, resetsAtMs: 50_000 });
    expect(recoveryMs(ok([{ key: "weekly", used_percent: 100, resets_at: null }]))).toBeNull();
  });

  it("the badge shows the tightest window's remaining % and reset", () => {
    const c = ok([{ key: "five_hour", used_percent: 23, resets_at: 10 }, { key: "weekly", used_percent: 41.5, resets_at: 20 }]);
    expect(quotaBadge(c)).toEqual({ state: "ok", remainingPercent: 58.5, resetsAtMs: 20_000 });
    expect(quotaBadge(wire({ at: 1, state: "expired" }))).toEqual({ state: "rejected", remainingPercent: null, resetsAtMs: null });
  });
});

describe("state tones", () => {
  it("a credential running low is amber with its remaining % and reset, never the green of ok", () => {
    const c = ok([{ key: "five_hour", used_percent: 91, resets_at: 10 }, { key: "weekly", used_percent: 40, resets_at: 20 }]);
    expect(quotaBadge(c)).toEqual({ state: "low", remainingPercent: 9, resetsAtMs: 10_000 });
    expect(stateTone("low")).toBe("warning");
    expect(stateTone("ok")).toBe("good");
    expect(stateTone("exhausted")).toBe("bad");
    expect(stateTone("unchecked")).toBe("muted");
    expect(showsWindows("low")).toBe(true);
    expect(showsWindows("rejected")).toBe(false);
  });
});

describe("countdowns", () => {
  it("splits a duration into whole units", () => {
    expect(countdownParts(2 * 86_400_000 + 3 * H + 4 * 60_000 + 5_999)).toEqual({ days: 2, hours: 3, minutes: 4, seconds: 5 });
    expect(countdownParts(-5)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0 });
  });

  it.each([
    [0, "quota.countdown.due", {}],
    [-1000, "quota.countdown.due", {}],
    [59_999, "quota.countdown.seconds", { s: 59 }],
    [60_000, "quota.countdown.minutes", { m: 1, s: 0 }],
    [2 * H + 14 * 60_000 + 30_000, "quota.countdown.hours", { h: 2, m: 14 }],
    [3 * 86_400_000 + 4 * H, "quota.countdown.days", { d: 3, h: 4 }],
  ])("%i ms is %s %j", (ms, key, vars) => {
    expect(countdownMessage(ms)).toEqual({ key, vars });
  });
});
