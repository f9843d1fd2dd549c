import type { MessageKey } from "../../i18n/en";
import type { CollectorAction } from "../../lib/serviceStatus";

export type CheckState = "ok" | "warn" | "fail" | "unknown";

/** What a check offers to do about itself. */
export type CheckAction =
  | { kind: "enablePublishing" }
  | { kind: "collector"; action: CollectorAction }
  | { kind: "link"; href: string; label: MessageKey };

export interface Check {
  id: string;
  state: CheckState;
  title: MessageKey;
  /** A plain sentence with live numbers; its variables are filled by the page. */
  detail: MessageKey;
  vars: Record<string, string | number>;
  action: CheckAction | null;
}

/** CPA's recent traffic against what reached the usage service over the same window. */
export interface Traffic {
  windowMinutes: number;
  cpaRequests: number;
  collected: number;
}
