import { fetchServiceStatus, type ServiceStatus } from "./serviceStatus";
import { useResource, type Resource } from "./useResource";

const REFRESH_MS = 10_000;

/**
 * /status, refreshed every 10 s; the shell owns it so the header and pages share one poll.
 * `serviceUrl` restarts the poll when the user connects another usage service.
 */
export function useServiceStatus(enabled: boolean, serviceUrl: string | null = null): Resource<ServiceStatus> {
  return useResource(
    () => (enabled ? fetchServiceStatus() : Promise.reject(new Error("no usage service"))),
    [enabled, serviceUrl],
    enabled ? REFRESH_MS : undefined,
  );
}
