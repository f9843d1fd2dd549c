/** Stored preferences pass a type guard on read, so a hand-edited or stale value falls back to the default. */

function storage(kind: "local" | "session"): Storage | null {
  try {
    return kind === "local" ? window.localStorage : window.sessionStorage;
  } catch {
    // Storage can throw (disabled cookies, sandboxed iframes); the panel still works without it.
    return null;
  }
}

export function readStored<T>(kind: "local" | "session", key: string, guard: (value: unknown) => value is T): T | null {
  const value = storage(kind)?.getItem(key) ?? null;
  return guard(value) ? value : null;
}

export function writeStored(kind: "local" | "session", key: string, value: string | null): void {
  const store = storage(kind);
  if (!store) return;
  try {
    if (value === null) store.removeItem(key);
    else store.setItem(key, value);
  } catch {
    // Quota or privacy mode: the preference just won't persist.
  }
}
