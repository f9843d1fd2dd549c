import type { Message } from "../message";

/** The budgets area's messages: English first, Chinese with exactly the same keys. */
export const budgetsEn = {
  "budgets.page.title": "Budgets",
} as const satisfies Record<string, Message>;

export const budgetsZhCN: Record<keyof typeof budgetsEn, Message> = {
  "budgets.page.title": "预算",
};
