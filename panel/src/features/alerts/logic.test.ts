import { describe, expect, it } from "vitest";
import { makeTranslate } from "../../i18n/translate";
import { toAlert, toSettings, settingsBody } from "./api";
import {
  alertSentence,
  alertTitle,
  canAcknowledge,
  draftErrors,
  draftFrom,
  evidenceHash,
  isDraftDirty,
  sortAlerts,
} from "./logic";

const t = makeTranslate("en");
const zh = makeTranslate("zh-CN");
// 2026-11-30 12:30:20 local time (the tests run in UTC).
const OPENED_S = Date.UTC(2026, 10, 30, 12, 30, 20) / 1000;

/** An alert as GET /alerts sends it (see tests/test_alert_api.py). */
function wire(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 7,
    kind: "failure_spike",
    subject: "account:abc123",
    subject_label: "ali***@example.com",
    title: "Credential ali***@example.com failing more than usual",
    message: "Credential ali***@example.com: 50% of 30 requests failed in the last hour, against 2.0% over the previous 7 days.",
    facts: { scope: "account", requests: 30, failures: 15, rate: 0.5, baseline_rate: 0.02, baseline_requests: 300 },
    open: true,
    opened_at: OPENED_S,
    cleared_at: null,
    acknowledged: false,
    acknowledged_at: null,
    evidence: { start: OPENED_S - 3600, end: OPENED_S, filters: { account: "abc123" } },
    ...overrides,
  };
}

describe("alert converters", () => {
  it("reads an alert with times in milliseconds and the evidence filters", () => {
    const alert = toAlert(wire());
    expect(alert.openedAt).toBe(OPENED_S * 1000);
    expect(alert.clearedAt).toBeNull();
    expect(alert.evidence).toEqual({ start: (OPENED_S - 3600) * 1000, end: OPENED_S * 1000, account: "abc123", apiKey: "" });
    expect(alert.facts.rate).toBe(0.5);
  });

  it("reads the settings and sends the thresholds back as numbers", () => {
    const settings = toSettings({
      kinds: { stalled: true, spend_spike: false },
      thresholds: { failure_factor: 3, spend_floor_usd: 1 },
      limits: [
        { name: "failure_factor", minimum: 1, maximum: 100, default: 3, whole: false, description: "" },
        { name: "spend_floor_usd", minimum: 0.01, maximum: 1000000, default: 1, whole: false, description: "" },
      ],
    });
    const draft = draftFrom(settings);
    expect(draft).toEqual({ kinds: { stalled: true, spend_spike: false }, thresholds: { failure_factor: "3", spend_floor_usd: "1" } });
    expect(isDraftDirty(draft, settings)).toBe(false);
    const edited = { ...draft, thresholds: { ...draft.thresholds, spend_floor_usd: "2.5" } };
    expect(isDraftDirty(edited, settings)).toBe(true);
    expect(settingsBody(edited)).toEqual({ kinds: { stalled: true, spend_spike: false }, thresholds: { failure_factor: 3, spend_floor_usd: 2.5 } });
    expect(draftErrors({ ...draft, thresholds: { failure_factor: "0.5", spend_floor_usd: "x" } }, settings)).toEqual({
      failure_factor: "alerts.settings.outOfRange",
      spend_floor_usd: "alerts.settings.notANumber",
    });
  });
});

describe("evidenceHash", () => {
  it("opens the monitoring view over the alert's minutes, filtered to its credential", () => {
    expect(evidenceHash(toAlert(wire()), 0)).toBe(
      "#/monitoring?range=custom&from=2026-11-30T11%3A30&to=2026-11-30T12%3A31&account=abc123",
    );
  });

  it("runs an open range until the clearing, or until now", () => {
    const open = toAlert(wire({ kind: "stalled", evidence: { start: OPENED_S - 90, end: null, filters: {} } }));
    const now = Date.UTC(2026, 10, 30, 13, 0, 5);
    expect(evidenceHash(open, now)).toBe("#/monitoring?range=custom&from=2026-11-30T12%3A28&to=2026-11-30T13%3A01");
    const cleared = toAlert(wire({ kind: "stalled", cleared_at: OPENED_S + 600, evidence: { start: OPENED_S, end: null, filters: {} } }));
    expect(evidenceHash(cleared, now)).toBe("#/monitoring?range=custom&from=2026-11-30T12%3A30&to=2026-11-30T12%3A41");
  });
});

describe("alert wording", () => {
  it("says what happened in the panel's language from the facts", () => {
    const alert = toAlert(wire());
    expect(alertTitle(alert, t)).toBe("Credential ali***@example.com failing more than usual");
    expect(alertSentence(alert, t, "en")).toBe(
      "50.0% of 30 requests failed in the last hour, against 2.0% over the previous 7 days.",
    );
    expect(alertTitle(alert, zh)).toBe("凭证 ali***@example.com 失败率高于平常");
    const stalled = toAlert(wire({ kind: "stalled", facts: { seconds: 75, retention_s: 60, error: "" } }));
    expect(alertSentence(stalled, t, "en")).toBe(
      "Nothing has been taken from CPA's usage queue for 75 seconds although collection is running; CPA drops usage after 60 s, so requests go unrecorded. Restart collection.",
    );
    const spend = toAlert(wire({ kind: "spend_spike", facts: { cost_usd: 12, baseline_usd: 0.7143 } }));
    expect(alertSentence(spend, t, "en")).toBe(
      "The last hour cost $12.00 at API prices, against $0.7143 on average in the same hour on the previous days with usage.",
    );
  });

  it("keeps the server's words for a kind it does not know", () => {
    const alert = toAlert(wire({ kind: "sunspots", title: "Sunspots", message: "The sun is busy." }));
    expect([alertTitle(alert, t), alertSentence(alert, t, "en")]).toEqual(["Sunspots", "The sun is busy."]);
  });

  it("lists open alerts first, newest first", () => {
    const alerts = [
      toAlert(wire({ id: 1, open: false, opened_at: OPENED_S + 50 })),
      toAlert(wire({ id: 2, opened_at: OPENED_S })),
      toAlert(wire({ id: 3, opened_at: OPENED_S + 10 })),
    ];
    expect(sortAlerts(alerts).map((a) => a.id)).toEqual([3, 2, 1]);
  });

  it("lists cleared alerts by when they cleared, latest first", () => {
    const alerts = [
      toAlert(wire({ id: 1, open: false, opened_at: OPENED_S + 50, cleared_at: OPENED_S + 60 })),
      toAlert(wire({ id: 2, open: false, opened_at: OPENED_S, cleared_at: OPENED_S + 900 })),
      toAlert(wire({ id: 3, opened_at: OPENED_S - 999 })),
    ];
    expect(sortAlerts(alerts).map((a) => a.id)).toEqual([3, 2, 1]);
  });

  it("offers acknowledging only for an open, unacknowledged alert", () => {
    expect(canAcknowledge(toAlert(wire({ open: true, acknowledged: false })))).toBe(true);
    expect(canAcknowledge(toAlert(wire({ open: true, acknowledged: true, acknowledged_at: OPENED_S })))).toBe(false);
    expect(canAcknowledge(toAlert(wire({ open: false, cleared_at: OPENED_S + 60, acknowledged: false })))).toBe(false);
  });
});
