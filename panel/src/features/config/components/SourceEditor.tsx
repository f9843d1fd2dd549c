import { useEffect, useRef } from "react";
import { createYamlEditor, type Refusal, type YamlEditor } from "../codemirror";
import styles from "./Config.module.css";

interface SourceEditorProps {
  text: string;
  label: string;
  onChange: (text: string) => void;
  refusal: Refusal | null;
}

/** The Source tab's CodeMirror editor (loaded lazily with ../codemirror). */
export default function SourceEditor({ text, label, onChange, refusal }: SourceEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<YamlEditor | null>(null);
  const changeRef = useRef(onChange);
  changeRef.current = onChange;

  useEffect(() => {
    if (!host.current) return;
    const created = createYamlEditor(host.current, { text, label, onChange: (next) => changeRef.current(next) });
    editor.current = created;
    return () => {
      created.destroy();
      editor.current = null;
    };
    // The editor owns its text once created; later text arrives through setText below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [label]);

  useEffect(() => editor.current?.setText(text), [text]);
  useEffect(() => editor.current?.setRefusal(refusal), [refusal]);

  return <div ref={host} className={styles.editor} data-testid="source-editor" />;
}
