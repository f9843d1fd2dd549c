import { describe, expect, it } from "vitest";
import { defaultCpaUrl, parseRetentionDays, toStorage, validateConnectForm } from "./logic";

describe("validateConnectForm", () => {
  it("accepts two http(s) addresses", () => {
    expect(validateConnectForm("http://127.0.0.1:18317/", "https://cpa.example:8317")).toEqual({});
  });

  it("names each bad address", () => {
    expect(validateConnectForm("127.0.0.1:18317", "")).toEqual({
      serviceUrl: "settings.usageService.urlInvalid",
      cpaUrl: "settings.usageService.urlInvalid",
    });
  });
});

describe("defaultCpaUrl", () => {
  it("is the page's origin when CPA served the page", () => {
    expect(defaultCpaUrl("http://192.168.1.5:8317")).toBe("http://192.168.1.5:8317");
  });

  it("is empty for a page without an http origin", () => {
    expect(defaultCpaUrl("null")).toBe("");
    expect(defaultCpaUrl("file://")).toBe("");
  });
});

describe("retention", () => {
  it("reads the storage figures and keeps unknown fields out", () => {
    expect(
      toStorage({
        databaseBytes: 4096,
        rawEvents: 10,
        aggregatedEvents: 30,
        bytesPerEvent: 102.4,
        oldestRawEvent: 1_700_000_000_000,
        aggregatedBefore: 1_699_000_000_000,
        reclaimableBytes: 0,
        incrementalVacuum: true,
        retention: { days: 30, source: "panel", fixed: false, maxDays: 3650 },
      }),
    ).toEqual({
      databaseBytes: 4096,
      rawEvents: 10,
      aggregatedEvents: 30,
      bytesPerEvent: 102.4,
      oldestRawEvent: 1_700_000_000_000,
      aggregatedBefore: 1_699_000_000_000,
      reclaimableBytes: 0,
      retention: { days: 30, source: "panel", fixed: false, maxDays: 3650 },
    });
  });

  it.each([
    ["", null],
    [" 30 ", 30],
    ["3650", 3650],
    ["0", undefined],
    ["-5", undefined],
    ["2.5", undefined],
    ["3651", undefined],
    ["ten", undefined],
  ])("reads %j as %j days", (text, days) => {
    expect(parseRetentionDays(text)).toBe(days);
  });
});
