import type { Message } from "../message";

/** The Logs page's messages: English first, Chinese with exactly the same keys. */
export const logsEn = {
  "logs.page.title": "Logs",
} as const satisfies Record<string, Message>;

export const logsZhCN: Record<keyof typeof logsEn, Message> = {
  "logs.page.title": "日志",
};
