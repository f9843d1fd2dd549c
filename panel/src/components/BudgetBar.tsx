import { budgetTone, type Budget } from "../lib/budgets";
import { ProgressBar } from "./ui/ProgressBar";

interface BudgetBarProps {
  budget: Budget;
  /** The budget's name (budgetName), the bar's accessible name. */
  name: string;
  /** Spend against the limit (budgetSpent), spoken as the bar's value. */
  spent: string;
}

/** A budget's spend as a bar with its thresholds marked, as loud as the tray: the budgets page and the dashboard card. */
export function BudgetBar({ budget, name, spent }: BudgetBarProps) {
  return (
    <ProgressBar
      label={name}
      percent={budget.percent}
      valueText={spent}
      marks={budget.thresholds}
      tone={budgetTone(budget.percent)}
    />
  );
}
