import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConnectionContext } from "../../lib/connection";
import { fakeServer, json, type FakeServer } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { QuotaPage } from "./QuotaPage";

const HOUR = 3600;
let server: FakeServer;
let statusCalls: number;

function credential(auth_index: string, provider: string, label: string, snapshot: unknown) {
  return { auth_index, provider, label, snapshot,
    schedule: { next_check: 9_999_999_999, stopped: null, last_checked: 1, last_state: "ok", backoff_seconds: 0 } };
}

beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(900);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1200);
  const now = Math.floor(Date.now() / 1000);
  statusCalls = 0;
  server = fakeServer({
    "GET /quota/latest": () => json({ credentials: [
      credential("a1", "codex", "car***@example.com", { at: now - 60, state: "ok", plan: "plus", windows: [
        { key: "five_hour", used_percent: 23, resets_at: now + 2 * HOUR + 60, window_seconds: 18000 },
        { key: "weekly", used_percent: 41.5, resets_at: now + 30 * HOUR, window_seconds: 604800 }] }),
      credential("b2", "codex", "dav***@example.com", { at: now - 60, state: "ok", plan: "pro", windows: [
        { key: "five_hour", used_percent: 100, resets_at: now + HOUR, window_seconds: 18000 }] }),
      credential("e5", "codex", "gus***@example.com", { at: now - 60, state: "ok", plan: "plus", windows: [
        { key: "five_hour", used_percent: 92, resets_at: now + 3 * HOUR, window_seconds: 18000 }] }),
      credential("c3", "claude", "eri***@example.com", { at: now - 60, state: "expired", plan: null, windows: [], detail: "HTTP 401" }),
      credential("d4", "kimi", "new***@example.com", null),
    ] }),
    "GET /quota/usage": () => json({ now, credentials: { a1: [
      { window: "five_hour", start: now - 3 * HOUR, end: now, requests: 3, failures: 0, tokens: 3300, cost_usd: 0.2076, unpriced_requests: 0 },
      { window: "weekly", start: now - 100 * HOUR, end: now, requests: 2, failures: 0, tokens: 2200, cost_usd: 0.004, unpriced_requests: 0 }] } }),
    "GET /quota/sparklines?days=7": () => json({ start: now - 7 * 24 * HOUR, end: now, bucket_seconds: 21600,
      credentials: { a1: { five_hour: [10, null, 30], weekly: [5, 6, 7] } } }),
    "GET /quota/status": () => {
      statusCalls += 1;
      const running = statusCalls === 2;  // the page's first read is for the interval; then one poll still running
      return json({ state: "idle", interval_seconds: 900, refresh: { total: 1, done: running ? 0 : 1, running, requested_at: now, finished_at: null } });
    },
    "POST /quota/refresh": () => json({ refresh: { total: 0, done: 0, running: true, requested_at: now, finished_at: null } }, 202),
  });
});
afterEach(() => vi.restoreAllMocks());

function renderPage() {
  renderWithI18n(
    <ConnectionContext.Provider value={{ mode: "full", usageServiceUrl: null, hasUsageService: true, setUsageServiceUrl: () => undefined }}>
      <QuotaPage />
    </ConnectionContext.Provider>,
  );
}

describe("QuotaPage", () => {
  it("shows a card per credential in provider sections, soonest recovery first", async () => {
    renderPage();
    const carol = await screen.findByRole("article", { name: "car***@example.com" });
    expect(screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent)).toEqual(
      ["claude 1 credential", "codex 3 credentials", "kimi 1 credential"]);
    expect(screen.getAllByRole("article").map((a) => a.getAttribute("aria-label"))).toEqual(
      ["eri***@example.com", "dav***@example.com", "car***@example.com", "gus***@example.com", "new***@example.com"]);
    expect(carol.textContent).toContain("Plan: plus");
    expect(carol.textContent).toContain("5 hours23% used");
    expect(carol.textContent).toMatch(/resets in 2 h [01] min/);
    // Cost as money, like the budgets: two decimals ($0.2076 → $0.21, not "$0.2076"), and "< $0.01" for a non-zero amount under a cent.
    await waitFor(() => expect(carol.textContent).toContain("This window: 3 requests · 3,300 tokens · $0.21"));
    expect(carol.textContent).toContain("This window: 2 requests · 2,200 tokens · < $0.01");
    await waitFor(() => expect(within(carol).getByRole("img").getAttribute("aria-label")).toBe(
      "Used % over 7 days: 5 hours peak 30%, Weekly peak 7%"));
    expect(screen.getByRole("article", { name: "dav***@example.com" }).textContent).toContain("Exhausted");
    // 92 % used in a window: still usable, but amber "Low", not the green "OK".
    const gus = screen.getByRole("article", { name: "gus***@example.com" });
    expect(gus.getAttribute("data-state")).toBe("low");
    expect(gus.querySelector("header")?.textContent).toBe("gus***@example.comLow");
    expect(carol.querySelector("header")?.textContent).toBe("car***@example.comOK");
    expect(screen.getByRole("article", { name: "eri***@example.com" }).textContent).toContain("The provider refused this credential (HTTP 401)");
    expect(screen.getByRole("article", { name: "new***@example.com" }).textContent).toContain("Not yet checked");
    expect(screen.getByText("CPA Manager checks every enabled credential's quota every 15 minutes and keeps a year of history.")).toBeTruthy();
  });

  it("refreshes one credential, follows the progress and reloads the cards", async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole("article", { name: "car***@example.com" });
    await user.click(screen.getByRole("button", { name: "Refresh car***@example.com" }));
    const progress = screen.getByRole("region", { name: "Refresh progress" });
    await waitFor(() => expect(within(progress).getByRole("status").textContent).toBe("car***@example.com checked."), { timeout: 3000 });
    expect(server.callsTo("POST", "/quota/refresh").map((c) => JSON.parse(String(c.body)))).toEqual([{ auth_index: "a1" }]);
    expect(server.callsTo("GET", "/quota/latest").length).toBeGreaterThanOrEqual(2);
  });

  it("filters by provider and sorts by name", async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole("article", { name: "car***@example.com" });
    await user.click(within(screen.getByRole("group", { name: "Providers" })).getByRole("button", { name: /^codex/ }));
    await user.selectOptions(screen.getByLabelText("Sort"), "name");
    expect(screen.getByText("3 of 5 shown")).toBeTruthy();
    expect(screen.getAllByRole("article").map((a) => a.getAttribute("aria-label"))).toEqual(
      ["car***@example.com", "dav***@example.com", "gus***@example.com"]);
  });
});
