import { describe, expect, it } from "vitest";
import { ApiError } from "../../lib/http";
import { rejectionOf, toImportReport } from "./api";
import {
  contentTypeFor,
  countLines,
  exportQuery,
  filenameFromDisposition,
  hasImportExtension,
  isLegacySnapshot,
  localDateMs,
  previewImport,
} from "./logic";

const NOW = 1_795_566_000_000;
const DAY = 86_400_000;

describe("exportQuery", () => {
  it("exports all time with the format only", () => {
    expect(exportQuery({ range: "all", format: "jsonl", startDate: "", endDate: "" }, NOW)).toEqual({
      ok: true,
      query: "format=jsonl",
    });
  });

  it("exports the last 30 days in unix ms", () => {
    expect(exportQuery({ range: "30d", format: "csv", startDate: "", endDate: "" }, NOW)).toEqual({
      ok: true,
      query: `format=csv&start=${NOW - 30 * DAY}&end=${NOW}`,
    });
  });

  it("includes the whole end day of a custom range, in local time", () => {
    const result = exportQuery({ range: "custom", format: "jsonl", startDate: "2026-11-01", endDate: "2026-11-01" }, NOW);
    const start = new Date(2026, 10, 1).getTime();
    const end = new Date(2026, 10, 2).getTime();
    expect(result).toEqual({ ok: true, query: `format=jsonl&start=${start}&end=${end}` });
  });

  it("rejects missing, impossible or reversed dates", () => {
    const choice = { range: "custom" as const, format: "jsonl" as const };
    expect(exportQuery({ ...choice, startDate: "", endDate: "2026-11-01" }, NOW)).toEqual({
      ok: false,
      error: "data.export.datesRequired",
    });
    expect(exportQuery({ ...choice, startDate: "2026-02-30", endDate: "2026-03-01" }, NOW).ok).toBe(false);
    expect(exportQuery({ ...choice, startDate: "2026-11-02", endDate: "2026-11-01" }, NOW)).toEqual({
      ok: false,
      error: "data.export.datesOrder",
    });
  });

  it("reads dates strictly", () => {
    expect(localDateMs("2026-1-5")).toBeNull();
    expect(localDateMs("2026-01-05")).toBe(new Date(2026, 0, 5).getTime());
  });
});

describe("filenameFromDisposition", () => {
  it.each([
    ['attachment; filename="cpa-usage-20261125-004100.jsonl"', "cpa-usage-20261125-004100.jsonl"],
    ["attachment; filename=plain.csv", "plain.csv"],
    ["attachment; filename*=UTF-8''%E7%94%A8%E9%87%8F.csv; filename=\"x.csv\"", "用量.csv"],
    ['attachment; filename="../../etc/passwd"', "passwd"],
    ['attachment; filename="a\\"b.jsonl"', 'a"b.jsonl'],
    ["attachment", "cpa-usage.csv"],
    ['attachment; filename=""', "cpa-usage.csv"],
  ])("%s → %s", (header, expected) => {
    expect(filenameFromDisposition(header, "csv")).toBe(expected);
  });

  it("falls back when the header is missing", () => {
    expect(filenameFromDisposition(null, "jsonl")).toBe("cpa-usage.jsonl");
  });
});

describe("import preview", () => {
  const events = '{"id":1}\n{"id":2}\n\n{"id":3}\n';

  it("counts non-empty lines", () => {
    expect(countLines(events)).toBe(3);
    expect(countLines("a\r\nb\r\n")).toBe(2);
    expect(countLines("")).toBe(0);
  });

  it("treats .jsonl and .ndjson files as JSONL events", () => {
    expect(previewImport("u.jsonl", 40, events)).toEqual({
      name: "u.jsonl",
      size: 40,
      kind: "jsonl",
      lines: 3,
      legacySnapshot: false,
      unexpectedExtension: false,
    });
    expect(previewImport("U.NDJSON", 9, '{"a":1}').kind).toBe("jsonl");
  });

  it("detects JSONL inside a .json file that is not one document", () => {
    expect(previewImport("u.json", 40, events)).toMatchObject({ kind: "jsonl", lines: 3 });
  });

  it("detects JSON documents and legacy CPA snapshots", () => {
    expect(previewImport("a.json", 2, "[]")).toMatchObject({ kind: "json", legacySnapshot: false });
    expect(previewImport("a.json", 2, '{"usage":{"apis":{}}}')).toMatchObject({ kind: "json", legacySnapshot: true });
    expect(previewImport("a.json", 2, '\uFEFF {"apis":{"k":{}}}')).toMatchObject({ kind: "json", legacySnapshot: true });
    expect(previewImport("a.json", 2, '{"usage":{"apis":[]}}').legacySnapshot).toBe(false);
  });

  it("reports empty, unknown and oddly named files", () => {
    expect(previewImport("a.json", 0, " \n ").kind).toBe("empty");
    expect(previewImport("a.json", 5, "hello").kind).toBe("unknown");
    expect(previewImport("a.json", 5, "[1,").kind).toBe("unknown");
    expect(previewImport("a.txt", 2, "[]")).toMatchObject({ kind: "json", unexpectedExtension: true });
  });

  it("knows the accepted extensions and content types", () => {
    expect(["a.jsonl", "b.NDJSON", "c.json", "d.csv", "json"].map(hasImportExtension)).toEqual([true, true, true, false, false]);
    expect(contentTypeFor("x.JSON")).toBe("application/json");
    expect(contentTypeFor("x.jsonl")).toBe("application/x-ndjson");
    expect(isLegacySnapshot(null)).toBe(false);
  });
});

describe("import reports", () => {
  const wire = {
    format: "jsonl",
    added: 2,
    skipped: 1,
    total: 4,
    failed: 1,
    unsupported: 0,
    warnings: ["w"],
    errors: [{ line: 3, error: "bad json" }],
  };

  it("reads the report", () => {
    expect(toImportReport(wire)).toEqual({ ...wire });
    expect(toImportReport(null).errors).toEqual([]);
  });

  it("recognises a whole-file rejection", () => {
    const error = new ApiError(400, "import_rejected", "Line 3 is not valid JSON", { error: "x", ...wire });
    expect(rejectionOf(error)).toEqual({ message: "Line 3 is not valid JSON", report: toImportReport(wire) });
    expect(rejectionOf(new ApiError(413, "import_too_large", "too big"))).toBeNull();
    expect(rejectionOf(new Error("x"))).toBeNull();
  });
});
