import { http } from "../../lib/http";
import { asRecord, str, strList } from "../../lib/wire";
import type { ServiceInfo, SetupResult } from "./types";

export function toServiceInfo(wire: unknown): ServiceInfo {
  const body = asRecord(wire);
  return { service: str(body.service), version: str(body.version), configured: body.configured === true };
}

export const authApi = {
  /** Public: tells whether the server already has a CPA URL and key. */
  info: (): Promise<ServiceInfo> => http.get("/usage-service/info", { anonymous: true }).then(toServiceInfo),

  /** Saves the CPA URL and key after the server has checked them against CPA. */
  setup: (cpaBaseUrl: string, managementKey: string): Promise<SetupResult> =>
    http.post("/setup", { cpaBaseUrl, managementKey }, { key: managementKey }).then((wire) => {
      const body = asRecord(wire);
      return { upstream: str(body.upstream), warnings: strList(body.warnings) };
    }),

  /** Resolves when the server accepts the key; rejects with ApiError 401 otherwise. */
  verify: (managementKey: string): Promise<void> =>
    http.get("/status", { key: managementKey }).then(() => undefined),
};
