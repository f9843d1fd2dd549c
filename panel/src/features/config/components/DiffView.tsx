import { useEffect, useRef } from "react";
import { createDiffView } from "../codemirror";
import styles from "./Config.module.css";

interface DiffViewProps {
  current: string;
  next: string;
  labels: [string, string];
  onReady?: (() => void) | undefined;
}

/** CPA's file beside what will be saved (@codemirror/merge), loaded lazily with ../codemirror. */
export default function DiffView({ current, next, labels, onReady }: DiffViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const readyRef = useRef(onReady);
  readyRef.current = onReady;
  const [left, right] = labels;

  useEffect(() => {
    if (!host.current) return;
    const view = createDiffView(host.current, current, next, [left, right]);
    readyRef.current?.();
    return () => view.destroy();
  }, [current, next, left, right]);

  return <div ref={host} className={styles.diff} data-testid="config-diff" />;
}
