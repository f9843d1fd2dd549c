import { http } from "../../lib/http";
import { asRecord, num, numOrNull, str, strList, list } from "../../lib/wire";
import type { BuiltInPrices, ModelPrice, PriceList, SaveBody, SeenModel, SyncReport } from "./types";

const BASE = "/v0/management/model-prices";

function toPriceMap(wire: unknown): ModelPrice[] {
  return Object.entries(asRecord(wire)).map(([model, value]) => {
    const p = asRecord(value);
    return {
      model,
      input: num(p.input),
      output: num(p.output),
      cacheRead: numOrNull(p.cacheRead),
      cacheWrite: numOrNull(p.cacheWrite),
      source: str(p.source),
      updatedAt: num(p.updatedAt),
    };
  });
}

export function toPrices(wire: unknown): ModelPrice[] {
  return toPriceMap(asRecord(wire).prices);
}

export function toBuiltIn(wire: unknown): BuiltInPrices {
  const body = asRecord(wire);
  return { generated: str(body.generated), prices: toPriceMap(body.prices) };
}

export function toPriceList(wire: unknown): PriceList {
  return { prices: toPrices(wire), defaults: toBuiltIn(asRecord(wire).defaults) };
}

export function toSyncReport(wire: unknown): SyncReport {
  const body = asRecord(wire);
  return {
    source: str(body.source),
    imported: num(body.imported),
    skipped: num(body.skipped),
    unmatched: strList(body.unmatched),
  };
}

export function toSeenModels(wire: unknown): SeenModel[] {
  const items = asRecord(wire).items;
  return list(items).map((item) => {
    const i = asRecord(item);
    return { model: str(i.key), requests: num(i.requests), unpricedRequests: num(asRecord(i.unpriced).requests) };
  });
}

export const pricesApi = {
  list: (): Promise<PriceList> => http.get(BASE).then(toPriceList),
  save: (body: SaveBody): Promise<ModelPrice[]> => http.put(BASE, body).then(toPrices),
  sync: (): Promise<SyncReport> => http.post(`${BASE}/sync`, {}).then(toSyncReport),
  /** Every model in the stored history (no range: all time). */
  seenModels: (): Promise<SeenModel[]> => http.get("/v0/management/analytics/breakdown?by=model").then(toSeenModels),
};
