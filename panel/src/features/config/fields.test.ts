import { describe, expect, it } from "vitest";
import { checkDraft, draftOfValue, FIELD_IDS, FIELDS, pathOf, valueOfDraft } from "./fields";

describe("field table", () => {
  it("gives every field a path in both layouts", () => {
    for (const id of FIELD_IDS) {
      expect(pathOf(id, "flat").length, id).toBeGreaterThan(0);
      expect(pathOf(id, "v8").length, id).toBeGreaterThan(0);
    }
  });

  it("uses the v8 paths of cpa-v8.md §5.2", () => {
    expect(pathOf("usageStatisticsEnabled", "v8")).toEqual(["observability", "usage", "usage-statistics-enabled"]);
    expect(pathOf("queueRetentionSeconds", "v8")).toEqual(["observability", "usage", "redis-usage-queue-retention-seconds"]);
    expect(pathOf("debug", "v8")).toEqual(["observability", "logs", "debug"]);
    expect(pathOf("proxyUrl", "v8")).toEqual(["requests", "proxy-url"]);
    expect(pathOf("requestRetry", "v8")).toEqual(["routing", "retry", "request-retry"]);
    expect(pathOf("allowRemote", "v8")).toEqual(["management", "allow-remote"]);
    expect(pathOf("port", "v8")).toEqual(["server", "port"]);
    expect(pathOf("tlsCert", "v8")).toEqual(["server", "tls", "cert"]);
    expect(pathOf("strategy", "v8")).toEqual(["routing", "strategy"]);
  });

  it("uses the flat names of the v0 API", () => {
    expect(pathOf("usageStatisticsEnabled", "flat")).toEqual(["usage-statistics-enabled"]);
    expect(pathOf("allowRemote", "flat")).toEqual(["remote-management", "allow-remote"]);
    expect(pathOf("sessionAffinityTtl", "flat")).toEqual(["routing", "session-affinity-ttl"]);
  });

  it("keeps the quota switches (no v8 name) under quota-exceeded in both layouts", () => {
    expect(pathOf("switchProject", "v8")).toEqual(["quota-exceeded", "switch-project"]);
    expect(FIELDS.switchProject.v8Inferred).toBe(true);
  });

  it("never lists the management key", () => {
    const paths = FIELD_IDS.flatMap((id) => [pathOf(id, "flat").join("."), pathOf(id, "v8").join(".")]);
    expect(paths.filter((path) => path.includes("secret-key"))).toEqual([]);
  });

  it("has no two fields at the same path", () => {
    for (const layout of ["flat", "v8"] as const) {
      const paths = FIELD_IDS.map((id) => pathOf(id, layout).join("."));
      expect(new Set(paths).size).toBe(paths.length);
    }
  });
});

describe("checkDraft", () => {
  it("accepts empty (CPA's default) and valid values", () => {
    expect(checkDraft("port", "")).toBeNull();
    expect(checkDraft("port", "8317")).toBeNull();
    expect(checkDraft("strategy", "fill-first")).toBeNull();
    expect(checkDraft("sessionAffinityTtl", "1h30m")).toBeNull();
  });

  it("refuses out-of-range and malformed values", () => {
    expect(checkDraft("port", "0")).toEqual({ kind: "tooSmall", min: 1 });
    expect(checkDraft("port", "70000")).toEqual({ kind: "tooLarge", max: 65535 });
    expect(checkDraft("requestRetry", "2.5")).toEqual({ kind: "notInteger" });
    expect(checkDraft("requestRetry", "-1")).toEqual({ kind: "tooSmall", min: 0 });
    expect(checkDraft("queueRetentionSeconds", "3601")).toEqual({ kind: "tooLarge", max: 3600 });
    expect(checkDraft("queueRetentionSeconds", "0")).toEqual({ kind: "tooSmall", min: 1 });
    expect(checkDraft("sessionAffinityTtl", "an hour")).toEqual({ kind: "notDuration" });
    expect(checkDraft("strategy", "random")).toEqual({ kind: "notOption" });
  });
});

describe("drafts and values", () => {
  it("turns file values into form values and back", () => {
    expect(draftOfValue("port", 8317)).toBe("8317");
    expect(valueOfDraft("port", " 8318 ")).toBe(8318);
    expect(draftOfValue("debug", undefined)).toBe(false);
    expect(draftOfValue("proxyUrl", null)).toBe("");
    expect(valueOfDraft("proxyUrl", "socks5://h:1")).toBe("socks5://h:1");
  });
});
