/** Stored preferences that "Reset UI settings" clears: every panel key but the login and the usage service address. */
const KEPT = new Set(["cpa-manager:management-key", "cpa-manager:usage-service-url"]);

export function uiSettingKeys(keys: readonly string[]): string[] {
  return keys.filter((key) => key.startsWith("cpa-manager:") && !KEPT.has(key));
}

export function storageKeys(storage: Storage): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key !== null) keys.push(key);
  }
  return keys;
}

export function bundleFileName(now: Date): string {
  return `cpa-manager-diagnostics-${now.toISOString().slice(0, 19).replace(/:/g, "")}.json`;
}
