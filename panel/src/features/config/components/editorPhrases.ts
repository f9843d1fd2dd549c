import type { MessageKey } from "../../../i18n/en";
import type { Translate } from "../../../i18n/translate";

/** CodeMirror's own English phrases (search panel, merge view) → our message keys, so zh-CN gets them too. */
const PHRASES: Record<string, MessageKey> = {
  Find: "config.editor.find",
  Replace: "config.editor.replace",
  next: "config.editor.next",
  previous: "config.editor.previous",
  all: "config.editor.all",
  "match case": "config.editor.matchCase",
  regexp: "config.editor.regexp",
  "by word": "config.editor.byWord",
  replace: "config.editor.replaceOne",
  "replace all": "config.editor.replaceAll",
  close: "config.editor.close",
  "$ unchanged lines": "config.editor.unchangedLines",
};

export function editorPhrases(t: Translate): Record<string, string> {
  return Object.fromEntries(Object.entries(PHRASES).map(([phrase, key]) => [phrase, t(key)]));
}
