import { useCallback, useRef, useState } from "react";
import { getConfigYaml, putConfigYaml } from "../../../lib/cpa/config";
import { ApiError, CLIENT_CODES } from "../../../lib/http";
import { hasConflict, refusalLine, yamlProblems } from "../logic";

/**
 * Every save, from either tab: re-fetch CPA's file; refuse when it changed since the page loaded it
 * (offering reload-and-re-apply or overwrite-after-the-diff); show the diff of CPA's file against
 * what will be sent; check once more that CPA's file is still the diff's left side; PUT it;
 * re-fetch. A failure at any step leaves the edits where they were.
 */
export type SaveStep =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "conflict"; current: string }
  | { kind: "review"; current: string; next: string; overwrite: boolean }
  | { kind: "saving"; current: string; next: string }
  | { kind: "refused"; message: string; line: number | null; lineText: string | null }
  | { kind: "interrupted"; stage: "check" | "save" | "reload"; error: unknown }
  | { kind: "reapplied" }
  | { kind: "saved" };

export interface SaveFlowOptions {
  /** The file as the page loaded it. */
  loaded: string | null;
  /** What the user's edits make; only called while they are valid. */
  pending: () => string;
  onSaved: (fresh: string) => void;
  onReapply: (current: string) => void;
}

export interface SaveFlow {
  step: SaveStep;
  save: () => void;
  confirm: () => void;
  overwrite: () => void;
  reapply: () => void;
  retry: () => void;
  cancel: () => void;
}

/** CPA Manager's proxy answers 502 with this code when CPA dropped the connection or could not be reached. */
const PROXY_UNREACHABLE = "cpa_unreachable";

/** The request or its answer was lost on the way: CPA may or may not have applied it. */
function isNetwork(error: unknown): boolean {
  return error instanceof ApiError && (error.code === CLIENT_CODES.network || error.code === PROXY_UNREACHABLE);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function useSaveFlow({ loaded, pending, onSaved, onReapply }: SaveFlowOptions): SaveFlow {
  const [step, setStep] = useState<SaveStep>({ kind: "idle" });
  // The text of a PUT whose answer never came: if CPA now holds exactly it, that save went through.
  const unconfirmed = useRef<string | null>(null);

  const reloadAfterSave = useCallback(async () => {
    try {
      const fresh = await getConfigYaml();
      onSaved(fresh);
      setStep({ kind: "saved" });
    } catch (error) {
      setStep({ kind: "interrupted", stage: "reload", error });
    }
  }, [onSaved]);

  const save = useCallback(async () => {
    if (loaded === null) return;
    setStep({ kind: "checking" });
    let current: string;
    try {
      current = await getConfigYaml();
    } catch (error) {
      setStep({ kind: "interrupted", stage: "check", error });
      return;
    }
    if (unconfirmed.current !== null && current === unconfirmed.current) {
      unconfirmed.current = null;
      onSaved(current);
      setStep({ kind: "saved" });
      return;
    }
    if (hasConflict(loaded, current)) {
      setStep({ kind: "conflict", current });
      return;
    }
    setStep({ kind: "review", current, next: pending(), overwrite: false });
  }, [loaded, pending, onSaved]);

  const confirm = useCallback(async () => {
    if (step.kind !== "review") return;
    const { current, next } = step;
    // Never send what does not parse; the page blocks this earlier, this is the last line.
    const problem = yamlProblems(next)[0];
    if (problem) {
      setStep({ kind: "refused", message: problem.message, line: problem.line, lineText: next.split("\n")[problem.line - 1] ?? null });
      return;
    }
    setStep({ kind: "saving", current, next });
    // CPA may have changed while the diff was open: the left side must still be CPA's copy.
    try {
      const latest = await getConfigYaml();
      if (latest !== current) {
        setStep({ kind: "conflict", current: latest });
        return;
      }
    } catch (error) {
      setStep({ kind: "interrupted", stage: "check", error });
      return;
    }
    unconfirmed.current = next;
    try {
      await putConfigYaml(next);
    } catch (error) {
      if (isNetwork(error)) {
        setStep({ kind: "interrupted", stage: "save", error });
        return;
      }
      unconfirmed.current = null;
      const message = messageOf(error);
      const line = refusalLine(message, next);
      setStep({ kind: "refused", message, line, lineText: line === null ? null : (next.split("\n")[line - 1] ?? null) });
      return;
    }
    unconfirmed.current = null;
    await reloadAfterSave();
  }, [step, reloadAfterSave]);

  const overwrite = useCallback(() => {
    if (step.kind !== "conflict") return;
    setStep({ kind: "review", current: step.current, next: pending(), overwrite: true });
  }, [step, pending]);

  const reapply = useCallback(() => {
    if (step.kind !== "conflict") return;
    onReapply(step.current);
    setStep({ kind: "reapplied" });
  }, [step, onReapply]);

  const retry = useCallback(() => {
    if (step.kind === "interrupted" && step.stage === "reload") void reloadAfterSave();
    else void save();
  }, [step, save, reloadAfterSave]);

  const cancel = useCallback(() => setStep({ kind: "idle" }), []);

  return {
    step,
    save: () => void save(),
    confirm: () => void confirm(),
    overwrite,
    reapply,
    retry,
    cancel,
  };
}
