import { useCallback, useState } from "react";
import { getClientKeys, getKeyNames, hashKeys, patchKeyNames, putClientKeys, sha256Hex } from "../../../lib/cpa/keys";
import { useResource, type Resource } from "../../../lib/useResource";
import { planKeyWrite, type KeyChange } from "../logic";

export interface KeysData {
  keys: string[];
  /** key → sha256 hex (the id CPA's names and our usage store use). */
  hashes: Map<string, string>;
  /** hash → display name (v8 only; empty before v8). */
  names: Record<string, string>;
}

/** A change the page could not save because CPA's list changed since it loaded; kept for re-applying. */
export interface PendingChange {
  change: KeyChange;
  name: string | undefined;
}

export type SaveOutcome = "saved" | "conflict" | "missing" | "duplicate";

/** The key list was saved but the display name (a second request) was not. */
export class NameNotSaved extends Error {
  readonly cause: unknown;
  constructor(cause: unknown) {
    super("name not saved");
    this.cause = cause;
  }
}

async function load(hasV8: boolean): Promise<KeysData> {
  const [keys, names] = await Promise.all([getClientKeys(), hasV8 ? getKeyNames() : Promise.resolve({})]);
  return { keys, hashes: await hashKeys(keys), names };
}

export interface ClientKeys {
  resource: Resource<KeysData>;
  conflict: PendingChange | null;
  /** Fetches CPA's list, applies the change if the list is unchanged (or `reapply`), saves, reloads. */
  save: (change: KeyChange, name: string | undefined, reapply?: boolean) => Promise<SaveOutcome>;
  rename: (key: string, name: string) => Promise<void>;
  dismissConflict: () => void;
}

export function useClientKeys(hasV8: boolean): ClientKeys {
  const resource = useResource(() => load(hasV8), [hasV8]);
  const [conflict, setConflict] = useState<PendingChange | null>(null);
  const loaded = resource.data?.keys ?? null;
  const { reload } = resource;

  const save = useCallback(
    async (change: KeyChange, name: string | undefined, reapply = false): Promise<SaveOutcome> => {
      const current = await getClientKeys();
      const plan = planKeyWrite(current, loaded ?? current, change, reapply);
      if (!plan.ok) {
        if (plan.reason === "changed") {
          setConflict({ change, name });
          reload();
          return "conflict";
        }
        return plan.reason;
      }
      await putClientKeys(plan.keys);
      setConflict(null);
      try {
        // An empty name would be stored as CPA's tombstone for a key that never had a name.
        if (hasV8 && name !== undefined && name !== "" && change.kind !== "delete") {
          const key = change.kind === "add" ? change.key : change.to;
          await patchKeyNames({ [await sha256Hex(key)]: name });
        }
      } catch (error) {
        throw new NameNotSaved(error);
      } finally {
        reload();
      }
      return "saved";
    },
    [loaded, hasV8, reload],
  );

  const rename = useCallback(
    async (key: string, name: string) => {
      await patchKeyNames({ [await sha256Hex(key)]: name });
      reload();
    },
    [reload],
  );

  return { resource, conflict, save, rename, dismissConflict: useCallback(() => setConflict(null), []) };
}
