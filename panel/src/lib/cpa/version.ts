/**
 * CPA's version as it reports it in X-CPA-VERSION: "7.2.140" from release archives, "v7.2.140" from
 * Docker images, "dev" from source builds, nothing from very old ones (cpa-v8.md §8).
 */
export interface CpaVersion {
  /** The header as sent ("" when absent). */
  raw: string;
  /** null when the version is unknown ("dev", absent or unparseable). */
  major: number | null;
  minor: number;
  patch: number;
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/i;

export function parseCpaVersion(raw: string): CpaVersion {
  const match = VERSION.exec(raw.trim());
  if (!match) return { raw, major: null, minor: 0, patch: 0 };
  return { raw, major: Number(match[1]), minor: Number(match[2] ?? 0), patch: Number(match[3] ?? 0) };
}

/** Whether `version` is at least major.minor.patch; null when the version is unknown. */
export function isAtLeast(version: CpaVersion, major: number, minor = 0, patch = 0): boolean | null {
  if (version.major === null) return null;
  if (version.major !== major) return version.major > major;
  if (version.minor !== minor) return version.minor > minor;
  return version.patch >= patch;
}
