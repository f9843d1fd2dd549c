import { describe, expect, it } from "vitest";
import type { AuthFile, CpaConfig } from "../../lib/cpa/status";
import statusFixture from "../../lib/fixtures/status.json";
import { toServiceStatus, type ServiceStatus } from "../../lib/serviceStatus";
import { buildChecklist, cpaRecentTraffic, verdict, type ChecklistInput } from "./logic";
import type { Check } from "./types";

const HOUR = 3_600_000;
// The fixture's records are a moment old; the checks run a day later, with a record from an hour ago.
const NOW = toServiceStatus(statusFixture).startedAt + 24 * HOUR;
const healthy: ServiceStatus = toServiceStatus({ ...statusFixture, warnings: [], newestEventAt: NOW - HOUR });
const cpa: CpaConfig = { version: "v7.2.140", buildDate: "", usageStatisticsEnabled: true, queueRetentionSeconds: 60 };

function input(overrides: Partial<ChecklistInput> = {}): ChecklistInput {
  return {
    mode: "full",
    hasUsageService: true,
    status: healthy,
    statusError: null,
    cpa,
    cpaError: null,
    traffic: { windowMinutes: 200, cpaRequests: 10, collected: 10 },
    trafficLoading: false,
    trafficError: null,
    // Well after the fixture's service start, so the whole comparison window is covered.
    nowMs: NOW,
    ago: () => "a moment ago",
    coverage: [],
    coverageError: null,
    describeGap: (gap) => `${gap.reason} ${gap.lengthS} s`,
    ...overrides,
  };
}

function withCollector(patch: Partial<ServiceStatus["collector"]>): ServiceStatus {
  return { ...healthy, collector: { ...healthy.collector, ...patch } };
}

function byId(checks: Check[], id: string): Check {
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

describe("buildChecklist", () => {
  it("lists the intervals that were not collected, and says it is not a lack of traffic", () => {
    const pause = { start: NOW - 2 * HOUR, end: NOW - 2 * HOUR + 540_000, open: false, reason: "paused" as const, lengthS: 540, retentionS: 60 };
    const checks = buildChecklist(input({ coverage: [pause] }));
    expect(byId(checks, "coverage")).toMatchObject({
      state: "warn",
      title: "coverage.check.title",
      detail: "coverage.check.gaps",
      vars: { count: 1, gaps: "paused 540 s" },
    });
    expect(verdict(checks)?.id).toBe("coverage");
  });

  it("does not guess about coverage it could not read", () => {
    const failed = buildChecklist(input({ coverage: null, coverageError: "HTTP 502" }));
    expect(byId(failed, "coverage")).toMatchObject({ state: "unknown", detail: "coverage.check.failed", vars: { message: "HTTP 502" } });
  });

  it("says the stored records are older than Monitoring's default range, and links to all of them", () => {
    const old = { ...healthy, newestEventAt: NOW - 3 * 24 * HOUR };
    const checks = buildChecklist(input({ status: old }));
    expect(byId(checks, "stored")).toMatchObject({
      state: "warn",
      detail: "diagnostics.stored.older",
      vars: { events: old.events },
      action: { kind: "link", href: "#/monitoring?range=all", label: "diagnostics.action.showAll" },
    });
    // Publishing is on: the checklist does not blame it, it leads with where the data is.
    expect(byId(checks, "publishing").state).toBe("ok");
    expect(verdict(checks)?.id).toBe("stored");
  });

  it("passes every check on a healthy setup", () => {
    const checks = buildChecklist(input());
    expect(checks.map((c) => [c.id, c.state])).toEqual([
      ["service", "ok"],
      ["cpa", "ok"],
      ["publishing", "ok"],
      ["collector", "ok"],
      ["retention", "ok"],
      ["arriving", "ok"],
      ["stored", "ok"],
      ["coverage", "ok"],
      ["consumer", "ok"],
      ["deadLetters", "ok"],
    ]);
    expect(verdict(checks)).toBeNull();
  });

  it("leads with publishing off and offers to turn it on", () => {
    const checks = buildChecklist(input({ cpa: { ...cpa, usageStatisticsEnabled: false } }));
    expect(byId(checks, "publishing")).toMatchObject({ state: "fail", action: { kind: "enablePublishing" } });
    // With publishing off, missing traffic is explained; no second culprit is blamed.
    expect(byId(checks, "consumer").state).toBe("unknown");
    expect(verdict(checks)?.id).toBe("publishing");
  });

  it("falls back to the collector's view of publishing when CPA's config is unreadable", () => {
    const checks = buildChecklist(
      input({ cpa: null, cpaError: "Cannot reach CPA", status: withCollector({ usageStatisticsEnabled: false }) }),
    );
    expect(byId(checks, "cpa")).toMatchObject({ state: "fail", vars: { message: "Cannot reach CPA" } });
    expect(byId(checks, "publishing").state).toBe("fail");
  });

  it("offers resume for a paused collector and restart for a failing one", () => {
    const paused = buildChecklist(input({ status: withCollector({ state: "paused", rawState: "paused", pausedSince: 1 }) }));
    expect(byId(paused, "collector")).toMatchObject({ state: "warn", action: { kind: "collector", action: "resume" } });
    const failing = buildChecklist(
      input({ status: withCollector({ state: "error", rawState: "error", lastError: "CPA rejected the key" }) }),
    );
    expect(byId(failing, "collector")).toMatchObject({
      state: "fail",
      vars: { error: "CPA rejected the key" },
      action: { kind: "collector", action: "restart" },
    });
  });

  it("warns when the poll interval is not well below the retention", () => {
    const slow = buildChecklist(input({ status: withCollector({ pollIntervalMs: 20_000 }) }));
    expect(byId(slow, "retention")).toMatchObject({ state: "warn", vars: { poll: 20, retention: 60 } });
    const fine = buildChecklist(input({ status: withCollector({ pollIntervalMs: 15_000 }) }));
    expect(byId(fine, "retention").state).toBe("ok");
    const stricter = buildChecklist(input({ status: withCollector({ pollIntervalMs: 15_000, minPollsPerRetention: 5 }) }));
    expect(byId(stricter, "retention").state).toBe("warn");
  });

  it("does not judge the poll interval when the service does not report its rule", () => {
    const older = buildChecklist(input({ status: withCollector({ pollIntervalMs: 20_000, minPollsPerRetention: 0 }) }));
    expect(byId(older, "retention").state).toBe("unknown");
  });

  it("blames another consumer when CPA served requests and none arrived", () => {
    const checks = buildChecklist(input({ traffic: { windowMinutes: 200, cpaRequests: 42, collected: 0 } }));
    expect(byId(checks, "consumer")).toMatchObject({ state: "fail", vars: { cpa: 42, collected: 0, minutes: 200 } });
    expect(verdict(checks)?.id).toBe("consumer");
    const partial = buildChecklist(input({ traffic: { windowMinutes: 200, cpaRequests: 42, collected: 10 } }));
    expect(byId(partial, "consumer").state).toBe("warn");
    const quiet = buildChecklist(input({ traffic: { windowMinutes: 200, cpaRequests: 0, collected: 0 } }));
    expect(byId(quiet, "consumer").state).toBe("unknown");
  });

  it("says when CPA's traffic could not be read rather than calling it quiet", () => {
    const failed = buildChecklist(input({ traffic: null, trafficError: "CPA answered HTTP 502" }));
    expect(byId(failed, "consumer")).toMatchObject({
      state: "unknown",
      detail: "diagnostics.consumer.failed",
      vars: { message: "CPA answered HTTP 502" },
    });
    const loading = buildChecklist(input({ traffic: null, trafficLoading: true }));
    expect(byId(loading, "consumer").detail).toBe("diagnostics.common.loading");
  });

  it("does not blame a consumer for requests from before the service started", () => {
    const justStarted = input({
      traffic: { windowMinutes: 200, cpaRequests: 42, collected: 0 },
      nowMs: healthy.startedAt + 30 * 60_000,
    });
    expect(byId(buildChecklist(justStarted), "consumer")).toMatchObject({ state: "unknown", detail: "diagnostics.consumer.tooEarly" });
  });

  it("sends CPA panel mode without a usage service to Settings", () => {
    const checks = buildChecklist(input({ mode: "cpa", hasUsageService: false, status: null, traffic: null }));
    expect(byId(checks, "service")).toMatchObject({
      state: "fail",
      action: { kind: "link", href: "#/settings" },
    });
    expect(byId(checks, "collector").state).toBe("unknown");
  });

  it("reports kept-aside dead letters", () => {
    const checks = buildChecklist(input({ status: { ...healthy, deadLetters: 3 } }));
    expect(byId(checks, "deadLetters")).toMatchObject({ state: "warn", vars: { count: 3 } });
  });
});

describe("cpaRecentTraffic", () => {
  it("sums every account's recent requests over the longest window", () => {
    const file = (recentRequests: number, recentWindowMinutes: number): AuthFile => ({
      authIndex: "a",
      name: "n",
      label: "l",
      provider: "codex",
      disabled: false,
      recentRequests,
      recentWindowMinutes,
    });
    expect(cpaRecentTraffic([file(3, 200), file(4, 100)])).toEqual({ windowMinutes: 200, requests: 7 });
    expect(cpaRecentTraffic([])).toEqual({ windowMinutes: 0, requests: 0 });
  });
});
