import { ApiError, currentAuthKey, http } from "../../lib/http";
import { fetchServiceInfo, fetchServiceStatus, type ServiceInfo, type ServiceStatus } from "../../lib/serviceStatus";
import { normalizeBaseUrl } from "../../lib/url";
import { toStorage, type Storage } from "./logic";

/** The tray's two opt-in quota notifications (GET/PUT /quota/notifications on the usage service). */
export interface QuotaNotifications {
  onReset: boolean;
  onProviderExhausted: boolean;
}

export function toQuotaNotifications(body: unknown): QuotaNotifications {
  const value = (body ?? {}) as Record<string, unknown>;
  return { onReset: value.on_reset === true, onProviderExhausted: value.on_provider_exhausted === true };
}

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

  quotaNotifications: async (): Promise<QuotaNotifications> => toQuotaNotifications(await http.get("/quota/notifications")),

  /** Changes the switches given; answers the state the service saved. */
  setQuotaNotifications: async (change: Partial<QuotaNotifications>): Promise<QuotaNotifications> => {
    const body: Record<string, boolean> = {};
    if (change.onReset !== undefined) body.on_reset = change.onReset;
    if (change.onProviderExhausted !== undefined) body.on_provider_exhausted = change.onProviderExhausted;
    return toQuotaNotifications(await http.put("/quota/notifications", body));
  },

  /** The database figures and the retention in force (GET /maintenance/storage). */
  storage: (): Promise<Storage> => http.get("/maintenance/storage").then(toStorage),

  /** Keep raw events `days` days (null: keep everything); answers with the new figures. */
  setRetention: (days: number | null): Promise<Storage> => http.put("/maintenance/retention", { days }).then(toStorage),
};
