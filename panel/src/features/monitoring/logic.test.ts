import { describe, expect, it } from "vitest";
import { toBreakdown, toEventPage, toKpis } from "./api";
import {
  analyticsQuery,
  appendOlderEvents,
  bucketFor,
  customWindow,
  emptyFilters,
  eventCursor,
  hasActiveFilters,
  isSearchShortcut,
  latencyText,
  mergeNewEvents,
  monitoringHash,
  nextSort,
  olderCursor,
  parseMonitoringHash,
  rangeWindow,
  sortRows,
  toChartData,
  tokenMix,
} from "./logic";
import type { BreakdownRow, UsageEvent } from "./types";
import { makeTranslate } from "../../i18n/translate";

const HOUR = 3_600_000;

function event(id: number, timestamp = "2026-11-25T00:30:25.425475Z"): UsageEvent {
  return {
    id,
    timestamp,
    model: "m",
    provider: "p",
    account: "x",
    accountLabel: "a",
    failed: false,
    statusCode: 200,
    tokens: 1,
    latencyMs: 1,
    costUsd: null,
    pricing: null,
    requestId: "",
  };
}

function row(key: string, requests: number, latencyAvg: number | null): BreakdownRow {
  return { key, label: key, requests, failureRate: 0, tokens: 0, costUsd: 0, unpricedRequests: 0, latencyAvg, pricing: [] };
}

describe("hash state", () => {
  it("defaults to 24 h with no filters", () => {
    expect(parseMonitoringHash("#/monitoring")).toEqual({ range: "24h", custom: null, filters: emptyFilters() });
  });

  it("reads range and comma-list filters, ignoring unknown values", () => {
    const q = parseMonitoringHash("#/monitoring?range=7d&model=gpt-5.4,grok-4&status=failed&q=abc&provider=");
    expect(q.range).toBe("7d");
    expect(q.filters.model).toEqual(["gpt-5.4", "grok-4"]);
    expect(q.filters.provider).toEqual([]);
    expect(q.filters.status).toBe("failed");
    expect(q.filters.q).toBe("abc");
    expect(parseMonitoringHash("#/monitoring?range=1y&status=weird")).toEqual({
      range: "24h",
      custom: null,
      filters: emptyFilters(),
    });
  });

  it("round-trips and leaves defaults out", () => {
    expect(monitoringHash({ range: "24h", custom: null, filters: emptyFilters() })).toBe("#/monitoring");
    const query = { range: "7d" as const, custom: null, filters: { ...emptyFilters(), model: ["gpt-5.4"], q: "x y" } };
    const hash = monitoringHash(query);
    expect(hash).toBe("#/monitoring?range=7d&model=gpt-5.4&q=x+y");
    expect(parseMonitoringHash(hash)).toEqual(query);
  });

  it("knows when any filter is active", () => {
    expect(hasActiveFilters(emptyFilters())).toBe(false);
    expect(hasActiveFilters({ ...emptyFilters(), q: "  " })).toBe(false);
    expect(hasActiveFilters({ ...emptyFilters(), status: "success" })).toBe(true);
    expect(hasActiveFilters({ ...emptyFilters(), endpoint: ["POST /v1/messages"] })).toBe(true);
  });
});

describe("analyticsQuery", () => {
  it("puts window, tz, comma-list filters and extras in a fixed order", () => {
    const filters = { ...emptyFilters(), model: ["a", "b"], apiKey: ["h1"], status: "failed" as const, q: " hi " };
    expect(analyticsQuery({ start: 1, end: 2 }, "Asia/Shanghai", filters, { by: "model", before: null })).toBe(
      "start=1&end=2&tz=Asia%2FShanghai&model=a%2Cb&apiKey=h1&status=failed&q=hi&by=model",
    );
  });

  it("omits filters when given null and status all", () => {
    expect(analyticsQuery({ start: 1, end: 2 }, "UTC", null, { limit: 50 })).toBe("start=1&end=2&tz=UTC&limit=50");
    expect(analyticsQuery({ start: 1, end: 2 }, "UTC", emptyFilters())).toBe("start=1&end=2&tz=UTC");
  });
});

describe("ranges", () => {
  const now = Date.UTC(2026, 10, 25, 12, 0, 0);
  it("counts back from now", () => {
    expect(rangeWindow("24h", now)).toEqual({ start: now - 24 * HOUR, end: now });
    expect(rangeWindow("7d", now).start).toBe(now - 7 * 24 * HOUR);
    expect(rangeWindow("30d", now).start).toBe(now - 30 * 24 * HOUR);
    const today = rangeWindow("today", now);
    expect(today.end).toBe(now);
    expect(new Date(today.start).getHours()).toBe(0);
  });
  it("uses hourly buckets up to 7 days and daily for 30", () => {
    const ranges = ["today", "24h", "7d", "30d"] as const;
    expect(ranges.map((r) => bucketFor(rangeWindow(r, now)))).toEqual(["hour", "hour", "hour", "day"]);
  });

  it("uses the chosen window for a custom range", () => {
    const custom = { start: now - 3 * HOUR, end: now - HOUR };
    expect(rangeWindow("custom", now, custom)).toEqual(custom);
    expect(bucketFor({ start: 0, end: 10 * 24 * HOUR })).toBe("day");
  });

  it("starts 'all' at the oldest stored event, and never covers less than the last 24 hours", () => {
    const oldest = now - 40 * 24 * HOUR;
    expect(rangeWindow("all", now, null, oldest)).toEqual({ start: oldest, end: now });
    expect(bucketFor(rangeWindow("all", now, null, oldest))).toBe("day");
    expect(rangeWindow("all", now, null, now - HOUR)).toEqual({ start: now - 24 * HOUR, end: now });
    expect(rangeWindow("all", now)).toEqual({ start: now - 24 * HOUR, end: now });
    expect(parseMonitoringHash("#/monitoring?range=all").range).toBe("all");
  });
});

describe("toChartData", () => {
  it("fills missing buckets with zeros, aligned to the server's buckets", () => {
    const start = 10 * HOUR + 1_000;
    const window = { start, end: start + 3 * HOUR };
    const data = toChartData(
      [
        { t: 10 * HOUR, requests: 2, failures: 1, costUsd: 0.5, inputTokens: 2, outputTokens: 1 },
        { t: 12 * HOUR, requests: 4, failures: 0, costUsd: 1, inputTokens: 4, outputTokens: 0 },
      ],
      window,
      "hour",
    );
    expect(data[0]).toEqual([10, 11, 12, 13].map((h) => (h * HOUR) / 1000));
    expect(data[1]).toEqual([2, 0, 4, 0]);
    expect(data[2]).toEqual([1, 0, 0, 0]);
    expect(data[3]).toEqual([0.5, 0, 1, 0]);
  });

  it("gives an all-zero series for no points", () => {
    const data = toChartData([], { start: 0, end: 2 * HOUR }, "hour");
    expect(data[1]).toEqual([0, 0]);
  });

  it("snaps a day bucket shifted by DST to its nearest slot", () => {
    const day = 24 * HOUR;
    const data = toChartData(
      [
        { t: 0, requests: 1, failures: 0, costUsd: 0, inputTokens: 1, outputTokens: 0 },
        { t: 2 * day + HOUR, requests: 3, failures: 0, costUsd: 0, inputTokens: 3, outputTokens: 0 },
      ],
      { start: 0, end: 3 * day },
      "day",
    );
    expect(data[1]).toEqual([1, 0, 3]);
  });
});

describe("sorting", () => {
  const rows = [row("b", 5, 200), row("a", 9, null), row("c", 5, 100)];
  it("sorts numbers descending with nulls last and stable ties", () => {
    expect(sortRows(rows, { key: "requests", dir: "desc" }).map((r) => r.key)).toEqual(["a", "b", "c"]);
    expect(sortRows(rows, { key: "latencyAvg", dir: "asc" }).map((r) => r.key)).toEqual(["c", "b", "a"]);
    expect(sortRows(rows, { key: "latencyAvg", dir: "desc" }).map((r) => r.key)).toEqual(["b", "c", "a"]);
  });
  it("sorts labels as text", () => {
    expect(sortRows(rows, { key: "label", dir: "asc" }).map((r) => r.key)).toEqual(["a", "b", "c"]);
  });
  it("flips the same column and starts new ones descending", () => {
    expect(nextSort({ key: "requests", dir: "desc" }, "requests")).toEqual({ key: "requests", dir: "asc" });
    expect(nextSort({ key: "requests", dir: "asc" }, "costUsd")).toEqual({ key: "costUsd", dir: "desc" });
    expect(nextSort({ key: "requests", dir: "asc" }, "label")).toEqual({ key: "label", dir: "asc" });
  });
});

describe("events", () => {
  it("prepends new events, drops duplicates and keeps the cap", () => {
    const merged = mergeNewEvents([event(3), event(2), event(1)], [event(5), event(4), event(3)], 4);
    expect(merged.map((e) => e.id)).toEqual([5, 4, 3, 2]);
  });

  it("keeps at most 500 rows by default", () => {
    const existing = Array.from({ length: 500 }, (_, i) => event(500 - i));
    const merged = mergeNewEvents(existing, [event(502), event(501)]);
    expect(merged).toHaveLength(500);
    expect(merged[0]?.id).toBe(502);
    expect(merged[499]?.id).toBe(3);
  });

  it("appends older pages without duplicates", () => {
    expect(appendOlderEvents([event(3), event(2)], [event(2), event(1)]).map((e) => e.id)).toEqual([3, 2, 1]);
  });

  it("builds the server's cursor from a timestamp without losing microseconds", () => {
    expect(eventCursor(event(1, "2026-11-25T00:30:25.425475Z"))).toBe("1795566625425475000:1");
    expect(eventCursor(event(7, "2026-11-25T00:30:25Z"))).toBe("1795566625000000000:7");
    expect(eventCursor(event(7, "garbage"))).toBeNull();
  });

  it("pages on from the last kept row once rows were capped", () => {
    const rows = [event(9), event(8, "2026-11-25T00:00:00.5Z")];
    expect(olderCursor(rows, "server:1", false)).toBe("server:1");
    expect(olderCursor(rows, "server:1", true)).toBe("1795564800500000000:8");
    expect(olderCursor([], null, true)).toBeNull();
  });
});

describe("search shortcut", () => {
  it("fires for / outside form fields only", () => {
    expect(isSearchShortcut("/", "BODY", false)).toBe(true);
    expect(isSearchShortcut("/", "INPUT", false)).toBe(false);
    expect(isSearchShortcut("/", "DIV", true)).toBe(false);
    expect(isSearchShortcut("a", "BODY", false)).toBe(false);
  });
});

describe("wire conversion", () => {
  it("reads summary KPIs with null latencies", () => {
    const k = toKpis({
      requests: 2,
      tokens: { input: 5, cacheRead: 1, cacheWrite: 2 },
      unpriced: { requests: 2 },
      latencyMs: { p50: null, p95: 9 },
      ttftMs: { avg: 3 },
    });
    expect(k.latencyP50).toBeNull();
    expect(k.latencyP95).toBe(9);
    expect(k.unpricedRequests).toBe(2);
    expect(k.tokens.cacheWrite).toBe(2);
    expect(k.ttftAvg).toBe(3);
    expect(k.inconsistentEvents).toBe(0);
    expect(toKpis({ inconsistentEvents: 4 }).inconsistentEvents).toBe(4);
  });

  it("reads price matches, dropping malformed ones, and an unpriced event's null pricing", () => {
    const [r] = toBreakdown({ items: [{ key: "m", pricing: [{ model: "m", match: "exact", source: "manual" }, null, "x"] }] });
    expect(r?.pricing).toEqual([{ model: "m", pricedAs: "m", match: "exact", source: "manual" }]);
    const page = toEventPage({ events: [{ id: 1, pricing: null }, { id: 2 }] });
    expect(page.events.map((e) => e.pricing)).toEqual([null, null]);
  });

  it("reads breakdown rows, falling back to the key for a label", () => {
    const [r] = toBreakdown({ items: [{ key: "k", requests: 4, failures: 1, tokens: { total: 9 }, latencyMs: { avg: 2 } }] });
    expect(r).toMatchObject({ key: "k", label: "k", failureRate: 0.25, tokens: 9, latencyAvg: 2 });
  });

  it("reads an event page and its cursors", () => {
    const page = toEventPage({ events: [{ id: 1, failed: true, statusCode: 500, tokens: { total: 3 } }], nextBefore: null, newest: "n:1" });
    expect(page.nextBefore).toBeNull();
    expect(page.newest).toBe("n:1");
    expect(page.events[0]).toMatchObject({ id: 1, failed: true, statusCode: 500, tokens: 3, latencyMs: null });
  });
});

describe("custom ranges in the hash", () => {
  it("round-trips a custom window as local date-times", () => {
    const start = new Date(2026, 10, 1, 8, 30).getTime();
    const end = new Date(2026, 10, 3, 17, 0).getTime();
    const hash = monitoringHash({ range: "custom", custom: { start, end }, filters: emptyFilters() });
    expect(hash).toBe("#/monitoring?range=custom&from=2026-11-01T08%3A30&to=2026-11-03T17%3A00");
    expect(parseMonitoringHash(hash)).toEqual({ range: "custom", custom: { start, end }, filters: emptyFilters() });
  });

  it("falls back to the default range for a missing or backwards window", () => {
    expect(parseMonitoringHash("#/monitoring?range=custom").range).toBe("24h");
    const backwards = "#/monitoring?range=custom&from=2026-11-03T00:00&to=2026-11-01T00:00";
    expect(parseMonitoringHash(backwards)).toMatchObject({ range: "24h", custom: null });
    expect(customWindow("2026-11-01", "2026-11-02T00:00")).toBeNull();
  });
});

describe("tokenMix", () => {
  const tokens = { input: 100, uncachedInput: 60, cacheRead: 30, cacheWrite: 10, output: 100, reasoning: 40, total: 200 };

  it("splits input by cache use and keeps reasoning inside output", () => {
    expect(tokenMix(tokens)).toEqual([
      { part: "uncachedInput", tokens: 60, share: 0.3 },
      { part: "cacheRead", tokens: 30, share: 0.15 },
      { part: "cacheWrite", tokens: 10, share: 0.05 },
      { part: "output", tokens: 100, share: 0.5 },
    ]);
  });

  it("counts all input as uncached when records carry no cache breakdown", () => {
    const plain = { ...tokens, uncachedInput: 0, cacheRead: 0, cacheWrite: 0 };
    expect(tokenMix(plain)[0]).toEqual({ part: "uncachedInput", tokens: 100, share: 0.5 });
  });

  it("gives zero shares when there are no tokens", () => {
    const none = { input: 0, uncachedInput: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0, total: 0 };
    expect(tokenMix(none).map((p) => p.share)).toEqual([0, 0, 0, 0]);
  });
});

describe("latencyText", () => {
  it("writes long latencies in seconds in both languages (not '24,007 ms')", () => {
    expect(latencyText(24_007, "en", makeTranslate("en"))).toBe("24.0 s");
    expect(latencyText(24_007, "zh-CN", makeTranslate("zh-CN"))).toBe("24.0 秒");
    expect(latencyText(640, "en", makeTranslate("en"))).toBe("640 ms");
    expect(latencyText(640, "zh-CN", makeTranslate("zh-CN"))).toBe("640 毫秒");
  });
});
