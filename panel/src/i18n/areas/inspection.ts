import type { Message } from "../message";

/** The inspection area's messages: English first, Chinese with exactly the same keys. */
export const inspectionEn = {
  "inspection.page.title": "Codex inspection",
} as const satisfies Record<string, Message>;

export const inspectionZhCN: Record<keyof typeof inspectionEn, Message> = {
  "inspection.page.title": "Codex 账号巡检",
};
