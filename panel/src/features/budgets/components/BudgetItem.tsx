import { BudgetBar } from "../../../components/BudgetBar";
import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import { budgetName, budgetSpent, type Budget } from "../../../lib/budgets";
import { formatDateTimeMinutes } from "../../../lib/format";
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
  const spent = budgetSpent(budget, t, language);
  const headingId = `budget-${budget.id}-name`;
  return (
    <li className={styles.item} aria-labelledby={headingId}>
      <div className={styles.itemHeader}>
        <h3 id={headingId} className={styles.itemName}>
          {name}
        </h3>
        <span className={styles.figures}>{spent}</span>
      </div>
      <BudgetBar budget={budget} name={name} spent={spent} />
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
