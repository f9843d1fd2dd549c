export const ALERT_KINDS = [
  "stalled",
  "unreachable",
  "stopped",
  "publishing_off",
  "idle",
  "data_gap",
  "failure_spike",
  "spend_spike",
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The monitoring view that shows an alert: a range (unix ms) and that view's filters. */
export interface Evidence {
  start: number;
  /** null: up to the clearing, or now while the alert is open. */
  end: number | null;
  account: string;
  apiKey: string;
}

export type Fact = string | number | null;

export interface AlertItem {
  id: number;
  /** One of ALERT_KINDS; a kind this panel does not know is shown with the server's own words. */
  kind: string;
  subject: string;
  subjectLabel: string;
  title: string;
  message: string;
  facts: Readonly<Record<string, Fact>>;
  open: boolean;
  openedAt: number;
  clearedAt: number | null;
  acknowledged: boolean;
  acknowledgedAt: number | null;
  evidence: Evidence;
}

export interface ThresholdLimit {
  name: string;
  minimum: number;
  maximum: number;
  defaultValue: number;
  whole: boolean;
}

export interface AlertSettings {
  kinds: Record<string, boolean>;
  thresholds: Record<string, number>;
  limits: ThresholdLimit[];
}

/** What the settings form edits: switches as booleans, thresholds as the typed text. */
export interface SettingsDraft {
  kinds: Record<string, boolean>;
  thresholds: Record<string, string>;
}
