import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { getConfigYaml } from "../../../lib/cpa/config";
import { checkDraft, type Draft, type FieldId, type FieldProblem, type Layout } from "../fields";
import {
  applyDrafts,
  changedFields,
  detectLayout,
  parseConfig,
  readDrafts,
  reapplySource,
  yamlProblems,
  type Drafts,
  type YamlProblem,
} from "../logic";

export type Tab = "visual" | "source";

/**
 * The page's copy of config.yaml and the user's edits to it.
 *
 * - `loaded`: the file as CPA last sent it (what a save compares CPA's current copy with).
 * - `working`: the text the edits start from: `loaded`, plus Source edits carried over to the
 *   Visual tab (switching tabs commits the tab's edits into it).
 * - the Visual tab's form (`drafts`, compared with the fields `working` holds) or the Source tab's text.
 */
export function useConfigDocument(tab: Tab) {
  const [loaded, setLoaded] = useState<string | null>(null);
  const [working, setWorking] = useState("");
  const [drafts, setDrafts] = useState<Drafts | null>(null);
  const [source, setSource] = useState("");
  const [loadError, setLoadError] = useState<unknown>(null);
  const token = useRef(0);

  const base = useMemo(() => {
    const doc = parseConfig(working);
    return { drafts: readDrafts(doc), layout: detectLayout(doc) as Layout, broken: doc.errors.length > 0 };
  }, [working]);

  const adopt = useCallback((text: string) => {
    setLoaded(text);
    setWorking(text);
    setSource(text);
    setDrafts(readDrafts(parseConfig(text)));
  }, []);

  const load = useCallback(() => {
    const mine = ++token.current;
    setLoadError(null);
    getConfigYaml().then(
      (text) => mine === token.current && adopt(text),
      (error: unknown) => mine === token.current && setLoadError(error),
    );
  }, [adopt]);

  useEffect(() => {
    load();
    return () => {
      // A request counter, not a DOM node: bumping it drops a response that arrives after unmount.
      // eslint-disable-next-line react-hooks/exhaustive-deps
      token.current++;
    };
  }, [load]);

  const edited: FieldId[] = useMemo(() => (drafts ? changedFields(base.drafts, drafts) : []), [base.drafts, drafts]);
  const problems = useMemo(() => {
    const found: Partial<Record<FieldId, FieldProblem>> = {};
    for (const id of edited) {
      const problem = drafts ? checkDraft(id, drafts[id]) : null;
      if (problem) found[id] = problem;
    }
    return found;
  }, [edited, drafts]);
  const payloadProblem: YamlProblem | null = useMemo(
    () => (drafts && edited.includes("payload") ? (yamlProblems(drafts.payload as string)[0] ?? null) : null),
    [drafts, edited],
  );
  const sourceProblems = useMemo(() => (tab === "source" ? yamlProblems(source) : []), [tab, source]);

  const edits = useCallback((): Partial<Drafts> => {
    const out: Partial<Drafts> = {};
    if (drafts) for (const id of edited) out[id] = drafts[id];
    return out;
  }, [drafts, edited]);

  // A file that does not parse (edited by hand elsewhere) can only be mended in the Source tab.
  const valid =
    tab === "visual" ? !base.broken && Object.keys(problems).length === 0 && payloadProblem === null : sourceProblems.length === 0;
  const dirty =
    loaded !== null && (working !== loaded || (tab === "visual" ? edited.length > 0 : source !== working));

  /** The text a save would send, built on the working copy; only call while `valid`. */
  const pending = useCallback(
    (): string => (tab === "visual" ? (edited.length > 0 ? applyDrafts(working, edits()) : working) : source),
    [tab, edited, working, edits, source],
  );

  /** CPA's copy changed: move onto it and put the same edits on top, at the paths its layout uses. */
  const reapply = useCallback(
    (current: string) => {
      if (loaded === null) return;
      let next: string;
      try {
        if (tab === "visual" && working === loaded) next = applyDrafts(current, edits());
        else next = reapplySource(loaded, pending(), current);
      } catch {
        // CPA's new copy does not parse, so nothing can be merged into it: keep the user's whole text,
        // which the diff then shows against CPA's broken copy.
        next = pending();
      }
      setLoaded(current);
      setWorking(next);
      setSource(next);
      setDrafts(readDrafts(parseConfig(next)));
    },
    [loaded, tab, working, edits, pending],
  );

  /** Carries the tab's edits over before showing the other tab; false when they do not parse. */
  const switchTo = useCallback(
    (next: Tab): boolean => {
      if (next === tab) return true;
      if (next === "source") {
        if (base.broken) {
          setSource(working);
          return true;
        }
        if (!valid) return false;
        const text = pending();
        setWorking(text);
        setSource(text);
        return true;
      }
      if (sourceProblems.length > 0) return false;
      setWorking(source);
      setDrafts(readDrafts(parseConfig(source)));
      return true;
    },
    [tab, valid, pending, source, sourceProblems, base.broken, working],
  );

  const setField = useCallback((id: FieldId, value: Draft) => {
    setDrafts((current) => (current ? { ...current, [id]: value } : current));
  }, []);

  const discard = useCallback(() => {
    if (loaded !== null) adopt(loaded);
  }, [loaded, adopt]);

  return {
    loaded,
    loadError,
    load,
    adopt,
    layout: base.layout,
    broken: base.broken,
    drafts,
    setField,
    source,
    setSource,
    problems,
    payloadProblem,
    sourceProblems,
    valid,
    dirty,
    pending,
    reapply,
    switchTo,
    discard,
  };
}
