import { describe, expect, it } from "vitest";
// Captured from the real server; tests/test_panel_contract.py fails when the server's shape drifts from it.
import statusFixture from "./fixtures/status.json";
import { toServiceStatus } from "./serviceStatus";

describe("toServiceStatus", () => {
  it("reads every field the panel uses from the server's /status", () => {
    const status = toServiceStatus(statusFixture);
    expect(status).toMatchObject({
      version: "0.1.0",
      configured: true,
      events: 3,
      deadLetters: 0,
      paths: { database: "/home/user/cpa-manager/database", portable: true },
      collector: {
        state: "running",
        rawState: "running",
        transport: "http",
        upstream: "http://127.0.0.1:8317",
        totalInserted: 3,
        totalPopped: 3,
        lastError: "CPA answered HTTP 502",
        usageStatisticsEnabled: true,
        pollIntervalMs: 100,
        queueRetentionSeconds: 60,
      },
    });
    expect(status.collector.lastInsertedAt).toBe(statusFixture.collector.lastInsertedAt);
    expect(status.collector.lastConsumedAt).toBe(statusFixture.collector.lastConsumedAt);
    expect(status.startedAt).toBe(statusFixture.startedAt);
    expect(status.dbSizeBytes).toBe(statusFixture.dbSizeBytes);
    expect([status.oldestEventAt, status.newestEventAt]).toEqual([statusFixture.oldestEventAt, statusFixture.newestEventAt]);
    expect(status.oldestEventAt).toBeGreaterThan(0);
  });

  it("merges the service's and the collector's warnings without duplicates", () => {
    expect(toServiceStatus(statusFixture).warnings).toEqual(["CPA is not publishing usage records"]);
  });

  it("keeps an unknown collector state for display and falls back on missing fields", () => {
    const status = toServiceStatus({ collector: { state: "draining" } });
    expect(status.collector).toMatchObject({ state: "unknown", rawState: "draining", usageStatisticsEnabled: null });
    expect(status.collector.queueRetentionSeconds).toBeNull();
    expect(status.paths.portable).toBe(false);
  });
});
