import { useCallback } from "react";
import { getFamily, putFamily, reportedFamilies, type Family, type ProviderEntry } from "../../../lib/cpa/providers";
import { useResource, type Resource } from "../../../lib/useResource";
import { applyEntryChange, type EntryChange } from "../logic";

export interface FamilyList {
  family: Family;
  entries: ProviderEntry[];
}

/** "changed" carries CPA's current list, so a refused edit can be re-applied to it at once. */
export type SaveResult = { kind: "saved" } | { kind: "duplicate" } | { kind: "changed"; current: ProviderEntry[] };

/** Every family this CPA serves (a family it answers 404 for is left out), in the page's order. */
async function loadAll(): Promise<FamilyList[]> {
  const families = await reportedFamilies();
  const lists = await Promise.all(families.map((family) => getFamily(family)));
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
