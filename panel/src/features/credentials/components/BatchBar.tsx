import { useState } from "react";
import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/en";
import type { Batch } from "../hooks/useBatch";
import type { BatchAction } from "../types";
import { ConfirmDialog } from "./ConfirmDialog";
import styles from "./Credentials.module.css";

interface Props {
  selectedCount: number;
  shownCount: number;
  batch: Batch;
  onSelectPage: () => void;
  onSelectShown: () => void;
  onInvert: () => void;
  onClear: () => void;
  onRun: (action: BatchAction) => void;
}

const ACTION_LABELS: Record<BatchAction, MessageKey> = {
  enable: "credentials.batch.enable",
  disable: "credentials.batch.disable",
  download: "credentials.batch.download",
  delete: "credentials.batch.delete",
};

/** Selection tools, the batch actions, and the running batch's progress and report. */
export function BatchBar({ selectedCount, shownCount, batch, onSelectPage, onSelectShown, onInvert, onClear, onRun }: Props) {
  const { t } = useI18n();
  const [confirmStep, setConfirmStep] = useState<0 | 1 | 2>(0);
  const running = batch.progress?.running ?? false;
  const none = selectedCount === 0 || running;
  return (
    <section className={styles.batch} aria-label={t("credentials.batch.label")}>
      <div className={styles.toolbarRow}>
        <span role="status">{t("credentials.batch.selected", { count: selectedCount })}</span>
        <Button variant="ghost" onClick={onSelectPage}>{t("credentials.batch.selectPage")}</Button>
        <Button variant="ghost" onClick={onSelectShown}>{t("credentials.batch.selectShown", { count: shownCount })}</Button>
        <Button variant="ghost" onClick={onInvert}>{t("credentials.batch.invert")}</Button>
        <Button variant="ghost" onClick={onClear} disabled={selectedCount === 0}>{t("credentials.batch.clear")}</Button>
        <span className={styles.spacer} />
        <Button disabled={none} onClick={() => onRun("enable")}>{t("credentials.batch.enable")}</Button>
        <Button disabled={none} onClick={() => onRun("disable")}>{t("credentials.batch.disable")}</Button>
        <Button disabled={none} onClick={() => onRun("download")}>{t("credentials.batch.download")}</Button>
        <Button disabled={none} className={styles.danger} onClick={() => setConfirmStep(1)}>{t("credentials.batch.delete")}</Button>
      </div>
      {batch.progress ? <BatchReport batch={batch} /> : null}
      {confirmStep === 1 ? (
        <ConfirmDialog
          title={t("credentials.batch.deleteTitle", { count: selectedCount })}
          text={t("credentials.batch.deleteText", { count: selectedCount })}
          confirmLabel={t("credentials.batch.deleteContinue")}
          onConfirm={() => setConfirmStep(2)}
          onClose={() => setConfirmStep(0)}
        />
      ) : null}
      {confirmStep === 2 ? (
        <ConfirmDialog
          title={t("credentials.batch.deleteAgainTitle")}
          text={t("credentials.batch.deleteAgainText", { count: selectedCount })}
          confirmLabel={t("credentials.batch.deleteConfirm", { count: selectedCount })}
          onConfirm={() => {
            setConfirmStep(0);
            onRun("delete");
          }}
          onClose={() => setConfirmStep(0)}
        />
      ) : null}
    </section>
  );
}

function BatchReport({ batch }: { batch: Batch }) {
  const { t } = useI18n();
  const progress = batch.progress;
  if (!progress) return null;
  const failed = progress.results.filter((r) => !r.ok);
  const succeeded = progress.results.length - failed.length;
  const action = t(ACTION_LABELS[progress.action]);
  return (
    <div className={styles.report} role="region" aria-label={t("credentials.batch.report")}>
      <progress max={progress.total} value={progress.done} aria-label={t("credentials.batch.progress", { action })} />
      <p role="status">
        {progress.running
          ? t("credentials.batch.running", { action, done: progress.done, total: progress.total })
          : t("credentials.batch.finished", { action, ok: succeeded, failed: failed.length, total: progress.total })}
      </p>
      {succeeded > 0 && !progress.running ? (
        <details>
          <summary>{t("credentials.batch.succeededList", { count: succeeded })}</summary>
          <ul aria-label={t("credentials.batch.succeeded")} className={styles.failures}>
            {progress.results.filter((r) => r.ok).map((r) => <li key={r.name} className={styles.good}>{r.name}</li>)}
          </ul>
        </details>
      ) : null}
      {failed.length > 0 ? (
        <ul aria-label={t("credentials.batch.failures")} className={styles.failures}>
          {failed.map((r) => (
            <li key={r.name}>
              <strong>{r.name}</strong>: {r.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div className={styles.toolbarRow}>
        {progress.running ? <Button onClick={batch.cancel}>{t("credentials.batch.stop")}</Button> : null}
        {!progress.running && batch.undo ? (
          <Button onClick={() => void batch.runUndo()}>{t("credentials.batch.undo", { count: batch.undo.names.length })}</Button>
        ) : null}
        {!progress.running ? <Button variant="ghost" onClick={batch.dismiss}>{t("credentials.common.close")}</Button> : null}
      </div>
    </div>
  );
}
