// The price converters on answers captured from the real server (see tests/test_panel_contract_usage.py).
import { describe, expect, it } from "vitest";
import listFixture from "../../lib/fixtures/prices-list.json";
import saveFixture from "../../lib/fixtures/prices-save.json";
import syncFixture from "../../lib/fixtures/prices-sync.json";
import { toPriceList, toPrices, toSyncReport } from "./api";

type WirePrices = Record<string, { input: number; output: number; cacheRead: number | null; cacheWrite: number | null; source: string; updatedAt: number }>;

function expected(prices: WirePrices) {
  return Object.entries(prices).map(([model, p]) => ({
    model,
    input: p.input,
    output: p.output,
    cacheRead: p.cacheRead,
    cacheWrite: p.cacheWrite,
    source: p.source,
    updatedAt: p.updatedAt,
  }));
}

describe("price converters on the server's answers", () => {
  it("reads the stored prices, with cache prices that may be null", () => {
    const prices = toPrices(listFixture);
    expect(prices).toEqual(expected(listFixture.prices));
    expect(prices.some((p) => p.cacheRead === null) && prices.some((p) => p.cacheWrite !== null)).toBe(true);
    expect(prices.every((p) => p.updatedAt > 0)).toBe(true);
  });

  it("reads the shipped defaults and their date next to the stored prices", () => {
    const list = toPriceList(listFixture);
    expect(list.prices).toEqual(expected(listFixture.prices));
    expect(list.defaults).toEqual({ generated: listFixture.defaults.generated, prices: expected(listFixture.defaults.prices) });
    expect(list.defaults.generated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(list.defaults.prices.length).toBeGreaterThan(0);
    expect(list.defaults.prices.every((p) => p.source === "default")).toBe(true);
    // The stored prices the fixture pins are the user's own: the label the page shows for "manual".
    expect(list.prices.every((p) => p.source === "manual")).toBe(true);
  });

  it("reads the prices a save answers with", () => {
    expect(toPrices(saveFixture)).toEqual(expected(saveFixture.prices));
  });

  it("reads a sync's report", () => {
    const f = syncFixture;
    expect(toSyncReport(f)).toEqual({ source: f.source, imported: f.imported, skipped: f.skipped, unmatched: f.unmatched });
    expect(f.imported).toBeGreaterThan(0);
  });
});
