import { describe, expect, it } from "vitest";
import { toAuthFiles, toCpaConfig, versionFrom } from "./status";

describe("versionFrom", () => {
  it("reads CPA's version headers, then the older x-server-* names", () => {
    const current = new Headers({ "X-CPA-VERSION": "v7.2.140", "X-CPA-BUILD-DATE": "2026-08-22T09:41:07Z" });
    expect(versionFrom(current)).toEqual({ version: "v7.2.140", buildDate: "2026-08-22T09:41:07Z" });
    const older = new Headers({ "x-server-version": "6.9.1", "x-server-build-date": "2026-01-02" });
    expect(versionFrom(older)).toEqual({ version: "6.9.1", buildDate: "2026-01-02" });
    expect(versionFrom(new Headers())).toEqual({ version: "", buildDate: "" });
  });
});

describe("toCpaConfig", () => {
  it("reads publishing and retention, null when this CPA does not say", () => {
    const headers = new Headers({ "X-CPA-VERSION": "v7.2.140" });
    const wire = { "usage-statistics-enabled": false, "redis-usage-queue-retention-seconds": 120 };
    expect(toCpaConfig(wire, headers)).toEqual({
      version: "v7.2.140",
      buildDate: "",
      usageStatisticsEnabled: false,
      queueRetentionSeconds: 120,
    });
    expect(toCpaConfig({}, headers)).toMatchObject({ usageStatisticsEnabled: null, queueRetentionSeconds: null });
  });
});

describe("toAuthFiles", () => {
  it("takes the readable label and counts recent requests", () => {
    const wire = {
      files: [
        {
          auth_index: "3f9c1a7be2d04c55",
          name: "codex-alice@example.com.json",
          provider: "codex",
          label: "alice@example.com",
          email: "alice@example.com",
          disabled: true,
          recent_requests: [
            { time: "10:00-10:09", success: 3, failed: 1 },
            { time: "10:10-10:19", success: 2, failed: 0 },
          ],
        },
        { auth_index: "b07e45c1d9a2f318", name: "vertex.json", type: "vertex", project_id: "proj-1" },
        { name: "no-index.json" },
      ],
    };
    expect(toAuthFiles(wire)).toEqual([
      {
        authIndex: "3f9c1a7be2d04c55",
        name: "codex-alice@example.com.json",
        label: "alice@example.com",
        provider: "codex",
        disabled: true,
        recentRequests: 6,
        recentWindowMinutes: 20,
      },
      {
        authIndex: "b07e45c1d9a2f318",
        name: "vertex.json",
        label: "proj-1",
        provider: "vertex",
        disabled: false,
        recentRequests: 0,
        recentWindowMinutes: 0,
      },
    ]);
  });
});
