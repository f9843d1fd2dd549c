import { ApiError } from "../http";
import { cpaJson } from "./client";
import { isAtLeast, parseCpaVersion, type CpaVersion } from "./version";

/**
 * What the connected CPA can do, so one page serves every version from v6.10 to v8. Each flag is
 * decided by the version header when CPA sends a real one, and by a harmless probe when it does not
 * ("dev" builds, proxies that drop headers).
 */
export interface CpaCapabilities {
  version: CpaVersion;
  buildDate: string;
  /** The /v8/management tree: the nested config, bare JSON values, client-key names. */
  hasV8: boolean;
  /** Ampcode routes (removed in v7.2.0). */
  hasAmpcode: boolean;
  /** From v8.0.33 a credential's own excluded-models list replaces the global one instead of adding to it. */
  credentialExclusionsReplaceGlobal: boolean;
}

function headerVersion(headers: Headers): { version: CpaVersion; buildDate: string } {
  return {
    version: parseCpaVersion(headers.get("X-CPA-VERSION") ?? headers.get("x-server-version") ?? ""),
    buildDate: headers.get("X-CPA-BUILD-DATE") ?? headers.get("x-server-build-date") ?? "",
  };
}

/**
 * A route exists when CPA answers it; CPA answers an unknown management route with 404 and an empty
 * body, while a v8 node that is merely missing is a 404 with a JSON error (cpa-v8.md §8).
 */
async function answers(path: string, tree: "v0" | "v8"): Promise<boolean> {
  try {
    await cpaJson("GET", path, { tree });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return error.details !== null;
    throw error;
  }
}

export async function detectCapabilities(): Promise<CpaCapabilities> {
  const { headers } = await cpaJson("GET", "/config");
  const { version, buildDate } = headerVersion(headers);
  const v8ByVersion = isAtLeast(version, 8);
  const hasV8 = v8ByVersion ?? (await answers("/config", "v8"));
  const ampcodeGone = isAtLeast(version, 7, 2, 0);
  const hasAmpcode = ampcodeGone === null ? await answers("/ampcode/upstream-url", "v0") : !ampcodeGone;
  return {
    version,
    buildDate,
    hasV8,
    hasAmpcode,
    credentialExclusionsReplaceGlobal: isAtLeast(version, 8, 0, 33) ?? false,
  };
}
