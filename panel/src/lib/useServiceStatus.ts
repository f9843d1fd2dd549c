import { fetchServiceStatus, type ServiceStatus } from "./serviceStatus";
import { useResource, type Resource } from "./useResource";

const REFRESH_MS = 10_000;

/** /status, refreshed every 10 s; the shell owns it so the header and dashboard share one poll. */
export function useServiceStatus(enabled: boolean): Resource<ServiceStatus> {
  return useResource(
    () => (enabled ? fetchServiceStatus() : Promise.reject(new Error("not signed in"))),
    [enabled],
    enabled ? REFRESH_MS : undefined,
  );
}
