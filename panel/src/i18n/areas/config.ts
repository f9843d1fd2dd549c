import type { Message } from "../message";

/** The Configuration page's messages: English first, Chinese with exactly the same keys. */
export const configEn = {
  "config.page.title": "Configuration",
} as const satisfies Record<string, Message>;

export const configZhCN: Record<keyof typeof configEn, Message> = {
  "config.page.title": "配置",
};
