import { cpaApi, type CpaConfig } from "./cpa/status";
import { useResource, type Resource } from "./useResource";

const REFRESH_MS = 60_000;

/** CPA's config and version, refreshed every minute; the shell owns it, pages get it passed down. */
export function useCpaConfig(): Resource<CpaConfig> {
  return useResource(() => cpaApi.config(), [], REFRESH_MS);
}
