// The converters run on answers captured from the real server (tests/test_panel_contract_usage.py
// fails when the server's shape drifts from these files). Expectations read the fixture's own fields,
// so a renamed or removed field fails the typecheck or these tests, not just the server's side.
import { describe, expect, it } from "vitest";
import breakdownFixture from "../../lib/fixtures/analytics-breakdown.json";
import eventsFixture from "../../lib/fixtures/analytics-events.json";
import failuresFixture from "../../lib/fixtures/analytics-failures.json";
import optionsFixture from "../../lib/fixtures/analytics-options.json";
import summaryFixture from "../../lib/fixtures/analytics-summary.json";
import seriesFixture from "../../lib/fixtures/analytics-timeseries.json";
import { toBreakdown, toEventPage, toFailures, toFilterOptions, toKpis, toSeries } from "./api";
import { FILTER_DIMS } from "./types";

describe("monitoring converters on the server's answers", () => {
  it("reads the summary's totals, tokens, cost and latency", () => {
    const f = summaryFixture;
    // The panel reads these seven; the server also sends the finer buckets (cacheWrite1h, unclassified…).
    const { input, uncachedInput, output, reasoning, cacheRead, cacheWrite, total } = f.tokens;
    expect(toKpis(f)).toEqual({
      requests: f.requests,
      successes: f.successes,
      failures: f.failures,
      successRate: f.successRate,
      tokens: { input, uncachedInput, output, reasoning, cacheRead, cacheWrite, total },
      costUsd: f.costUsd,
      unpricedRequests: f.unpriced.requests,
      inconsistentEvents: f.inconsistentEvents,
      latencyAvg: f.latencyMs.avg,
      latencyP50: f.latencyMs.p50,
      latencyP95: f.latencyMs.p95,
      ttftAvg: f.ttftMs.avg,
    });
    expect(f.requests).toBeGreaterThan(0);
  });

  it("reads every series point", () => {
    const points = toSeries(seriesFixture);
    expect(points).toEqual(
      seriesFixture.points.map((p) => ({
        t: p.t,
        requests: p.requests,
        failures: p.failures,
        costUsd: p.costUsd,
        inputTokens: p.tokens.input,
        outputTokens: p.tokens.output,
      })),
    );
    expect(points.length).toBeGreaterThan(0);
  });

  it("reads breakdown rows with their labels, failure rate and average latency", () => {
    expect(toBreakdown(breakdownFixture)).toEqual(
      breakdownFixture.items.map((i) => ({
        key: i.key,
        label: i.label,
        requests: i.requests,
        failureRate: i.failureRate,
        tokens: i.tokens.total,
        costUsd: i.costUsd,
        unpricedRequests: i.unpriced.requests,
        latencyAvg: i.latencyMs.avg,
        pricing: i.pricing.map((m) => ({ model: m.model, pricedAs: m.pricedAs, match: m.match, source: m.source })),
      })),
    );
    // A row priced by the built-in table is pinned, so the source's wire name cannot drift unnoticed.
    expect(breakdownFixture.items.some((i) => i.pricing.some((m) => m.source === "default"))).toBe(true);
  });

  it("reads the counts-only options for every filter dimension", () => {
    const options = toFilterOptions(optionsFixture);
    for (const dim of FILTER_DIMS) {
      const wire = optionsFixture.dimensions[dim];
      expect(wire.length).toBeGreaterThan(0);
      expect(options[dim]).toHaveLength(wire.length);
      expect(options[dim]).toEqual(expect.arrayContaining(wire.map((o) => ({ key: o.key, label: o.label, requests: o.requests }))));
    }
  });

  it("reads failures by status and by reason, with samples", () => {
    const f = failuresFixture;
    expect(toFailures(f)).toEqual({
      aggregatedBefore: null,
      total: f.total,
      byStatus: f.byStatus.map((s) => ({ status: s.status, count: s.count })),
      byReason: f.byReason.map((r) => ({ status: r.status, reason: r.reason, count: r.count, lastSeen: r.lastSeen, samples: r.samples })),
    });
    expect(f.byReason.some((r) => r.samples.length > 0)).toBe(true);
  });

  it("reads an event page and its cursors", () => {
    const page = toEventPage(eventsFixture);
    expect(page).toEqual({
      aggregatedBefore: null,
      events: eventsFixture.events.map((e) => ({
        id: e.id,
        timestamp: e.timestamp,
        model: e.model,
        provider: e.provider,
        account: e.account,
        accountLabel: e.accountLabel,
        failed: e.failed,
        statusCode: e.statusCode,
        tokens: e.tokens.total,
        latencyMs: e.latencyMs,
        costUsd: e.costUsd,
        pricing: e.pricing
          ? { model: e.pricing.model, pricedAs: e.pricing.pricedAs, match: e.pricing.match, source: e.pricing.source }
          : null,
        requestId: e.requestId,
      })),
      nextBefore: eventsFixture.nextBefore,
      newest: eventsFixture.newest,
    });
    // Both kinds of row are pinned: priced and unpriced, succeeded and failed.
    expect(new Set(page.events.map((e) => e.costUsd === null))).toEqual(new Set([true, false]));
    expect(new Set(page.events.map((e) => e.pricing === null))).toEqual(new Set([true, false]));
    expect(new Set(page.events.map((e) => e.failed))).toEqual(new Set([true, false]));
  });
});
