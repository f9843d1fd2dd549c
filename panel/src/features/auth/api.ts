import { cpaApi } from "../../lib/cpa/status";
import type { PanelMode } from "../../lib/connection";
import { http } from "../../lib/http";
import { fetchServiceStatus } from "../../lib/serviceStatus";
import { asRecord, str, strList } from "../../lib/wire";
import type { SetupResult } from "./types";

export const authApi = {
  /** Saves the CPA URL and key after the server has checked them against CPA (full mode). */
  setup: (cpaBaseUrl: string, managementKey: string): Promise<SetupResult> =>
    http.post("/setup", { cpaBaseUrl, managementKey }, { key: managementKey }).then((wire) => {
      const body = asRecord(wire);
      return { upstream: str(body.upstream), warnings: strList(body.warnings) };
    }),

  /**
   * Resolves when the key is accepted; rejects with ApiError 401 otherwise. Full mode asks CPA Manager
   * (which compares it with the saved key without bothering CPA); CPA panel mode asks CPA itself.
   */
  verify: (managementKey: string, mode: PanelMode): Promise<void> =>
    mode === "full"
      ? fetchServiceStatus({ key: managementKey }).then(() => undefined)
      : cpaApi.config({ key: managementKey }).then(() => undefined),
};
