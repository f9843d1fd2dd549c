import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatCompact,
  formatDateTime,
  formatDateTimeMinutes,
  formatInteger,
  formatMoney,
  formatPercent,
  formatRelativeTime,
  formatUsd,
  latencyParts,
} from "./format";

describe("numbers", () => {
  it.each([
    [0, "0"],
    [9_999, "9,999"],
    [12_345, "12.3K"],
    [9_815_821, "9.8M"],
  ])("formatCompact(%d) is %s", (value, expected) => {
    expect(formatCompact(value, "en")).toBe(expected);
  });

  it("formats integers with grouping", () => {
    expect(formatInteger(1234567, "en")).toBe("1,234,567");
  });
});

describe("formatPercent", () => {
  it.each([
    [0.65, "65.0%"],
    [0.98765, "98.8%"],
    [1, "100%"],
    [0, "0%"],
  ])("formats %d as %s", (ratio, expected) => {
    expect(formatPercent(ratio, "en")).toBe(expected);
  });

  it("shows the placeholder when there is no rate", () => {
    expect(formatPercent(null, "en")).toBe("—");
  });
});

describe("formatUsd", () => {
  it.each([
    [0, "$0.00"],
    [12.345, "$12.35"],
    [0.1234567, "$0.1235"],
    [0.5, "$0.50"],
    [1234.5, "$1,234.50"],
  ])("formats %d as %s", (amount, expected) => {
    expect(formatUsd(amount, "en")).toBe(expected);
  });
});

describe("formatMoney", () => {
  it.each([
    [0, "$0.00"],
    [0.7643, "$0.76"],
    [0.004, "< $0.01"],
    [0.01, "$0.01"],
    [26.5, "$26.50"],
    [1234.5, "$1,234.50"],
  ])("formats %d as %s: always two decimals", (amount, expected) => {
    expect(formatMoney(amount, "en")).toBe(expected);
  });
});

describe("formatRelativeTime", () => {
  const now = 1_795_566_000_000;

  it.each([
    [now - 5_000, "5 seconds ago"],
    [now - 3 * 60_000, "3 minutes ago"],
    [now - 2 * 3_600_000, "2 hours ago"],
    [now - 3 * 86_400_000, "3 days ago"],
    [now + 20_000, "in 20 seconds"],
  ])("describes %d", (timestamp, expected) => {
    expect(formatRelativeTime(timestamp, now, "en")).toBe(expected);
  });

  it("returns null for timestamps that mean never", () => {
    expect(formatRelativeTime(0, now, "en")).toBeNull();
  });

  it("speaks Chinese", () => {
    expect(formatRelativeTime(now - 3 * 60_000, now, "zh-CN")).toBe("3分钟前");
  });
});

describe("formatDateTime", () => {
  it("formats in the given time zone", () => {
    expect(formatDateTime(Date.UTC(2026, 7, 22, 12, 0, 0), "en", "UTC")).toBe("Aug 22, 2026, 12:00:00 PM");
  });
});

describe("formatDateTimeMinutes", () => {
  it("leaves out the seconds, in the user's locale", () => {
    expect(formatDateTimeMinutes(Date.UTC(2026, 11, 6, 0, 0, 0), "en", "UTC")).toBe("Dec 6, 2026, 12:00 AM");
    expect(formatDateTimeMinutes(Date.UTC(2026, 11, 6, 0, 0, 0), "zh-CN", "UTC")).toBe("2026年12月6日 00:00");
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1023, "1,023 B"],
    [1536, "1.5 KB"],
    [5 * 1024 * 1024, "5.0 MB"],
  ])("formats %d", (bytes, expected) => {
    expect(formatBytes(bytes, "en")).toBe(expected);
  });
});

describe("latencyParts", () => {
  it("keeps whole milliseconds below 10 s", () => {
    expect(latencyParts(850, "en")).toEqual({ unit: "ms", value: "850" });
    expect(latencyParts(9_999, "zh-CN")).toEqual({ unit: "ms", value: "9,999" });
  });

  it("shows seconds with one decimal from 10 s on, in both locales", () => {
    expect(latencyParts(24_007, "en")).toEqual({ unit: "s", value: "24.0" });
    expect(latencyParts(10_000, "zh-CN")).toEqual({ unit: "s", value: "10.0" });
    expect(latencyParts(123_456, "en")).toEqual({ unit: "s", value: "123.5" });
  });
});
