import { describe, expect, it } from "vitest";
import { setFetch } from "../../lib/http";
import { json } from "../../testing/fakeServer";
import { monitoringApi } from "./api";
import { emptyFilters } from "./logic";

const CUTOFF = Date.UTC(2026, 9, 1);

describe("the aggregated range (retention)", () => {
  it("keeps where raw events end only for windows that reach back before it", async () => {
    setFetch(async (input) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      return url.includes("/failures?")
        ? json({ total: 0, byStatus: [], byReason: [], aggregatedBefore: CUTOFF })
        : json({ events: [], nextBefore: null, newest: null, aggregatedBefore: CUTOFF });
    });
    const older = { start: CUTOFF - 86_400_000, end: CUTOFF + 86_400_000 };
    const newer = { start: CUTOFF + 3_600_000, end: CUTOFF + 86_400_000 };
    const filters = emptyFilters();
    expect((await monitoringApi.events(older, "UTC", filters, { limit: 10 })).aggregatedBefore).toBe(CUTOFF);
    expect((await monitoringApi.events(newer, "UTC", filters, { limit: 10 })).aggregatedBefore).toBeNull();
    expect((await monitoringApi.failures(older, "UTC", filters)).aggregatedBefore).toBe(CUTOFF);
    expect((await monitoringApi.failures(newer, "UTC", filters)).aggregatedBefore).toBeNull();
  });
});
