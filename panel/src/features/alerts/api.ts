import { http } from "../../lib/http";
import { asRecord, num, numOrNull, str, list } from "../../lib/wire";
import type { AlertItem, AlertSettings, Evidence, Fact, SettingsDraft } from "./types";

const SECOND_MS = 1000;

function secondsToMs(value: unknown): number | null {
  const seconds = numOrNull(value);
  return seconds === null ? null : seconds * SECOND_MS;
}

function toFacts(wire: unknown): Record<string, Fact> {
  const facts: Record<string, Fact> = {};
  for (const [name, value] of Object.entries(asRecord(wire))) {
    if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value)) || value === null) {
      facts[name] = value;
    }
  }
  return facts;
}

function toEvidence(wire: unknown): Evidence {
  const e = asRecord(wire);
  const filters = asRecord(e.filters);
  return {
    start: secondsToMs(e.start) ?? 0,
    end: secondsToMs(e.end),
    account: str(filters.account),
    apiKey: str(filters.apiKey),
  };
}

export function toAlert(wire: unknown): AlertItem {
  const a = asRecord(wire);
  return {
    id: num(a.id),
    kind: str(a.kind),
    subject: str(a.subject),
    subjectLabel: str(a.subject_label),
    title: str(a.title),
    message: str(a.message),
    facts: toFacts(a.facts),
    open: a.open === true,
    openedAt: secondsToMs(a.opened_at) ?? 0,
    clearedAt: secondsToMs(a.cleared_at),
    acknowledged: a.acknowledged === true,
    acknowledgedAt: secondsToMs(a.acknowledged_at),
    evidence: toEvidence(a.evidence),
  };
}

export function toAlerts(wire: unknown): AlertItem[] {
  const items = asRecord(wire).alerts;
  return list(items).map(toAlert);
}

export function toSettings(wire: unknown): AlertSettings {
  const body = asRecord(wire);
  const kinds: Record<string, boolean> = {};
  for (const [name, on] of Object.entries(asRecord(body.kinds))) {
    if (typeof on === "boolean") kinds[name] = on;
  }
  const thresholds: Record<string, number> = {};
  for (const [name, value] of Object.entries(asRecord(body.thresholds))) {
    if (typeof value === "number" && Number.isFinite(value)) thresholds[name] = value;
  }
  const limits = list(body.limits).map((item) => {
    const l = asRecord(item);
    return {
      name: str(l.name),
      minimum: num(l.minimum),
      maximum: num(l.maximum),
      defaultValue: num(l.default),
      whole: l.whole === true,
    };
  });
  return { kinds, thresholds, limits };
}

/** The PUT body: every switch and every threshold as a number (the draft was validated first). */
export function settingsBody(draft: SettingsDraft): { kinds: Record<string, boolean>; thresholds: Record<string, number> } {
  const thresholds: Record<string, number> = {};
  for (const [name, text] of Object.entries(draft.thresholds)) thresholds[name] = Number(text);
  return { kinds: { ...draft.kinds }, thresholds };
}

export const alertsApi = {
  list: (): Promise<AlertItem[]> => http.get("/alerts").then(toAlerts),
  acknowledge: (id: number): Promise<AlertItem> =>
    http.post(`/alerts/${id}/acknowledge`, {}).then((body) => toAlert(asRecord(body).alert)),
  settings: (): Promise<AlertSettings> => http.get("/alerts/settings").then(toSettings),
  saveSettings: (draft: SettingsDraft): Promise<AlertSettings> =>
    http.put("/alerts/settings", settingsBody(draft)).then(toSettings),
};
