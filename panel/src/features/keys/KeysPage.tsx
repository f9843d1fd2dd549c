import { useMemo, useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { useCpaCapabilities } from "../../lib/cpa/useCapabilities";
import { KeyForm } from "./components/KeyForm";
import { KeyRow } from "./components/KeyRow";
import styles from "./components/Keys.module.css";
import { NameNotSaved, useClientKeys, type SaveOutcome } from "./hooks/useClientKeys";
import { duplicateIndexes, type KeyChange } from "./logic";

const OUTCOMES: Record<Exclude<SaveOutcome, "conflict">, MessageKey> = {
  saved: "keys.notice.saved",
  missing: "keys.notice.missing",
  duplicate: "keys.notice.duplicate",
};

export function KeysPage() {
  const { t } = useI18n();
  const capabilities = useCpaCapabilities();
  return (
    <div className={styles.page}>
      <div className={styles.pageHeader}>
        <h1>{t("keys.page.title")}</h1>
      </div>
      <p className={styles.intro}>{t("keys.page.intro")}</p>
      {capabilities.data ? (
        <KeysView hasV8={capabilities.data.hasV8} />
      ) : capabilities.error ? (
        <Alert tone="error">{t("keys.page.loadFailed", { message: errorText(capabilities.error, t) })}</Alert>
      ) : (
        <p aria-live="polite">{t("common.status.loading")}</p>
      )}
    </div>
  );
}

type Notice = { tone: "success" | "warning" | "error"; text: string };

function KeysView({ hasV8 }: { hasV8: boolean }) {
  const { t } = useI18n();
  const { resource, conflict, save, rename, dismissConflict } = useClientKeys(hasV8);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [addKey, setAddKey] = useState(0);
  const data = resource.data;
  const duplicates = useMemo(() => duplicateIndexes(data?.keys ?? []), [data]);

  const run = async (work: () => Promise<SaveOutcome | "renamed">) => {
    setBusy(true);
    setNotice(null);
    try {
      const outcome = await work();
      if (outcome === "renamed") setNotice({ tone: "success", text: t("keys.notice.renamed") });
      else if (outcome !== "conflict") setNotice({ tone: outcome === "saved" ? "success" : "warning", text: t(OUTCOMES[outcome]) });
      if (outcome === "saved") setAddKey((n) => n + 1);
    } catch (error) {
      if (error instanceof NameNotSaved) {
        setNotice({ tone: "warning", text: t("keys.notice.nameFailed", { message: errorText(error.cause, t) }) });
        setAddKey((n) => n + 1);
      } else setNotice({ tone: "error", text: t("keys.notice.failed", { message: errorText(error, t) }) });
    } finally {
      setBusy(false);
    }
  };

  const nameOf = (key: string) => (data ? (data.names[data.hashes.get(key) ?? ""] ?? "") : "");
  const change = (work: KeyChange, name?: string) => run(() => save(work, name));
  const edit = (index: number, from: string, to: string, name: string) => {
    if (to === from) {
      if (hasV8 && name !== nameOf(from)) void run(async () => (await rename(from, name), "renamed"));
      return;
    }
    void change({ kind: "edit", index, from, to }, hasV8 ? name : undefined);
  };

  if (!data) {
    return resource.error ? (
      <Alert tone="error" action={<Button onClick={resource.reload}>{t("common.action.retry")}</Button>}>
        {t("keys.page.loadFailed", { message: errorText(resource.error, t) })}
      </Alert>
    ) : (
      <p aria-live="polite">{t("common.status.loading")}</p>
    );
  }

  return (
    <>
      {conflict ? (
        <Alert
          tone="warning"
          title={t("keys.conflict.title")}
          action={
            <>
              <Button variant="primary" disabled={busy || resource.loading} onClick={() => void run(() => save(conflict.change, conflict.name, true))}>
                {t("keys.conflict.reapply")}
              </Button>
              <Button onClick={dismissConflict}>{t("keys.conflict.discard")}</Button>
            </>
          }
        >
          <p>{t("keys.conflict.body")}</p>
        </Alert>
      ) : null}
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}

      <section className={styles.card} aria-labelledby="keys-add-title">
        <h2 id="keys-add-title" className={styles.cardTitle}>{t("keys.add.title")}</h2>
        <KeyForm
          key={addKey}
          title={t("keys.add.title")}
          initialKey=""
          initialName=""
          others={data.keys}
          withName={hasV8}
          submitLabel={t("keys.add.submit")}
          busy={busy}
          onSubmit={(key, name) => void change({ kind: "add", key }, hasV8 ? name : undefined)}
        />
      </section>

      <section className={styles.card} aria-labelledby="keys-list-title">
        <h2 id="keys-list-title" className={styles.cardTitle}>{t("keys.list.title", { count: data.keys.length })}</h2>
        {data.keys.length === 0 ? (
          <p className={styles.empty}>{t("keys.list.empty")}</p>
        ) : (
          <ul className={styles.list} aria-labelledby="keys-list-title">
            {data.keys.map((apiKey, index) => (
              <KeyRow
                key={`${index}:${apiKey}`}
                index={index}
                apiKey={apiKey}
                name={nameOf(apiKey)}
                duplicate={duplicates.has(index)}
                others={data.keys.filter((_, i) => i !== index)}
                withName={hasV8}
                busy={busy}
                onEdit={(to, name) => edit(index, apiKey, to, name)}
                onDelete={() => void change({ kind: "delete", index, key: apiKey })}
              />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
