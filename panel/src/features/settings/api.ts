import { ApiError, currentAuthKey, http } from "../../lib/http";
import { fetchServiceInfo, fetchServiceStatus, type ServiceInfo, type ServiceStatus } from "../../lib/serviceStatus";
import { normalizeBaseUrl } from "../../lib/url";
import { toStorage, type Storage } from "./logic";

export const settingsApi = {
  /**
   * Public info of a usage service that is not connected yet; null when the address answers but has
   * no /usage-service/info (CPA's own address, say), which means it is not a usage service.
   */
  probe: (serviceUrl: string): Promise<ServiceInfo | null> =>
    fetchServiceInfo(normalizeBaseUrl(serviceUrl)).catch((cause: unknown) => {
      if (cause instanceof ApiError && cause.status === 404) return null;
      throw cause;
    }),

  /**
   * Points a usage service at this CPA with the session's key (POST {svc}/setup), then reads its
   * status. The service checks the key against CPA itself; a repeat with the same setup is a no-op there.
   */
  connect: async (serviceUrl: string, cpaBaseUrl: string): Promise<ServiceStatus> => {
    const base = normalizeBaseUrl(serviceUrl);
    const managementKey = currentAuthKey() ?? "";
    // An explicit key: the service refusing it must not sign the user out of CPA.
    await http.post("/setup", { cpaBaseUrl: normalizeBaseUrl(cpaBaseUrl), managementKey }, { base, key: managementKey });
    return fetchServiceStatus({ base, key: managementKey });
  },

  /** The database figures and the retention in force (GET /maintenance/storage). */
  storage: (): Promise<Storage> => http.get("/maintenance/storage").then(toStorage),

  /** Keep raw events `days` days (null: keep everything); answers with the new figures. */
  setRetention: (days: number | null): Promise<Storage> => http.put("/maintenance/retention", { days }).then(toStorage),
};
