import { cpaApi } from "../../lib/cpa/status";
import { http } from "../../lib/http";
import { browserTimeZone } from "../../lib/serviceStatus";
import { asRecord, num, str } from "../../lib/wire";
import { cpaRecentTraffic } from "./logic";
import type { Traffic } from "./types";

/** Requests stored per account (auth_index) in [startMs, endMs). */
async function collectedByAccount(startMs: number, endMs: number): Promise<Map<string, number>> {
  const query = new URLSearchParams({ by: "account", start: String(startMs), end: String(endMs), tz: browserTimeZone() });
  const wire = await http.get(`/v0/management/analytics/breakdown?${query.toString()}`);
  const items = asRecord(wire).items;
  const counts = new Map<string, number>();
  if (Array.isArray(items)) {
    for (const item of items) {
      const i = asRecord(item);
      counts.set(str(i.key), num(i.requests));
    }
  }
  return counts;
}

export const diagnosticsApi = {
  /**
   * CPA's recent per-account traffic (from /auth-files) against what we stored for the same accounts
   * over the same span. Only accounts CPA lists count on both sides, so API-key traffic (which CPA
   * does not count there) cannot hide a gap.
   */
  traffic: async (nowMs: number): Promise<Traffic | null> => {
    const files = await cpaApi.authFiles();
    const recent = cpaRecentTraffic(files);
    if (recent.windowMinutes === 0) return null;
    const collected = await collectedByAccount(nowMs - recent.windowMinutes * 60_000, nowMs + 60_000);
    const known = new Set(files.map((f) => f.authIndex));
    let ours = 0;
    for (const [authIndex, requests] of collected) if (known.has(authIndex)) ours += requests;
    return { windowMinutes: recent.windowMinutes, cpaRequests: recent.requests, collected: ours };
  },
};
