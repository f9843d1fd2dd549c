import type { Message } from "../message";

/** The Credentials page's messages: English first, Chinese with exactly the same keys. */
export const credentialsEn = {
  "credentials.page.title": "Credentials",
} as const satisfies Record<string, Message>;

export const credentialsZhCN: Record<keyof typeof credentialsEn, Message> = {
  "credentials.page.title": "凭据",
};
