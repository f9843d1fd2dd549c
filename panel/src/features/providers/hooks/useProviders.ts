import { useCallback } from "react";
import { extraFamilies, getFamily, KNOWN_FAMILIES, putFamily, type Family, type ProviderEntry } from "../../../lib/cpa/providers";
import { useResource, type Resource } from "../../../lib/useResource";
import { applyEntryChange, type EntryChange } from "../logic";

export interface FamilyList {
  family: Family;
  entries: ProviderEntry[];
}

/** "changed" carries CPA's current list, so a refused edit can be re-applied to it at once. */
export type SaveResult = { kind: "saved" } | { kind: "duplicate" } | { kind: "changed"; current: ProviderEntry[] };

/**
 * Every family this CPA serves (a family it answers 404 for is left out), in the page's order. The known
 * families are asked for at once, beside /config, which names any others.
 */
async function loadAll(): Promise<FamilyList[]> {
  const [known, extra] = await Promise.all([
    Promise.all(KNOWN_FAMILIES.map((family) => getFamily(family))),
    extraFamilies(),
  ]);
  const more = await Promise.all(extra.map((family) => getFamily(family)));
  const families: Family[] = [...KNOWN_FAMILIES, ...extra];
  const lists = [...known, ...more];
  return families.flatMap((family, i) => {
    const entries = lists[i];
    return entries ? [{ family, entries }] : [];
  });
}

export interface Providers {
  resource: Resource<FamilyList[]>;
  /**
   * Read-modify-write: fetches the family's list from CPA, applies the one change if its target is
   * still there unchanged, and PUTs the whole list back, so edits made elsewhere meanwhile are kept.
   */
  save: (family: Family, change: EntryChange) => Promise<SaveResult>;
}

export function useProviders(): Providers {
  const resource = useResource(loadAll, []);
  const { reload } = resource;
  const save = useCallback(
    async (family: Family, change: EntryChange): Promise<SaveResult> => {
      const current = (await getFamily(family)) ?? [];
      const plan = applyEntryChange(current, change);
      if (!plan.ok) {
        reload();
        return plan.reason === "changed" ? { kind: "changed", current } : { kind: "duplicate" };
      }
      await putFamily(family, plan.entries);
      reload();
      return { kind: "saved" };
    },
    [reload],
  );
  return { resource, save };
}
