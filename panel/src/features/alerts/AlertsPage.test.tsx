import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { fakeServer, json, type FakeServer } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { AlertsPage } from "./AlertsPage";

const OPENED_S = 1_796_000_000;
const LIMITS = [
  { name: "failure_factor", minimum: 1, maximum: 100, default: 3, whole: false, description: "" },
  { name: "renotify_minutes", minimum: 1, maximum: 1440, default: 30, whole: true, description: "" },
];

let server: FakeServer;
let acknowledged: boolean;
let kinds: Record<string, boolean>;

function alertWire() {
  return {
    id: 4, kind: "publishing_off", subject: "", subject_label: "", title: "CPA is not publishing usage",
    message: "usage-statistics-enabled is off on CPA.", facts: {}, open: true, opened_at: OPENED_S,
    cleared_at: null, acknowledged, acknowledged_at: acknowledged ? OPENED_S + 60 : null,
    evidence: { start: OPENED_S - 3600, end: null, filters: {} },
  };
}

function settingsWire() {
  return { kinds, thresholds: { failure_factor: 3, renotify_minutes: 30 }, limits: LIMITS };
}

beforeEach(() => {
  acknowledged = false;
  kinds = { publishing_off: true, spend_spike: true };
  server = fakeServer({
    "GET /alerts": () => json({ alerts: [alertWire()] }),
    "POST /alerts/4/acknowledge": () => {
      acknowledged = true;
      return json({ alert: alertWire() });
    },
    "GET /alerts/settings": () => json(settingsWire()),
    "PUT /alerts/settings": (call) => {
      kinds = (JSON.parse(String(call.body)) as { kinds: Record<string, boolean> }).kinds;
      return json(settingsWire());
    },
  });
});

describe("AlertsPage", () => {
  it("lists an open alert with its evidence link, and acknowledges it", async () => {
    const user = userEvent.setup();
    renderWithI18n(<AlertsPage />);
    const item = await screen.findByRole("article", { name: "CPA is not publishing usage" });
    expect(within(item).getByText("Open")).toBeTruthy();
    expect(within(item).getByRole("link", { name: "Show in monitoring" }).getAttribute("href")).toMatch(
      /^#\/monitoring\?range=custom&from=/,
    );
    await user.click(within(item).getByRole("button", { name: "Acknowledge" }));
    await waitFor(() => expect(within(screen.getByRole("article")).getByText("Acknowledged")).toBeTruthy());
    expect(server.callsTo("POST", "/alerts/4/acknowledge")).toHaveLength(1);
    expect(within(screen.getByRole("article")).queryByRole("button", { name: "Acknowledge" })).toBeNull();
  });

  it("offers no Acknowledge on a cleared alert, even one never acknowledged", async () => {
    server = fakeServer({
      "GET /alerts": () => json({ alerts: [{ ...alertWire(), open: false, cleared_at: OPENED_S + 600 }] }),
      "GET /alerts/settings": () => json(settingsWire()),
    });
    renderWithI18n(<AlertsPage />);
    const item = await screen.findByRole("article", { name: "CPA is not publishing usage" });
    expect(within(item).getByText("Cleared")).toBeTruthy();
    expect(within(item).getByRole("link", { name: "Show in monitoring" })).toBeTruthy();
    expect(within(item).queryByRole("button", { name: "Acknowledge" })).toBeNull();
  });

  it("switches a kind off, and refuses a threshold out of range before sending it", async () => {
    const user = userEvent.setup();
    renderWithI18n(<AlertsPage />);
    const box = await screen.findByRole("checkbox", { name: "Spend spike" });
    await user.click(box);
    await user.click(screen.getByRole("button", { name: "Save alert settings" }));
    await screen.findByText("Alert settings saved.");
    expect(JSON.parse(String(server.callsTo("PUT", "/alerts/settings")[0]?.body))).toEqual({
      kinds: { publishing_off: true, spend_spike: false },
      thresholds: { failure_factor: 3, renotify_minutes: 30 },
    });

    const field = screen.getByRole("textbox", { name: "Notify the same alert at most every (minutes)" });
    await user.clear(field);
    await user.type(field, "0.5");
    await user.click(screen.getByRole("button", { name: "Save alert settings" }));
    expect(await screen.findByText("Some thresholds are not valid; nothing was saved.")).toBeTruthy();
    expect(server.callsTo("PUT", "/alerts/settings")).toHaveLength(1);
  });
});
