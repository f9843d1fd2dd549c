import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeServer, json, type Handler } from "../testing/fakeServer";
import { renderWithI18n } from "../testing/render";
import { App } from "./App";

const INFO = "/usage-service/info";
const CONFIG = "/v0/management/config";

const STATUS_BODY = {
  version: "1.4.0",
  configured: true,
  events: 42,
  collector: { state: "running", transport: "resp", usageStatisticsEnabled: true },
};

/** CPA's /config answer, with its version in the headers as CPA sends it. */
const cpaConfig: Handler = () =>
  new Response(JSON.stringify({ "usage-statistics-enabled": true }), {
    status: 200,
    headers: { "Content-Type": "application/json", "X-CPA-VERSION": "v7.2.140", "X-CPA-BUILD-DATE": "2026-11-01" },
  });

/** CPA has no /usage-service/info: it answers 404, which tells the panel it runs inside CPA. */
const notAUsageService: Handler = () => new Response("404 page not found", { status: 404 });

async function signIn(user: ReturnType<typeof userEvent.setup>, key: string) {
  await user.type(await screen.findByLabelText("Management Key"), key);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("App", () => {
  it("shows the full-mode sign-in when this origin is a configured CPA Manager", async () => {
    const server = fakeServer({ [`GET ${INFO}`]: () => json({ service: "cpa-manager", version: "1.4.0", configured: true }) });
    renderWithI18n(<App />);

    expect(await screen.findByRole("heading", { name: "Sign in to CPA Manager" })).toBeTruthy();
    expect(screen.queryByRole("textbox", { name: "CPA address" })).toBeNull();
    // Asking who served the page needs no key.
    expect(server.callsTo("GET", INFO)[0]?.headers.Authorization).toBeUndefined();
  });

  it("shows the CPA panel-mode sign-in when this origin answers /usage-service/info with 404", async () => {
    fakeServer({ [`GET ${INFO}`]: notAUsageService });
    renderWithI18n(<App />);

    expect(await screen.findByRole("heading", { name: "Sign in to CLIProxyAPI" })).toBeTruthy();
  });

  it("signs in to CPA in panel mode, shows CPA's version, and explains the missing usage service", async () => {
    const user = userEvent.setup();
    const server = fakeServer({ [`GET ${INFO}`]: notAUsageService, [`GET ${CONFIG}`]: cpaConfig });
    renderWithI18n(<App />);
    await signIn(user, "s3cret");

    const nav = await screen.findByRole("navigation", { name: "Main navigation" });
    expect(await screen.findByText("CPA v7.2.140")).toBeTruthy();
    expect(screen.getByText("Connected to CPA")).toBeTruthy();

    await user.click(within(nav).getByRole("link", { name: "Monitoring" }));
    await waitFor(() =>
      expect(within(nav).getByRole("link", { name: "Monitoring" }).getAttribute("aria-current")).toBe("page"),
    );
    const main = screen.getByRole("main");
    await within(main).findByText("No usage service connected");
    const link = within(main).getByRole("link", { name: "Connect a usage service in Settings" });
    expect(link.getAttribute("href")).toBe("#/settings");

    // Every call went to CPA's management API with the key (the sign-in check, the header's version and
    // the dashboard's CPA cards); with no usage service there is nothing else to ask.
    const afterDetection = server.calls.slice(1);
    expect(afterDetection.filter((call) => call.url === CONFIG).length).toBeGreaterThanOrEqual(2);
    for (const call of afterDetection) {
      expect(call.method).toBe("GET");
      expect(call.url.startsWith("/v0/management/")).toBe(true);
      expect(call.headers.Authorization).toBe("Bearer s3cret");
    }
  });

  it("returns to the sign-in with the rejected notice when /status answers 401 after signing in", async () => {
    const user = userEvent.setup();
    window.location.hash = "#/settings";
    let statusCalls = 0;
    fakeServer({
      [`GET ${INFO}`]: () => json({ service: "cpa-manager", version: "1.4.0", configured: true }),
      // The sign-in check passes; the key is then changed on the server, so the shell's poll is refused.
      "GET /status": () =>
        ++statusCalls === 1 ? json(STATUS_BODY) : json({ error: "invalid management key", code: "unauthorized" }, 401),
      [`GET ${CONFIG}`]: cpaConfig,
    });
    renderWithI18n(<App />);
    await signIn(user, "s3cret");

    expect(await screen.findByRole("heading", { name: "Sign in to CPA Manager" })).toBeTruthy();
    expect(statusCalls).toBe(2);
    const notices = screen.getAllByRole("status").map((s) => s.textContent);
    expect(notices).toContain("The Management Key was rejected, so you were signed out. Sign in again.");
    expect(screen.queryByRole("navigation", { name: "Main navigation" })).toBeNull();
    expect(window.sessionStorage.length + window.localStorage.length).toBe(0);
  });

  it("says so and offers a retry when the stored key cannot be checked, keeping the key", async () => {
    window.sessionStorage.setItem("cpa-manager:management-key", "s3cret");
    let statusUp = false;
    fakeServer({
      [`GET ${INFO}`]: () => json({ service: "cpa-manager", version: "1.4.0", configured: true }),
      "GET /status": () => (statusUp ? json(STATUS_BODY) : new Response("bad gateway", { status: 502 })),
      [`GET ${CONFIG}`]: cpaConfig,
    });
    const user = userEvent.setup();
    renderWithI18n(<App />);

    const notice = await screen.findByText(/The saved key could not be checked/);
    expect(window.sessionStorage.getItem("cpa-manager:management-key")).toBe("s3cret");
    statusUp = true;
    await user.click(within(notice.closest("[role=status]") as HTMLElement).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("navigation", { name: "Main navigation" })).toBeTruthy();
  });

  it("keeps the stored key across a reload and signs in with it", async () => {
    window.sessionStorage.setItem("cpa-manager:management-key", "s3cret");
    window.location.hash = "#/settings";
    const server = fakeServer({
      [`GET ${INFO}`]: () => json({ service: "cpa-manager", version: "1.4.0", configured: true }),
      "GET /status": () => json(STATUS_BODY),
      [`GET ${CONFIG}`]: cpaConfig,
    });
    renderWithI18n(<App />);

    expect(await screen.findByRole("heading", { name: "Settings" })).toBeTruthy();
    await waitFor(() => expect(server.callsTo("GET", "/status").length).toBeGreaterThanOrEqual(2));
    expect(server.callsTo("GET", "/status").every((c) => c.headers.Authorization === "Bearer s3cret")).toBe(true);
  });

  it("returns to CPA's sign-in after logging out in CPA panel mode", async () => {
    const user = userEvent.setup();
    fakeServer({ [`GET ${INFO}`]: notAUsageService, [`GET ${CONFIG}`]: cpaConfig });
    renderWithI18n(<App />);
    await signIn(user, "s3cret");
    await user.click(await screen.findByRole("button", { name: "Log out" }));

    expect(await screen.findByRole("heading", { name: "Sign in to CLIProxyAPI" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("You have logged out. The key was removed from this browser.");
  });

  it("returns to CPA's sign-in after logging out in CPA panel mode with a usage service connected", async () => {
    const user = userEvent.setup();
    const service = "http://127.0.0.1:18317";
    window.localStorage.setItem("cpa-manager:usage-service-url", service);
    window.location.hash = "#/settings";
    const server = fakeServer({
      [`GET ${INFO}`]: notAUsageService,
      [`GET ${CONFIG}`]: cpaConfig,
      [`GET ${service}${INFO}`]: () => json({ service: "cpa-manager", version: "1.4.0", configured: true }),
      [`GET ${service}/status`]: () => json(STATUS_BODY),
    });
    renderWithI18n(<App />);
    await signIn(user, "s3cret");
    await user.click(await screen.findByRole("button", { name: "Log out" }));

    expect(await screen.findByRole("heading", { name: "Sign in to CLIProxyAPI" })).toBeTruthy();
    expect(server.callsTo("GET", INFO)).toHaveLength(2);
    expect(server.callsTo("GET", `${service}${INFO}`)).toEqual([]);
  });
});
