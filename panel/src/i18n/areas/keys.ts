import type { Message } from "../message";

/** The Client API keys page's messages: English first, Chinese with exactly the same keys. */
export const keysEn = {
  "keys.page.title": "Client API keys",
} as const satisfies Record<string, Message>;

export const keysZhCN: Record<keyof typeof keysEn, Message> = {
  "keys.page.title": "客户端 API 密钥",
};
