import { ProgressBar } from "../../../components/ui/ProgressBar";
import { useI18n } from "../../../i18n/I18nProvider";
import { budgetName, budgetsListApi, budgetTone, byPercentDescending } from "../../../lib/budgets";
import { formatMoney, formatPercent } from "../../../lib/format";
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
          const spent = t("budgets.list.spent", {
            spent: formatMoney(budget.spendUsd, language),
            limit: formatMoney(budget.limitUsd, language),
            percent: formatPercent(budget.percent / 100, language),
          });
          return (
            <li key={budget.id} className={styles.item}>
              <div className={styles.row}>
                <span className={styles.name}>{name}</span>
                <span className={styles.figures}>{spent}</span>
              </div>
              <ProgressBar
                label={name}
                percent={budget.percent}
                valueText={spent}
                marks={budget.thresholds}
                tone={budgetTone(budget.percent)}
              />
            </li>
          );
        })}
      </ul>
      {hidden > 0 ? <p className={styles.muted}>{t("budgets.card.more", { count: hidden })}</p> : null}
    </section>
  );
}
