import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type KeyboardEvent } from "react";
import { useI18n } from "../../../i18n/I18nProvider";
import type { CredentialQuota } from "../../../lib/quota";
import type { Row } from "../types";
import { CredentialRow, type RowActions } from "./CredentialRow";
import styles from "./Credentials.module.css";

const ROW_HEIGHT = 76;

interface Props {
  rows: readonly Row[];
  selected: ReadonlySet<string>;
  onToggleSelect: (name: string) => void;
  actions: RowActions;
  busy: ReadonlySet<string>;
  highlight: string;
  hasUsageService: boolean;
  /** CPA Manager's quota by auth_index (empty without its service). */
  quota: ReadonlyMap<string, CredentialQuota>;
  /** Reports which rows are on screen ("select page" selects them). */
  onVisible: (names: string[]) => void;
}

/**
 * The list, virtualised: only the rows on screen (plus a few) exist in the DOM, so 5,000 credentials scroll
 * like 50. Arrow keys, Home and End move between rows; each row's controls are ordinary buttons.
 */
export function CredentialList({ rows, selected, onToggleSelect, actions, busy, highlight, hasUsageService, quota, onVisible }: Props) {
  const { t } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => rows[index]?.credential.name ?? index,
  });
  const items = virtualizer.getVirtualItems();

  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    onVisible(rows.slice(first, last + 1).map((r) => r.credential.name));
  }, [rows, first, last, onVisible]);

  useEffect(() => {
    if (highlight === "") return;
    const index = rows.findIndex((r) => r.credential.name === highlight);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: "center" });
  }, [highlight, rows, virtualizer]);

  // Up and Down move to the same control (checkbox, a button) in the neighbouring row, Home and End to the first
  // and last row, scrolling the virtual list so the target exists before it is focused.
  const moveFocus = (event: KeyboardEvent<HTMLDivElement>) => {
    const focused = event.target as HTMLElement;
    const current = focused.closest<HTMLElement>("[data-index]");
    if (!current || focused.tagName === "INPUT" && (focused as HTMLInputElement).type !== "checkbox") return;
    const index = Number(current.dataset.index);
    const keys: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: rows.length - 1 };
    const target = keys[event.key];
    if (target === undefined || target < 0 || target >= rows.length) return;
    event.preventDefault();
    const controls = [...current.querySelectorAll<HTMLElement>("input, button")];
    const position = controls.indexOf(focused);
    virtualizer.scrollToIndex(target);
    const focusTarget = (tries: number) => {
      const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${target}"]`);
      if (!row) {
        if (tries > 0) window.requestAnimationFrame(() => focusTarget(tries - 1));
        return;
      }
      const same = position >= 0 ? row.querySelectorAll<HTMLElement>("input, button")[position] : null;
      (same ?? row).focus();
    };
    focusTarget(5);
  };

  if (rows.length === 0) return <p className={styles.empty}>{t("credentials.list.empty")}</p>;

  return (
    <div
      ref={scroller}
      className={styles.scroller}
      role="list"
      aria-label={t("credentials.list.label")}
      aria-rowcount={rows.length}
      onKeyDown={moveFocus}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {items.map((item) => {
          const row = rows[item.index] as Row;
          const name = row.credential.name;
          return (
            <CredentialRow
              key={item.key}
              index={item.index}
              top={item.start}
              height={ROW_HEIGHT}
              row={row}
              selected={selected.has(name)}
              onToggleSelect={onToggleSelect}
              actions={actions}
              busy={busy.has(name)}
              highlighted={highlight === name}
              hasUsageService={hasUsageService}
              quota={quota.get(row.credential.authIndex) ?? null}
            />
          );
        })}
      </div>
    </div>
  );
}
