import { Document, isMap, isScalar, parseDocument, type Node } from "yaml";
import { FIELD_IDS, fieldDef, pathOf, valueOfDraft, draftOfValue, type Draft, type FieldId, type Layout, type Path } from "./fields";

/**
 * The Configuration page's document work, all pure: read the form's values out of config.yaml in
 * either layout, and write edits back into a comment-preserving `yaml` Document built from CPA's
 * current text, so only the edited keys change.
 */

export type Drafts = Record<FieldId, Draft>;

/** A YAML syntax problem, 1-based line and column as editors show them. */
export interface YamlProblem {
  line: number;
  column: number;
  /** Character offsets into the text (for the editor's underline). */
  from: number;
  to: number;
  message: string;
}

// No folding of long strings and `[a, b]` as CPA (yaml.v3) writes flow lists, so untouched lines stay as they were.
const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

export function parseConfig(text: string): Document.Parsed {
  // Duplicate keys stay errors, as in CPA's yaml.v3: such a file is never sent.
  return parseDocument(text, { prettyErrors: true });
}

/** Syntax errors in the text; an empty list means the text can be sent to CPA. */
export function yamlProblems(text: string): YamlProblem[] {
  return parseConfig(text).errors.map((error) => {
    const [from, to] = error.pos;
    const start = error.linePos?.[0] ?? { line: 1, col: 1 };
    // prettyErrors appends a source excerpt after the first line; the editor shows the place itself.
    const message = (error.message.split("\n")[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, "");
    return { line: start.line, column: start.col, from, to: Math.max(to, from), message };
  });
}

/** The v8 tree says so with `config-version: 8` at the root (cpa-v8.md §2 item 1). */
export function detectLayout(doc: Document): Layout {
  const version = Number(doc.getIn(["config-version"]));
  return Number.isFinite(version) && version >= 8 ? "v8" : "flat";
}

/**
 * Where a field lives in this file: at the layout's path, unless only the other layout's path is
 * present (a mixed file CPA accepted), in which case that is the copy CPA reads and the one to edit.
 */
export function locate(doc: Document, id: FieldId, layout: Layout): Path {
  const primary = pathOf(id, layout);
  if (doc.hasIn(primary)) return primary;
  const other = pathOf(id, layout === "v8" ? "flat" : "v8");
  return doc.hasIn(other) ? other : primary;
}

function yamlText(node: unknown): string {
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return "";
  const sub = new Document();
  sub.contents = node as Node;
  return sub.toString(TO_STRING);
}

/** The form's values as the file has them. */
export function readDrafts(doc: Document): Drafts {
  const layout = detectLayout(doc);
  const drafts = {} as Drafts;
  for (const id of FIELD_IDS) {
    const path = locate(doc, id, layout);
    drafts[id] = fieldDef(id).kind === "yaml" ? yamlText(doc.getIn(path, true)) : draftOfValue(id, doc.getIn(path));
  }
  return drafts;
}

export function changedFields(loaded: Drafts, draft: Drafts): FieldId[] {
  return FIELD_IDS.filter((id) => loaded[id] !== draft[id]);
}

/**
 * Makes every map on the way to `path` exist; a key present with an empty value (`routing:`) is a
 * null scalar in the document and gets replaced by a map.
 */
function ensureParents(doc: Document, path: Path): void {
  for (let depth = 1; depth < path.length; depth += 1) {
    const prefix = path.slice(0, depth);
    const node: unknown = doc.getIn(prefix, true);
    if (node === undefined || (isScalar(node) && node.value === null)) doc.setIn(prefix, doc.createNode({}));
  }
}

function setPath(doc: Document, path: Path, value: unknown): void {
  ensureParents(doc, path);
  doc.setIn(path, value);
}

/** Removes a key and any map it leaves empty on the way up (CPA's own pruning does the same). */
function deletePath(doc: Document, path: Path): void {
  doc.deleteIn(path);
  for (let depth = path.length - 1; depth > 0; depth -= 1) {
    const parent: unknown = doc.getIn(path.slice(0, depth), true);
    if (!isMap(parent) || parent.items.length > 0) return;
    doc.deleteIn(path.slice(0, depth));
  }
}

/** Thrown when a YAML field's own text does not parse; `line` is within that field. */
export class FieldYamlError extends Error {
  readonly field: FieldId;
  readonly line: number;
  constructor(field: FieldId, problem: YamlProblem) {
    super(problem.message);
    this.field = field;
    this.line = problem.line;
  }
}

/**
 * Applies the Visual tab's edits to `text` (CPA's current file): each changed field is set, or
 * removed when emptied, at its path in the file's own layout; nothing else in the text changes.
 */
export function applyDrafts(text: string, edits: Partial<Drafts>): string {
  const doc = parseConfig(text);
  const layout = detectLayout(doc);
  for (const id of Object.keys(edits) as FieldId[]) {
    const draft = edits[id];
    if (draft === undefined) continue;
    const path = locate(doc, id, layout);
    if (fieldDef(id).kind === "yaml") {
      const sub = parseConfig(draft as string);
      const problem = yamlProblems(draft as string)[0];
      if (problem) throw new FieldYamlError(id, problem);
      if (sub.contents === null || (isScalar(sub.contents) && sub.contents.value === null)) deletePath(doc, path);
      else setPath(doc, path, sub.contents);
    } else if (draft === "") {
      deletePath(doc, path);
    } else {
      setPath(doc, path, valueOfDraft(id, draft));
    }
  }
  return doc.toString(TO_STRING);
}

/** One key-level difference between two parsed configurations. */
export type Change = { path: Path; kind: "set"; value: unknown } | { path: Path; kind: "delete" };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Differences down through maps; lists and scalars count as one value each. */
export function diffValues(before: unknown, after: unknown, path: Path = []): Change[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const changes: Change[] = [];
    for (const key of Object.keys(before)) {
      if (!(key in after)) changes.push({ path: [...path, key], kind: "delete" });
    }
    for (const [key, value] of Object.entries(after)) changes.push(...diffValues(before[key], value, [...path, key]));
    return changes;
  }
  if (before === undefined && after !== undefined) return [{ path, kind: "set", value: after }];
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, kind: "set", value: after }];
}

/**
 * Re-applies the Source tab's edits on top of a newer file: the key-level changes between the text
 * the user started from and what they wrote, applied to `current` (comments there are kept).
 */
export function reapplySource(base: string, edited: string, current: string): string {
  const changes = diffValues(parseConfig(base).toJS(), parseConfig(edited).toJS());
  const doc = parseConfig(current);
  if (changes.some((change) => change.path.length === 0)) return edited;
  for (const change of changes) {
    if (change.kind === "delete") deletePath(doc, change.path);
    else setPath(doc, change.path, doc.createNode(change.value));
  }
  return doc.toString(TO_STRING);
}

/**
 * The line CPA's refusal names, if any: `yaml: line 3: …`, or `line 5: cannot unmarshal …` inside
 * an `unmarshal errors` list (cpa-management-api.md §1.3).
 */
export function errorLine(message: string): number | null {
  const match = /\bline (\d+)\b/.exec(message);
  return match ? Number(match[1]) : null;
}

/**
 * For a 422 naming a dotted key (`routing.strategy: …`, `gemini-api-key[0].weight: …`), the line of
 * that key in `text`; null when it names none or the key is not in the file.
 */
export function lineOfKeyPath(message: string, text: string): number | null {
  const match = /^([\w-]+(?:\[\d+\])?(?:\.[\w-]+(?:\[\d+\])?)*)\s*:/.exec(message.trim());
  if (!match?.[1]) return null;
  const path: (string | number)[] = [];
  for (const part of match[1].split(".")) {
    const indexed = /^([\w-]+)\[(\d+)\]$/.exec(part);
    if (indexed?.[1]) path.push(indexed[1], Number(indexed[2]));
    else path.push(part);
  }
  const doc = parseConfig(text);
  while (path.length > 0) {
    const node: unknown = doc.getIn(path, true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return text.slice(0, range[0]).split("\n").length;
    path.pop();
  }
  return null;
}

/** The line CPA's refusal points at: one it names, else the key it names. */
export function refusalLine(message: string, sentText: string): number | null {
  return errorLine(message) ?? lineOfKeyPath(message, sentText);
}

/** CPA's copy changed since the page loaded it (no ETag upstream: compare the bytes; cpa-v8.md §4). */
export function hasConflict(loaded: string, current: string): boolean {
  return loaded !== current;
}
