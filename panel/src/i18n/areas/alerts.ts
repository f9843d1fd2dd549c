import type { Message } from "../message";

/** The alerts area's messages: English first, Chinese with exactly the same keys. */
export const alertsEn = {
  "alerts.page.title": "Alerts",
} as const satisfies Record<string, Message>;

export const alertsZhCN: Record<keyof typeof alertsEn, Message> = {
  "alerts.page.title": "告警",
};
