import { cpaOverviewApi, type CpaSettingsSummary, type CredentialHealth } from "../../../lib/cpa/overview";
import { useResource, type Resource } from "../../../lib/useResource";

const REFRESH_MS = 60_000;

export interface CpaOverview {
  settings: Resource<CpaSettingsSummary>;
  credentials: Resource<CredentialHealth>;
  /** The model ids, or "noClientKey" when CPA has no client key to ask with. */
  models: Resource<string[] | "noClientKey">;
}

/**
 * CPA's side of the dashboard: the config and the credentials are asked for at once; the model list
 * follows as soon as the config names a client key. Each is its own resource, so one failing call
 * greys only its own card.
 */
export function useCpaOverview(): CpaOverview {
  const settings = useResource(cpaOverviewApi.settings, [], REFRESH_MS);
  const credentials = useResource(cpaOverviewApi.credentials, [], REFRESH_MS);
  const key = settings.data?.firstClientKey;
  const settingsError = settings.error;
  const models = useResource<string[] | "noClientKey">(
    async () => {
      if (settingsError) throw settingsError;
      if (key === undefined) return new Promise<never>(() => undefined);
      return key === null ? "noClientKey" : cpaOverviewApi.models(key);
    },
    [key, settingsError],
  );
  return { settings, credentials, models };
}
