import { cpaHttp, requestWithHeaders } from "../http";
import { asRecord, boolOrNull, num, numOrNull, str } from "../wire";

/** What the panel reads from CPA's own management API; features share it, so it lives here. */

export interface CpaConfig {
  version: string;
  buildDate: string;
  /** null when this CPA does not say (older versions). */
  usageStatisticsEnabled: boolean | null;
  queueRetentionSeconds: number | null;
}

export interface AuthFile {
  authIndex: string;
  name: string;
  /** The readable account name CPA shows: the e-mail, project id or file label. */
  label: string;
  provider: string;
  disabled: boolean;
  /** Requests CPA served with this account in its recent 10-minute buckets... */
  recentRequests: number;
  /** ...which span this many minutes (0 when CPA sent none). */
  recentWindowMinutes: number;
}

/** CPA counts an account's recent requests in buckets of this many minutes. */
const RECENT_BUCKET_MINUTES = 10;

/** CPA's version headers; the x-server-* names are older CPAs'. */
export function versionFrom(headers: Headers): { version: string; buildDate: string } {
  return {
    version: headers.get("X-CPA-VERSION") ?? headers.get("x-server-version") ?? "",
    buildDate: headers.get("X-CPA-BUILD-DATE") ?? headers.get("x-server-build-date") ?? "",
  };
}

export function toCpaConfig(wire: unknown, headers: Headers): CpaConfig {
  const body = asRecord(wire);
  return {
    ...versionFrom(headers),
    usageStatisticsEnabled: boolOrNull(body["usage-statistics-enabled"]),
    queueRetentionSeconds: numOrNull(body["redis-usage-queue-retention-seconds"]),
  };
}

function recentCount(value: unknown): number {
  if (!Array.isArray(value)) return 0;
  return value.reduce<number>((sum, bucket) => {
    const b = asRecord(bucket);
    return sum + num(b.success) + num(b.failed);
  }, 0);
}

export function toAuthFiles(wire: unknown): AuthFile[] {
  const files = asRecord(wire).files;
  if (!Array.isArray(files)) return [];
  return files
    .map((file) => {
      const f = asRecord(file);
      return {
        authIndex: str(f.auth_index),
        name: str(f.name),
        label: str(f.email) || str(f.label) || str(f.account) || str(f.project_id) || str(f.name),
        provider: str(f.provider) || str(f.type),
        disabled: f.disabled === true,
        recentRequests: recentCount(f.recent_requests),
        recentWindowMinutes: Array.isArray(f.recent_requests) ? f.recent_requests.length * RECENT_BUCKET_MINUTES : 0,
      };
    })
    .filter((file) => file.authIndex !== "");
}

export const cpaApi = {
  config: async (options: { key?: string } = {}): Promise<CpaConfig> => {
    const { body, headers } = await requestWithHeaders("GET", "/v0/management/config", { ...options, target: "cpa" });
    return toCpaConfig(body, headers);
  },

  authFiles: (): Promise<AuthFile[]> => cpaHttp.get("/v0/management/auth-files").then(toAuthFiles),

  enableUsageStatistics: (): Promise<void> =>
    cpaHttp.put("/v0/management/usage-statistics-enabled", { value: true }).then(() => undefined),
};
