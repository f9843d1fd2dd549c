import { useCallback } from "react";
import { getAmpcode, putAmpField, type AmpcodeSettings, type AmpField } from "../../../lib/cpa/ampcode";
import { useResource, type Resource } from "../../../lib/useResource";
import { ampConflicts, changedAmpFields } from "../logic";

export type AmpSaveResult = { kind: "saved"; fields: AmpField[] } | { kind: "changed"; fields: AmpField[] };

/** The Ampcode section, saved part by part: only the parts edited, and only if CPA's copy of them is as loaded. */
export function useAmpcode(): { resource: Resource<AmpcodeSettings>; save: (edited: AmpcodeSettings) => Promise<AmpSaveResult> } {
  const resource = useResource(getAmpcode, []);
  const loaded = resource.data;
  const { reload } = resource;
  const save = useCallback(
    async (edited: AmpcodeSettings): Promise<AmpSaveResult> => {
      if (!loaded) return { kind: "saved", fields: [] };
      const fields = changedAmpFields(loaded, edited);
      const current = await getAmpcode();
      const conflicts = ampConflicts(loaded, current, fields);
      if (conflicts.length > 0) {
        reload();
        return { kind: "changed", fields: conflicts };
      }
      for (const field of fields) await putAmpField(field, edited);
      reload();
      return { kind: "saved", fields };
    },
    [loaded, reload],
  );
  return { resource, save };
}
