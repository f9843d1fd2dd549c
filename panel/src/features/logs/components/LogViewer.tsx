import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import { useI18n } from "../../../i18n/I18nProvider";
import { clip, highlight } from "../logic";
import type { LogLine } from "../types";
import styles from "./Logs.module.css";

/** Rows are one line high (no wrapping), so the virtualiser can place 100,000 of them without measuring. */
export const ROW_PX = 20;

interface LogViewerProps {
  lines: readonly LogLine[];
  indices: readonly number[];
  query: string;
  follow: boolean;
  onShowAll: (line: LogLine) => void;
}

function LineText({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlight(text, query).map((segment, i) =>
        segment.match ? (
          <mark key={i} className={styles.match}>
            {segment.text}
          </mark>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}

/** The filtered lines, virtualised: only the rows in view (plus a margin) are in the DOM. */
export function LogViewer({ lines, indices, query, follow, onShowAll }: LogViewerProps) {
  const { t } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: indices.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    overscan: 30,
    // jsdom and a first paint have no layout yet; assume a viewer-sized box until one is measured.
    initialRect: { width: 1000, height: 600 },
  });

  useEffect(() => {
    if (follow && indices.length > 0) virtualizer.scrollToIndex(indices.length - 1, { align: "end" });
  }, [follow, indices.length, virtualizer]);

  return (
    <div ref={scroller} className={styles.viewer} role="log" aria-live="off" aria-label={t("logs.view.label")} tabIndex={0}>
      <div className={styles.viewerInner} style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const line = lines[indices[item.index] ?? -1];
          if (!line) return null;
          const { shown, clipped } = clip(line.text);
          return (
            <div
              key={item.key}
              className={`${styles.row} ${styles[line.level]}`}
              style={{ transform: `translateY(${item.start}px)` }}
              data-level={line.level}
            >
              <LineText text={shown} query={query} />
              {clipped ? (
                <button type="button" className={styles.showAll} onClick={() => onShowAll(line)}>
                  {t("logs.view.showAll", { count: line.text.length })}
                </button>
              ) : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}
