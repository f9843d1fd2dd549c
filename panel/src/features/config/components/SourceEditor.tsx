import { useEffect, useRef } from "react";
import { useI18n } from "../../../i18n/I18nProvider";
import { createYamlEditor, type Refusal, type YamlEditor } from "../codemirror";
import styles from "./Config.module.css";
import { editorPhrases } from "./editorPhrases";

interface SourceEditorProps {
  text: string;
  label: string;
  onChange: (text: string) => void;
  refusal: Refusal | null;
}

/** The Source tab's CodeMirror editor (loaded lazily with ../codemirror). */
export default function SourceEditor({ text, label, onChange, refusal }: SourceEditorProps) {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<YamlEditor | null>(null);
  const changeRef = useRef(onChange);
  changeRef.current = onChange;

  useEffect(() => {
    if (!host.current) return;
    const phrases = editorPhrases(t);
    const created = createYamlEditor(host.current, { text, label, phrases, onChange: (next) => changeRef.current(next) });
    editor.current = created;
    return () => {
      created.destroy();
      editor.current = null;
    };
    // The editor owns its text once created; later text arrives through setText below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [label, t]);

  useEffect(() => editor.current?.setText(text), [text]);
  useEffect(() => editor.current?.setRefusal(refusal), [refusal]);

  return <div ref={host} className={styles.editor} data-testid="source-editor" />;
}
