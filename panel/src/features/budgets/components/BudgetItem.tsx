import { Button } from "../../../components/ui/Button";
import { ProgressBar } from "../../../components/ui/ProgressBar";
import { useI18n } from "../../../i18n/I18nProvider";
import { budgetName, budgetTone, type Budget } from "../../../lib/budgets";
import { formatDateTimeMinutes, formatMoney, formatPercent } from "../../../lib/format";
import styles from "./Budgets.module.css";

interface BudgetItemProps {
  budget: Budget;
  disabled: boolean;
  onEdit: (budget: Budget) => void;
  onDelete: (budget: Budget) => void;
}

/** One budget: spend against the limit with its thresholds marked, what is left out, and its actions. */
export function BudgetItem({ budget, disabled, onEdit, onDelete }: BudgetItemProps) {
  const { t, language } = useI18n();
  const name = budgetName(budget, t);
  const spent = t("budgets.list.spent", {
    spent: formatMoney(budget.spendUsd, language),
    limit: formatMoney(budget.limitUsd, language),
    percent: formatPercent(budget.percent / 100, language),
  });
  const headingId = `budget-${budget.id}-name`;
  return (
    <li className={styles.item} aria-labelledby={headingId}>
      <div className={styles.itemHeader}>
        <h3 id={headingId} className={styles.itemName}>
          {name}
        </h3>
        <span className={styles.figures}>{spent}</span>
      </div>
      <ProgressBar
        label={name}
        percent={budget.percent}
        valueText={spent}
        marks={budget.thresholds}
        tone={budgetTone(budget.percent)}
      />
      <div className={styles.thresholdRow}>
        <span className={styles.muted} aria-hidden="true">
          {t("budgets.list.thresholds")}
        </span>
        <ul className={styles.thresholds} aria-label={t("budgets.list.thresholds")}>
          {budget.thresholds.map((threshold) => {
            const reached = budget.crossed.includes(threshold);
            return (
              <li key={threshold} className={`${styles.threshold} ${reached ? styles.reached : ""}`}>
                {t(reached ? "budgets.list.reached" : "budgets.list.pending", { threshold })}
              </li>
            );
          })}
        </ul>
      </div>
      {budget.unpricedRequests > 0 ? (
        <p className={styles.unpriced}>
          {t("budgets.list.unpriced", { count: budget.unpricedRequests })}{" "}
          <a href="#/prices">{t("budgets.list.addPrices")}</a>
        </p>
      ) : null}
      <p className={styles.muted}>
        {t("budgets.list.period", {
          start: formatDateTimeMinutes(budget.periodStart, language),
          end: formatDateTimeMinutes(budget.periodEnd, language),
        })}
      </p>
      <div className={styles.actions}>
        <Button onClick={() => onEdit(budget)} disabled={disabled} aria-label={t("budgets.list.editLabel", { name })}>
          {t("budgets.list.edit")}
        </Button>
        <Button
          variant="ghost"
          onClick={() => onDelete(budget)}
          disabled={disabled}
          aria-label={t("budgets.list.deleteLabel", { name })}
        >
          {t("budgets.list.delete")}
        </Button>
      </div>
    </li>
  );
}
