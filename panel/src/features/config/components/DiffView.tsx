import { useEffect, useRef } from "react";
import { useI18n } from "../../../i18n/I18nProvider";
import { createDiffView } from "../codemirror";
import styles from "./Config.module.css";
import { editorPhrases } from "./editorPhrases";

interface DiffViewProps {
  current: string;
  next: string;
  labels: [string, string];
}

/** CPA's file beside what will be saved (@codemirror/merge), loaded lazily with ../codemirror. */
export default function DiffView({ current, next, labels }: DiffViewProps) {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const [left, right] = labels;

  useEffect(() => {
    if (!host.current) return;
    const view = createDiffView(host.current, { current, next }, [left, right], editorPhrases(t));
    return () => view.destroy();
  }, [current, next, left, right, t]);

  return <div ref={host} className={styles.diff} data-testid="config-diff" />;
}
