// The import report converters on answers captured from the real server (see tests/test_panel_contract_usage.py).
import { describe, expect, it } from "vitest";
import rejectedFixture from "../../lib/fixtures/import-rejected.json";
import resultFixture from "../../lib/fixtures/import-result.json";
import { ApiError } from "../../lib/http";
import { rejectionOf, toImportReport } from "./api";

describe("import converters on the server's answers", () => {
  it("reads a successful import's report", () => {
    const f = resultFixture;
    expect(toImportReport(f)).toEqual({
      format: f.format,
      added: f.added,
      skipped: f.skipped,
      total: f.total,
      failed: f.failed,
      unsupported: f.unsupported,
      warnings: f.warnings,
      errors: [],
    });
    expect(f.added).toBeGreaterThan(0);
  });

  it("reads a rejected import: the sentence and each bad line's number", () => {
    const f = rejectedFixture;
    // lib/http turns the 400 into this error, with the parsed body as details.
    const rejection = rejectionOf(new ApiError(400, f.code, f.error, f));
    expect(rejection).toEqual({
      message: f.error,
      report: {
        format: f.format,
        added: f.added,
        skipped: f.skipped,
        total: f.total,
        failed: f.failed,
        unsupported: f.unsupported,
        warnings: f.warnings,
        errors: f.errors.map((e) => ({ line: e.line, error: e.error })),
      },
    });
    expect(rejection?.report.errors.map((e) => e.line)).toEqual([2]);
  });
});
