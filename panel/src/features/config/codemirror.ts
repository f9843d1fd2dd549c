import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { bracketMatching, defaultHighlightStyle, foldGutter, syntaxHighlighting } from "@codemirror/language";
import { forceLinting, lintGutter, linter, type Diagnostic } from "@codemirror/lint";
import { MergeView } from "@codemirror/merge";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { EditorState, StateEffect, StateField, type Extension } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";
import { yamlProblems } from "./logic";

/**
 * CodeMirror 6, kept in its own module so the page loads it only when the Source tab or the diff
 * opens (a dynamic import; the single-file build inlines it but does not run it at first paint).
 */

/** CPA's refusal, shown as a diagnostic on the line it names until the text changes. */
export interface Refusal {
  line: number;
  message: string;
}

export interface YamlEditor {
  view: EditorView;
  setText: (text: string) => void;
  setRefusal: (refusal: Refusal | null) => void;
  destroy: () => void;
}

type ShownRefusal = (Refusal & { text: string }) | null;

// The refusal lives in the editor state, so setting it is a transaction the linter is told to re-run on.
const setRefusalEffect = StateEffect.define<ShownRefusal>();
const refusalField = StateField.define<ShownRefusal>({
  create: () => null,
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setRefusalEffect)) return effect.value;
    return value;
  },
});

function lineRange(state: EditorState, line: number): { from: number; to: number } {
  const safe = Math.min(Math.max(line, 1), state.doc.lines);
  const { from, to } = state.doc.line(safe);
  return { from, to };
}

// The merge view marks folded runs with "⦚", which common Linux fonts lack; "⋮" is everywhere.
const collapsedMarker = EditorView.theme({
  ".cm-collapsedLines:before": { content: '"⋮"' },
  ".cm-collapsedLines:after": { content: '"⋮"' },
});

function baseExtensions(phrases: Record<string, string>): Extension[] {
  return [
    EditorState.phrases.of(phrases),
    lineNumbers(),
    foldGutter(),
    history(),
    bracketMatching(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    yaml(),
    search({ top: true }),
    keymap.of([...searchKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.theme({ "&": { height: "100%" }, ".cm-scroller": { fontFamily: "var(--font-mono, monospace)" } }),
  ];
}

export function createYamlEditor(
  parent: HTMLElement,
  options: { text: string; label: string; phrases: Record<string, string>; onChange: (text: string) => void },
): YamlEditor {
  const yamlLint = linter(
    (view) => {
      const text = view.state.doc.toString();
      const found: Diagnostic[] = yamlProblems(text).map((problem) => ({
        from: Math.min(problem.from, text.length),
        to: Math.min(problem.to, text.length),
        severity: "error",
        message: problem.message,
      }));
      const refusal = view.state.field(refusalField);
      if (refusal && refusal.text === text) {
        found.push({ ...lineRange(view.state, refusal.line), severity: "error", source: "CPA", message: refusal.message });
      }
      return found;
    },
    {
      delay: 250,
      needsRefresh: (update) => update.transactions.some((tr) => tr.effects.some((effect) => effect.is(setRefusalEffect))),
    },
  );
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.text,
      extensions: [
        ...baseExtensions(options.phrases),
        refusalField,
        lintGutter(),
        yamlLint,
        EditorView.contentAttributes.of({ "aria-label": options.label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    setText(text) {
      if (text === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setRefusal(next) {
      const effects = setRefusalEffect.of(next ? { ...next, text: view.state.doc.toString() } : null);
      if (next) view.dispatch({ effects, selection: { anchor: lineRange(view.state, next.line).from }, scrollIntoView: true });
      else view.dispatch({ effects });
      forceLinting(view);
    },
    destroy: () => view.destroy(),
  };
}

/** Side by side: CPA's current file on the left, what will be saved on the right, read-only. */
export function createDiffView(
  parent: HTMLElement,
  texts: { current: string; next: string },
  labels: [string, string],
  phrases: Record<string, string>,
): { destroy: () => void } {
  const side = (label: string): Extension[] => [
    EditorState.phrases.of(phrases),
    collapsedMarker,
    lineNumbers(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    yaml(),
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    EditorView.contentAttributes.of({ "aria-label": label }),
  ];
  const merge = new MergeView({
    parent,
    a: { doc: texts.current, extensions: side(labels[0]) },
    b: { doc: texts.next, extensions: side(labels[1]) },
    collapseUnchanged: { margin: 3, minSize: 6 },
    gutter: true,
  });
  return { destroy: () => merge.destroy() };
}
