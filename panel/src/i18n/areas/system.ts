import type { Message } from "../message";

/** The System page's messages: English first, Chinese with exactly the same keys. */
export const systemEn = {
  "system.page.title": "System",
} as const satisfies Record<string, Message>;

export const systemZhCN: Record<keyof typeof systemEn, Message> = {
  "system.page.title": "系统",
};
