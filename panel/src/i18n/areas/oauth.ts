import type { Message } from "../message";

/** The OAuth login page's messages: English first, Chinese with exactly the same keys. */
export const oauthEn = {
  "oauth.page.title": "OAuth login",
} as const satisfies Record<string, Message>;

export const oauthZhCN: Record<keyof typeof oauthEn, Message> = {
  "oauth.page.title": "OAuth 登录",
};
