import { BudgetBar } from "../../../components/BudgetBar";
import { useI18n } from "../../../i18n/I18nProvider";
import { budgetName, budgetSpent, budgetsListApi, byPercentDescending } from "../../../lib/budgets";
import { useResource } from "../../../lib/useResource";
import styles from "./BudgetsCard.module.css";

const REFRESH_MS = 60_000;
const SHOWN = 3;

interface BudgetsCardProps {
  /** Changes when the dashboard's Refresh is pressed. */
  refreshToken: number;
}

/** The budgets closest to their limits, compact; nothing at all until a budget exists. */
export function BudgetsCard({ refreshToken }: BudgetsCardProps) {
  const { t, language } = useI18n();
  const budgets = useResource(() => budgetsListApi.list(), [refreshToken], REFRESH_MS);
  const list = budgets.data ? byPercentDescending(budgets.data) : [];
  if (list.length === 0) return null;
  const hidden = list.length - SHOWN;
  return (
    <section className={styles.card} aria-labelledby="dashboard-budgets-title">
      <div className={styles.header}>
        <h2 id="dashboard-budgets-title" className={styles.title}>
          {t("budgets.card.title")}
        </h2>
        <a href="#/budgets">{t("budgets.card.manage")}</a>
      </div>
      <ul className={styles.list}>
        {list.slice(0, SHOWN).map((budget) => {
          const name = budgetName(budget, t);
          const spent = budgetSpent(budget, t, language);
          return (
            <li key={budget.id} className={styles.item}>
              <div className={styles.row}>
                <span className={styles.name}>{name}</span>
                <span className={styles.figures}>{spent}</span>
              </div>
              <BudgetBar budget={budget} name={name} spent={spent} />
            </li>
          );
        })}
      </ul>
      {hidden > 0 ? <p className={styles.muted}>{t("budgets.card.more", { count: hidden })}</p> : null}
    </section>
  );
}
