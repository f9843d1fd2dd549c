import { describe, expect, it } from "vitest";
import { coverageOfExport } from "./api";

describe("coverageOfExport", () => {
  it("reads the gaps an export's headers name", () => {
    const headers = new Headers({ "X-Coverage-Gaps": "2", "X-Coverage-Note": "paused 2026-12-06T10:01:00Z/2026-12-06T10:10:00Z; not_running 2026-12-06T11:00:00Z/.." });
    expect(coverageOfExport(headers)).toEqual({
      count: 2,
      note: "paused 2026-12-06T10:01:00Z/2026-12-06T10:10:00Z; not_running 2026-12-06T11:00:00Z/..",
    });
  });

  it("is null for a range collected in full (or a service that sends no such header)", () => {
    expect(coverageOfExport(new Headers())).toBeNull();
    expect(coverageOfExport(new Headers({ "X-Coverage-Gaps": "nonsense" }))).toBeNull();
  });
});
