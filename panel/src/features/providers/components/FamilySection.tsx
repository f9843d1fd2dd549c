import { useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import type { Family, ProviderEntry } from "../../../lib/cpa/providers";
import type { SaveResult } from "../hooks/useProviders";
import { findCurrent, type EntryChange } from "../logic";
import { EntryCard } from "./EntryCard";
import { EntryEditor } from "./EntryEditor";
import type { HealthSource } from "./HealthLine";
import styles from "./Providers.module.css";

interface FamilySectionProps {
  family: Family;
  label: string;
  entries: ProviderEntry[];
  health: HealthSource;
  save: (family: Family, change: EntryChange) => Promise<SaveResult>;
}

type Notice = { tone: "success" | "warning" | "error"; text: string };
/** An edit refused because its entry changed in CPA meanwhile, kept with CPA's current version of it. */
type Pending = { index: number; current: ProviderEntry; entry: ProviderEntry };

/** One family: its entries, and adding, editing and deleting them (each a read-modify-write). */
export function FamilySection({ family, label, entries, health, save }: FamilySectionProps) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const headingId = `family-${family}`;
  const entryLabel = (entry: ProviderEntry, index: number) =>
    entry.kind === "compat" ? `${label} ${entry.name}` : t("providers.card.keyLabel", { family: label, number: String(index + 1) });

  const write = async (change: EntryChange, onRefused?: (current: ProviderEntry[]) => void) => {
    setBusy(true);
    setNotice(null);
    try {
      const result = await save(family, change);
      if (result.kind === "saved") {
        setEditing(null);
        setPending(null);
        setNotice({ tone: "success", text: t("providers.notice.saved", { family: label }) });
      } else if (result.kind === "duplicate") {
        setNotice({ tone: "warning", text: t("providers.notice.duplicate") });
      } else {
        onRefused?.(result.current);
        setNotice({ tone: "warning", text: t(change.kind === "delete" ? "providers.notice.deleteChanged" : "providers.notice.changed") });
      }
    } catch (error) {
      setNotice({ tone: "error", text: t("providers.notice.failed", { message: errorText(error, t) }) });
    } finally {
      setBusy(false);
    }
  };

  const reapply = () => {
    if (!pending) return;
    const { index, current } = pending;
    // The user's fields over CPA's current entry: what others changed in fields the form does not show survives.
    const entry = { ...pending.entry, raw: current.raw, authIndex: current.authIndex } as ProviderEntry;
    void write({ kind: "edit", index, original: current, entry });
  };

  return (
    <section className={styles.card} aria-labelledby={headingId}>
      <div className={styles.sectionHead}>
        <h2 id={headingId} className={styles.cardTitle}>
          {label} <span className={styles.count}>({entries.length})</span>
        </h2>
        <Button aria-label={t("providers.family.add", { family: label })} disabled={busy || editing === "new"} onClick={() => setEditing("new")}>
          {t("providers.family.addShort")}
        </Button>
      </div>
      {notice ? (
        <Alert
          tone={notice.tone}
          action={pending && editing === null ? <Button onClick={reapply}>{t("providers.notice.reapply")}</Button> : undefined}
        >
          {notice.text}
        </Alert>
      ) : null}
      {editing === "new" ? (
        <EntryEditor
          family={family}
          familyLabel={label}
          title={t("providers.family.add", { family: label })}
          original={null}
          busy={busy}
          onSubmit={(entry) => void write({ kind: "add", entry })}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      {entries.length === 0 && editing !== "new" ? <p className={styles.muted}>{t("providers.family.empty")}</p> : null}
      <ul className={styles.entries}>
        {entries.map((entry, index) =>
          editing === index ? (
            <li key={index} className={styles.entry}>
              <EntryEditor
                family={family}
                familyLabel={label}
                title={t("providers.card.editTitle", { label: entryLabel(entry, index) })}
                original={entry}
                busy={busy}
                onSubmit={(edited) =>
                  void write({ kind: "edit", index, original: entry, entry: edited }, (current) => {
                    const at = findCurrent(current, index, entry);
                    const found = current[at];
                    setPending(found ? { index: at, current: found, entry: edited } : null);
                    setEditing(null);
                  })
                }
                onCancel={() => setEditing(null)}
              />
            </li>
          ) : (
            <EntryCard
              key={index}
              family={family}
              entry={entry}
              label={entryLabel(entry, index)}
              health={health}
              busy={busy}
              onEdit={() => (setEditing(index), setNotice(null), setPending(null))}
              onDelete={() => void write({ kind: "delete", index, original: entry })}
            />
          ),
        )}
      </ul>
    </section>
  );
}
