import { createContext, useContext } from "react";
import { ApiError } from "./http";
import { readStored, writeStored } from "./preferences";
import { fetchServiceInfo, isUsageService, type ServiceInfo } from "./serviceStatus";

/**
 * Where the panel runs. "full": served by CPA Manager, which is both the usage service and a proxy
 * to CPA. "cpa": dropped into CPA as its management.html; CPA is this origin and the usage service
 * is an optional external URL the user connects under Settings.
 */
export type PanelMode = "full" | "cpa";

export interface Connection {
  mode: PanelMode;
  /** The external usage service (CPA panel mode only); null when none is connected. */
  usageServiceUrl: string | null;
  /** Whether usage, price and status calls have somewhere to go. */
  hasUsageService: boolean;
  setUsageServiceUrl: (url: string | null) => void;
}

export const ConnectionContext = createContext<Connection>({
  mode: "full",
  usageServiceUrl: null,
  hasUsageService: true,
  setUsageServiceUrl: () => undefined,
});

export function useConnection(): Connection {
  return useContext(ConnectionContext);
}

/** Not a secret (the key is kept apart), so it is remembered across sessions like a preference. */
const USAGE_SERVICE_KEY = "cpa-manager:usage-service-url";

function isUrl(value: unknown): value is string {
  return typeof value === "string" && /^https?:\/\/\S+$/i.test(value);
}

export function loadUsageServiceUrl(): string | null {
  return readStored("local", USAGE_SERVICE_KEY, isUrl);
}

export function storeUsageServiceUrl(url: string | null): void {
  writeStored("local", USAGE_SERVICE_KEY, url);
}

export type Detection = { mode: "full"; info: ServiceInfo } | { mode: "cpa"; info: null };

/**
 * Asks this origin who it is (explicitly: in CPA panel mode the usage calls go elsewhere). A usage service answers /usage-service/info; CPA answers 404 (or
 * anything that is not a usage service), which means the panel was dropped into CPA. Only a
 * network failure is an error: then nobody answered at all.
 */
export async function detectMode(fetchInfo: () => Promise<ServiceInfo> = () => fetchServiceInfo("")): Promise<Detection> {
  try {
    const info = await fetchInfo();
    return isUsageService(info) ? { mode: "full", info } : { mode: "cpa", info: null };
  } catch (error) {
    if (error instanceof ApiError && error.status !== 0) return { mode: "cpa", info: null };
    throw error;
  }
}
