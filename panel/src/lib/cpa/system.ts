import { asRecord, str } from "../wire";
import { cpaJson, type CpaTree } from "./client";
import { parseCpaVersion } from "./version";

/** CPA's newest release as CPA itself looks it up on GitHub (cpa-management-api §1.5; v8: /server/latest-version). */
export async function latestCpaVersion(tree: CpaTree): Promise<string> {
  const path = tree === "v8" ? "/server/latest-version" : "/latest-version";
  return str(asRecord((await cpaJson("GET", path, { tree })).body)["latest-version"]);
}

/** Whether `latest` is a newer release than `current`; null when either is not a version ("dev", empty). */
export function isNewerRelease(latest: string, current: string): boolean | null {
  const a = parseCpaVersion(latest);
  const b = parseCpaVersion(current);
  if (a.major === null || b.major === null) return null;
  if (a.major !== b.major) return a.major > b.major;
  if (a.minor !== b.minor) return a.minor > b.minor;
  return a.patch > b.patch;
}

/** CPA's runtime config as it came (plaintext keys included): only for redaction into a diagnostic bundle. */
export async function rawCpaConfig(): Promise<unknown> {
  return (await cpaJson("GET", "/config")).body;
}
