import { ApiError, download, upload } from "../../lib/http";
import { asRecord, num, str, strList } from "../../lib/wire";
import { contentTypeFor, exportPath } from "./logic";
import type { ImportReport } from "./types";

export function toImportReport(wire: unknown): ImportReport {
  const body = asRecord(wire);
  const errors = Array.isArray(body.errors) ? body.errors : [];
  return {
    format: str(body.format),
    added: num(body.added),
    skipped: num(body.skipped),
    total: num(body.total),
    failed: num(body.failed),
    unsupported: num(body.unsupported),
    warnings: strList(body.warnings),
    errors: errors.map((item) => {
      const e = asRecord(item);
      return { line: num(e.line), error: str(e.error) };
    }),
  };
}

/** A whole-file rejection: the server's sentence and the report of what it found. */
export interface ImportRejection {
  message: string;
  report: ImportReport;
}

/** A 400 rejection of an import carries the report; other errors are rethrown by the caller. */
export function rejectionOf(error: unknown): ImportRejection | null {
  if (error instanceof ApiError && error.status === 400 && error.code === "import_rejected") {
    return { message: error.message, report: toImportReport(error.details) };
  }
  return null;
}

/** What an export's headers say about coverage: gaps in the range (X-Coverage-Gaps) and their names. */
export function coverageOfExport(headers: Headers): { count: number; note: string } | null {
  const count = Number(headers.get("X-Coverage-Gaps") ?? "0");
  return Number.isFinite(count) && count > 0 ? { count, note: headers.get("X-Coverage-Note") ?? "" } : null;
}

export const dataApi = {
  /** The file, its name header, and where raw events end when retention folded older ones (X-Aggregated-Before). */
  exportFile: async (query: string) => {
    const { blob, contentDisposition, headers } = await download(exportPath(query));
    const aggregated = Number(headers.get("X-Aggregated-Before") ?? "");
    return { blob, contentDisposition, headers, aggregatedBefore: Number.isFinite(aggregated) && aggregated > 0 ? aggregated : null };
  },
  importFile: (file: Blob, name: string, skipInvalid: boolean): Promise<ImportReport> =>
    upload(`/v0/management/usage/import${skipInvalid ? "?skipInvalid=1" : ""}`, {
      data: file,
      contentType: contentTypeFor(name),
    }).then(toImportReport),
};
