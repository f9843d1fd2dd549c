import type { Message } from "../message";

/** The AI providers page's messages: English first, Chinese with exactly the same keys. */
export const providersEn = {
  "providers.page.title": "AI providers",
} as const satisfies Record<string, Message>;

export const providersZhCN: Record<keyof typeof providersEn, Message> = {
  "providers.page.title": "AI 提供商",
};
