import type { Message } from "../message";

/** The coverage area's messages: English first, Chinese with exactly the same keys. */
export const coverageEn = {
  "coverage.band.label": "Not collected",
} as const satisfies Record<string, Message>;

export const coverageZhCN: Record<keyof typeof coverageEn, Message> = {
  "coverage.band.label": "未采集",
};
