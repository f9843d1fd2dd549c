import { useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { Dialog } from "../../components/ui/Dialog";
import { errorText } from "../../components/ui/errorText";
import { Page } from "../../components/ui/Page";
import { useI18n } from "../../i18n/I18nProvider";
import { budgetName, budgetsListApi, type Budget } from "../../lib/budgets";
import { useResource } from "../../lib/useResource";
import { budgetsApi } from "./api";
import { BudgetForm } from "./components/BudgetForm";
import { BudgetItem } from "./components/BudgetItem";
import styles from "./components/Budgets.module.css";
import { draftOf, newDraft, toBody } from "./logic";
import type { BudgetDraft } from "./types";

// The server evaluates budgets once a minute; the page follows at the same pace.
const REFRESH_MS = 60_000;

type Notice = { tone: "success" | "error"; text: string };

export function BudgetsPage() {
  const { t } = useI18n();
  const budgets = useResource(() => budgetsListApi.list(), [], REFRESH_MS);
  const options = useResource(() => budgetsApi.scopeOptions(), []);
  const [editing, setEditing] = useState<Budget | null>(null);
  const [deleting, setDeleting] = useState<Budget | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [busy, setBusy] = useState(false);

  const save = async (draft: BudgetDraft) => {
    setNotice(null);
    if (editing) {
      await budgetsApi.update(editing.id, toBody(draft));
      setEditing(null);
      setNotice({ tone: "success", text: t("budgets.form.saved") });
    } else {
      await budgetsApi.create(toBody(draft));
      setNotice({ tone: "success", text: t("budgets.form.created") });
    }
    setFormKey((key) => key + 1);
    budgets.reload();
  };

  const confirmDelete = async (budget: Budget) => {
    setBusy(true);
    try {
      await budgetsApi.remove(budget.id);
      setNotice({ tone: "success", text: t("budgets.delete.done") });
      if (editing?.id === budget.id) setEditing(null);
    } catch (failure) {
      setNotice({ tone: "error", text: t("budgets.delete.failed", { message: errorText(failure, t) }) });
    } finally {
      setBusy(false);
      setDeleting(null);
      budgets.reload();
    }
  };

  const list = budgets.data;
  return (
    <Page
      title={t("budgets.page.title")}
      intro={t("budgets.page.intro")}
      actions={<Button onClick={budgets.reload}>{t("budgets.page.refresh")}</Button>}
    >

      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}

      <section className={styles.card} aria-labelledby="budgets-list-title" aria-busy={budgets.loading}>
        <h2 id="budgets-list-title" className={styles.cardTitle}>
          {t("budgets.list.title")}
        </h2>
        {budgets.error && !list ? (
          <Alert tone="error" action={<Button onClick={budgets.reload}>{t("common.action.retry")}</Button>}>
            {t("budgets.page.loadFailed", { message: errorText(budgets.error, t) })}
          </Alert>
        ) : !list ? (
          <p aria-live="polite">{t("common.status.loading")}</p>
        ) : list.length === 0 ? (
          <p className={styles.muted}>{t("budgets.list.empty")}</p>
        ) : (
          <ul className={styles.list}>
            {list.map((budget) => (
              <BudgetItem
                key={budget.id}
                budget={budget}
                disabled={busy}
                onEdit={(chosen) => {
                  setNotice(null);
                  setEditing(chosen);
                }}
                onDelete={setDeleting}
              />
            ))}
          </ul>
        )}
      </section>

      <BudgetForm
        key={editing ? `edit-${editing.id}` : `new-${formKey}`}
        initial={editing ? draftOf(editing) : newDraft()}
        isEdit={editing !== null}
        options={options}
        onSubmit={save}
        onCancel={editing ? () => setEditing(null) : undefined}
      />

      {deleting ? (
        <Dialog
          title={t("budgets.delete.title")}
          onClose={() => setDeleting(null)}
          actions={
            <>
              <Button variant="primary" onClick={() => void confirmDelete(deleting)} disabled={busy}>
                {t("budgets.delete.confirm")}
              </Button>
              <Button variant="ghost" onClick={() => setDeleting(null)} disabled={busy}>
                {t("budgets.delete.cancel")}
              </Button>
            </>
          }
        >
          <p>{t("budgets.delete.body", { name: budgetName(deleting, t) })}</p>
        </Dialog>
      ) : null}
    </Page>
  );
}
