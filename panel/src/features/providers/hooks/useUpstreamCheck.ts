import { useCallback, useState } from "react";
import { apiCall } from "../../../lib/cpa/apiCall";
import type { Family } from "../../../lib/cpa/providers";
import { modelsRequest, parseModelIds, upstreamVerdict, type Credential, type UpstreamVerdict } from "../discovery";

export type CheckState =
  | { kind: "idle" }
  | { kind: "running" }
  | { kind: "noUrl" }
  | { kind: "done"; verdict: UpstreamVerdict; models: string[]; ms: number }
  /** CPA itself refused or could not reach the upstream; its own words. */
  | { kind: "failed"; error: unknown };

/** Asks the upstream for its model list through CPA's /api-call: the test and the discovery in one. */
export function useUpstreamCheck(family: Family): { state: CheckState; run: (credential: Credential) => Promise<void> } {
  const [state, setState] = useState<CheckState>({ kind: "idle" });
  const run = useCallback(
    async (credential: Credential) => {
      const request = modelsRequest(family, credential);
      if (!request) {
        setState({ kind: "noUrl" });
        return;
      }
      setState({ kind: "running" });
      const started = performance.now();
      try {
        const result = await apiCall(request);
        const verdict = upstreamVerdict(result);
        setState({ kind: "done", verdict, models: verdict.ok ? parseModelIds(result.body) : [], ms: Math.round(performance.now() - started) });
      } catch (error) {
        setState({ kind: "failed", error });
      }
    },
    [family],
  );
  return { state, run };
}
