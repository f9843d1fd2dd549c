import type { Message } from "../message";

/** The quota area's messages: English first, Chinese with exactly the same keys. */
export const quotaEn = {
  "quota.page.title": "Quota",
} as const satisfies Record<string, Message>;

export const quotaZhCN: Record<keyof typeof quotaEn, Message> = {
  "quota.page.title": "额度",
};
