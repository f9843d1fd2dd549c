import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import { useI18n } from "../../../i18n/I18nProvider";
import type { Sparklines, WindowUsage } from "../../../lib/quota";
import { CARD_GAP, layoutRows, type Section } from "../logic";
import { QuotaCard } from "./QuotaCard";
import styles from "./Quota.module.css";

const MIN_CARD_WIDTH = 300;

interface Props {
  sections: readonly Section[];
  usage: ReadonlyMap<string, WindowUsage[]> | null;
  sparklines: Sparklines | null;
  busy: ReadonlySet<string>;
  onRefresh: (authIndex: string) => void;
  onShowSample: (authIndex: string) => void;
}

/** Cards per row for a width: as many of MIN_CARD_WIDTH as fit, at least one. */
function columnsFor(width: number): number {
  return Math.max(1, Math.floor((width + CARD_GAP) / (MIN_CARD_WIDTH + CARD_GAP)));
}

/**
 * Provider headings and rows of cards in one virtual list: only the rows on screen exist in the DOM, so a
 * thousand credentials cost what twenty do. Rows start at an estimated height and are measured once drawn, so a
 * card is always as tall as its content (wrapped countdowns and usage lines, long badges) and nothing is clipped.
 */
export function QuotaGrid({ sections, usage, sparklines, busy, onRefresh, onShowSample }: Props) {
  const { t } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(() => columnsFor(scroller.current?.clientWidth ?? 960));

  useEffect(() => {
    const box = scroller.current;
    if (!box || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setColumns(columnsFor(box.clientWidth)));
    observer.observe(box);
    setColumns(columnsFor(box.clientWidth));
    return () => observer.disconnect();
  }, []);

  const rows = useMemo(() => layoutRows(sections, columns), [sections, columns]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => rows[index]?.height ?? 0,
    overscan: 3,
    getItemKey: (index) => rows[index]?.key ?? index,
  });
  useEffect(() => virtualizer.measure(), [rows, virtualizer]);

  return (
    <div ref={scroller} className={styles.scroller} role="region" aria-label={t("quota.page.cards")} tabIndex={0}>
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          const style = { transform: `translateY(${item.start}px)` };
          if (row.kind === "heading") {
            return (
              <h2 key={item.key} ref={virtualizer.measureElement} data-index={item.index} className={styles.heading} style={{ ...style, height: row.height }}>
                {row.provider} <span className={styles.headingCount}>{t("quota.section.count", { count: row.count })}</span>
              </h2>
            );
          }
          return (
            <div
              key={item.key}
              ref={virtualizer.measureElement}
              data-index={item.index}
              className={styles.cardRow}
              style={{ ...style, paddingBottom: CARD_GAP, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
            >
              {row.cards.map((card) => (
                <QuotaCard
                  key={card.authIndex}
                  card={card}
                  usage={usage?.get(card.authIndex)}
                  history={sparklines?.series.get(card.authIndex)}
                  busy={busy.has(card.authIndex)}
                  onRefresh={onRefresh}
                  onShowSample={onShowSample}
                />
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
