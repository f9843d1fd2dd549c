import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConnectionContext, type Connection } from "../../lib/connection";
import type { CpaConfig } from "../../lib/cpa/status";
import { browserTimeZone, toServiceStatus, type ServiceStatus } from "../../lib/serviceStatus";
import type { Resource } from "../../lib/useResource";
import { fakeServer, json, type FakeServer } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { DiagnosticsPage } from "./DiagnosticsPage";

/** The page compares CPA's recent traffic with what was stored over the same span, ending now. */
const NOW = new Date("2026-11-25T12:00:00Z").getTime();
const MINUTE = 60_000;

const AUTH_FILES = "/v0/management/auth-files";
const PUBLISHING = "/v0/management/usage-statistics-enabled";

/** CPA's two recent 10-minute buckets for one account: 6 requests in the last 20 minutes. */
const FILES = {
  files: [
    {
      auth_index: "a1",
      name: "alice.json",
      email: "alice@example.com",
      provider: "claude",
      recent_requests: [
        { success: 3, failed: 1 },
        { success: 2, failed: 0 },
      ],
    },
  ],
};

/** The breakdown request the page makes for FILES' 20-minute window. */
function breakdownUrl(): string {
  const query = new URLSearchParams({
    by: "account",
    start: String(NOW - 20 * MINUTE),
    end: String(NOW + MINUTE),
    tz: browserTimeZone(),
  });
  return `/v0/management/analytics/breakdown?${query.toString()}`;
}

/** The coverage request the page makes: Monitoring's default range, the last 24 hours. */
const COVERAGE = `/coverage?start=${NOW - 24 * 60 * MINUTE}&end=${NOW}`;

function status(collector: Record<string, unknown> = {}): ServiceStatus {
  return toServiceStatus({
    version: "1.4.0",
    configured: true,
    events: 1200,
    oldestEventAt: NOW - 3 * 24 * 60 * MINUTE,
    newestEventAt: NOW - 2 * MINUTE,
    deadLetters: 0,
    startedAt: NOW - 60 * MINUTE,
    collector: {
      state: "running",
      transport: "resp",
      usageStatisticsEnabled: true,
      lastInsertedAt: NOW - 2 * MINUTE,
      pollIntervalMs: 5000,
      minPollsPerRetention: 4,
      queueRetentionSeconds: 60,
      ...collector,
    },
  });
}

function cpaConfig(overrides: Partial<CpaConfig> = {}): CpaConfig {
  return { version: "v7.2.140", buildDate: "", usageStatisticsEnabled: true, queueRetentionSeconds: 60, ...overrides };
}

function resource<T>(data: T | null, error: unknown = null): Resource<T> {
  return { data, error, loading: false, reload: vi.fn() };
}

const CPA_PANEL_NO_SERVICE: Connection = {
  mode: "cpa",
  usageServiceUrl: null,
  hasUsageService: false,
  setUsageServiceUrl: () => undefined,
};

let server: FakeServer;

beforeEach(() => {
  // Only Date is faked: the breakdown URL depends on "now", and timers must keep running.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  server = fakeServer({
    [`GET ${AUTH_FILES}`]: () => json(FILES),
    [`GET ${breakdownUrl()}`]: () => json({ items: [{ key: "a1", requests: 6 }, { key: "api-key-x", requests: 50 }] }),
    [`GET ${COVERAGE}`]: () => json({ gaps: [], totalS: 0 }),
  });
});

afterEach(() => {
  vi.useRealTimers();
});

function renderPage(props: { status: Resource<ServiceStatus>; cpa: Resource<CpaConfig> }, connection?: Connection) {
  const page = <DiagnosticsPage status={props.status} cpa={props.cpa} />;
  renderWithI18n(connection ? <ConnectionContext.Provider value={connection}>{page}</ConnectionContext.Provider> : page);
  return userEvent.setup();
}

/** The checklist item whose heading starts with this check's title. */
function checkItem(title: string): HTMLElement {
  const heading = screen.getByRole("heading", { level: 2, name: new RegExp(`^${title.replace(/[()]/g, "\\$&")} `) });
  const item = heading.closest("li");
  if (!item) throw new Error(`no list item for ${title}`);
  return item;
}

describe("DiagnosticsPage", () => {
  it("leads with usage publishing being off and turns it on, then checks again", async () => {
    const statusRes = resource(status({ usageStatisticsEnabled: false }));
    const cpaRes = resource(cpaConfig({ usageStatisticsEnabled: false }));
    server = fakeServer({
      [`GET ${AUTH_FILES}`]: () => json(FILES),
      [`PUT ${PUBLISHING}`]: () => json({ status: "ok" }),
    });
    const user = renderPage({ status: statusRes, cpa: cpaRes });

    const lead = screen.getByRole("alert");
    expect(within(lead).getByText("Most likely cause")).toBeTruthy();
    expect(lead.textContent).toContain(
      "Usage publishing (usage-statistics-enabled): CPA's usage-statistics-enabled is off (its default), so CPA creates no usage records at all.",
    );
    await waitFor(() => expect(server.callsTo("GET", AUTH_FILES)).toHaveLength(1));

    const publishing = checkItem("Usage publishing (usage-statistics-enabled)");
    await user.click(within(publishing).getByRole("button", { name: "Turn on usage publishing" }));

    await waitFor(() => expect(cpaRes.reload).toHaveBeenCalledOnce());
    const puts = server.callsTo("PUT", PUBLISHING);
    expect(puts).toHaveLength(1);
    expect(JSON.parse(String(puts[0]?.body))).toEqual({ value: true });
    expect(statusRes.reload).toHaveBeenCalledOnce();
    await waitFor(() => expect(server.callsTo("GET", AUTH_FILES)).toHaveLength(2));
  });

  it("shows why turning publishing on failed and does not re-check", async () => {
    const statusRes = resource(status({ usageStatisticsEnabled: false }));
    const cpaRes = resource(cpaConfig({ usageStatisticsEnabled: false }));
    server = fakeServer({
      [`GET ${AUTH_FILES}`]: () => json(FILES),
      [`PUT ${PUBLISHING}`]: () =>
        json({ error: "Cannot reach CPA at http://127.0.0.1:8317: connection refused", code: "cpa_unreachable" }, 502),
    });
    const user = renderPage({ status: statusRes, cpa: cpaRes });
    const publishing = checkItem("Usage publishing (usage-statistics-enabled)");
    await user.click(within(publishing).getByRole("button", { name: "Turn on usage publishing" }));

    expect((await within(publishing).findByRole("alert")).textContent).toBe(
      "Cannot reach CPA at http://127.0.0.1:8317: connection refused",
    );
    expect(cpaRes.reload).not.toHaveBeenCalled();
    expect(within(publishing).getByRole<HTMLButtonElement>("button", { name: "Turn on usage publishing" }).disabled).toBe(false);
  });

  it("offers to resume a paused collector and posts /collector/resume", async () => {
    const statusRes = resource(status({ state: "paused", pausedSince: NOW - 5 * MINUTE }));
    const cpaRes = resource(cpaConfig());
    server = fakeServer({
      [`GET ${AUTH_FILES}`]: () => json(FILES),
      "POST /collector/resume": () => json({ ok: true, collector: { state: "running" } }),
    });
    const user = renderPage({ status: statusRes, cpa: cpaRes });

    expect(screen.queryByRole("alert")).toBeNull();
    const lead = screen.getAllByRole("status").find((s) => s.textContent?.startsWith("Most likely cause"));
    expect(lead?.textContent).toContain("Collector: Collection was paused 5 minutes ago.");

    await user.click(within(checkItem("Collector")).getByRole("button", { name: "Resume collection" }));
    await waitFor(() => expect(statusRes.reload).toHaveBeenCalledOnce());
    const posts = server.callsTo("POST", "/collector/resume");
    expect(posts).toHaveLength(1);
    expect(cpaRes.reload).toHaveBeenCalledOnce();
  });

  it("lists the intervals that were not collected in the last 24 hours", async () => {
    const gap = { start: NOW - 120 * MINUTE, end: NOW - 111 * MINUTE, open: false, reason: "paused", lengthS: 540, retentionS: 60 };
    server = fakeServer({
      [`GET ${AUTH_FILES}`]: () => json(FILES),
      [`GET ${breakdownUrl()}`]: () => json({ items: [{ key: "a1", requests: 6 }] }),
      [`GET ${COVERAGE}`]: () => json({ gaps: [gap], totalS: 540 }),
    });
    renderPage({ status: resource(status()), cpa: resource(cpaConfig()) });

    const coverage = checkItem("Collection coverage");
    const detail = await within(coverage).findByText(/^Not collected in 1 interval of the last 24 hours: /);
    expect(detail.textContent).toMatch(/Not collected: paused \(.+ – .+, 9 min\)\. Requests CPA served then are missing here/);
    expect(within(coverage).getByText("Check")).toBeTruthy();
  });

  it("says everything checks out when every check passes", async () => {
    renderPage({ status: resource(status()), cpa: resource(cpaConfig()) });

    // The one check that waits for traffic: 6 of CPA's 6 requests on known accounts arrived.
    const consumer = checkItem("Only one consumer on the queue");
    await within(consumer).findByText(
      "6 of the 6 requests CPA served on its accounts in the last 20 minutes arrived here.",
    );
    const allGood = screen
      .getAllByRole("status")
      .find((s) => s.textContent?.startsWith("Everything checks out: records are being collected."));
    expect(allGood).toBeTruthy();
    expect(screen.queryByText("Most likely cause")).toBeNull();
    expect(server.callsTo("GET", breakdownUrl())).toHaveLength(1);
  });

  it("blames another consumer when CPA served requests that never arrived", async () => {
    server = fakeServer({
      [`GET ${AUTH_FILES}`]: () => json(FILES),
      [`GET ${breakdownUrl()}`]: () => json({ items: [{ key: "api-key-x", requests: 50 }] }),
    });
    renderPage({ status: resource(status()), cpa: resource(cpaConfig()) });

    const lead = await screen.findByRole("alert");
    expect(lead.textContent).toContain(
      "Only one consumer on the queue: CPA served 6 requests on its accounts in the last 20 minutes, but none reached CPA Manager.",
    );
  });

  it("in CPA panel mode without a usage service, leads with connecting one and asks only CPA", async () => {
    renderPage({ status: resource<ServiceStatus>(null, new Error("no usage service")), cpa: resource(cpaConfig()) }, CPA_PANEL_NO_SERVICE);

    const lead = screen.getByRole("alert");
    expect(lead.textContent).toContain(
      "Usage service: No usage service is connected, and CPA keeps no history of its own. Connect CPA Manager under Settings.",
    );
    const link = within(checkItem("Usage service")).getByRole("link", { name: "Open Settings" });
    expect(link.getAttribute("href")).toBe("#/settings");
    expect(within(checkItem("CPA connection")).getByText("CPA v7.2.140 answers and accepts the Management Key.")).toBeTruthy();
    // Traffic is compared with the usage service's records, so without one nothing is fetched.
    // Let the page's loads settle (they resolve in microtasks, no timers) before asserting none went out.
    await act(async () => {});
    expect(server.calls).toEqual([]);
  });
});
