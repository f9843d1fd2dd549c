import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ConnectionContext, type Connection } from "../../../lib/connection";
import { setAuthKey, setBase, setSessionAuthority, setUnauthorizedHandler } from "../../../lib/http";
import { fakeServer, json } from "../../../testing/fakeServer";
import { renderWithI18n } from "../../../testing/render";
import { UsageServiceCard } from "./UsageServiceCard";

const SERVICE = "http://usage.example:18317";
/** jsdom's page origin: CPA served the panel, so the usage service should reach CPA here. */
const ORIGIN = window.location.origin;

const STATUS_BODY = { version: "1.4.0", configured: true, events: 1200, collector: { state: "running" } };

beforeEach(() => {
  // As the app shell leaves things after signing in to CPA in CPA panel mode, with no service yet.
  setBase("usage", null);
  setSessionAuthority("cpa");
  setAuthKey("s3cret");
});

function renderCard(usageServiceUrl: string | null = null) {
  const setUsageServiceUrl = vi.fn();
  const connection: Connection = { mode: "cpa", usageServiceUrl, hasUsageService: usageServiceUrl !== null, setUsageServiceUrl };
  renderWithI18n(
    <ConnectionContext.Provider value={connection}>
      <UsageServiceCard />
    </ConnectionContext.Provider>,
  );
  return { user: userEvent.setup(), setUsageServiceUrl };
}

function serviceField(): HTMLInputElement {
  return screen.getByRole<HTMLInputElement>("textbox", { name: "Usage service address" });
}

async function enterService(user: ReturnType<typeof userEvent.setup>, url: string) {
  await user.clear(serviceField());
  await user.type(serviceField(), url);
}

/** The card's outcome: an error is an alert, anything else a status. */
async function outcome(role: "alert" | "status"): Promise<string | null> {
  return (await screen.findByRole(role)).textContent;
}

describe("UsageServiceCard", () => {
  it("starts from the default service address and this page's origin as CPA's address", () => {
    renderCard();
    expect(serviceField().value).toBe("http://127.0.0.1:18317");
    expect(screen.getByRole<HTMLInputElement>("textbox", { name: "CPA address, as the usage service reaches it" }).value).toBe(ORIGIN);
    expect(screen.getByText("No usage service is connected.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Disconnect" })).toBeNull();
  });

  it("flags an address without a scheme and sends nothing", async () => {
    const server = fakeServer({});
    const { user, setUsageServiceUrl } = renderCard();
    await enterService(user, "usage.example:18317");
    await user.click(screen.getByRole("button", { name: "Check" }));
    await user.click(screen.getByRole("button", { name: "Save and connect" }));

    const field = screen.getByRole("textbox", {
      name: "Usage service address",
      description: "Enter an address starting with http:// or https://.",
    });
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(server.calls).toEqual([]);
    expect(setUsageServiceUrl).not.toHaveBeenCalled();
  });

  it("checks the typed address's public /usage-service/info and says what it found", async () => {
    let configured = false;
    const server = fakeServer({
      [`GET ${SERVICE}/usage-service/info`]: () => json({ service: "cpa-manager", version: "1.4.0", configured }),
    });
    const { user, setUsageServiceUrl } = renderCard();
    await enterService(user, `${SERVICE}/`);
    await user.click(screen.getByRole("button", { name: "Check" }));

    expect(await outcome("status")).toBe("Found cpa-manager 1.4.0, not yet connected to a CPA. Save and connect to start collecting.");
    const [probe] = server.calls;
    expect(probe?.url).toBe(`${SERVICE}/usage-service/info`);
    // Public: the key is not sent to a service nobody has connected yet.
    expect(probe?.headers.Authorization).toBeUndefined();

    configured = true;
    await user.click(screen.getByRole("button", { name: "Check" }));
    await waitFor(async () =>
      expect(await outcome("status")).toBe(
        "Found cpa-manager 1.4.0, already collecting from a CPA. Save and connect to use it (it must use this CPA and key).",
      ),
    );
    expect(setUsageServiceUrl).not.toHaveBeenCalled();
  });

  it("says when the address answers but is not a usage service", async () => {
    fakeServer({ [`GET ${SERVICE}/usage-service/info`]: () => json({ service: "something-else", version: "2.0" }) });
    const { user } = renderCard();
    await enterService(user, SERVICE);
    await user.click(screen.getByRole("button", { name: "Check" }));

    expect(await outcome("alert")).toBe("That address answers, but it is not a CPA Manager usage service.");
  });

  it("treats a 404 from the address (CPA's own, say) as not a usage service", async () => {
    fakeServer({ [`GET ${SERVICE}/usage-service/info`]: () => new Response("404 page not found", { status: 404 }) });
    const { user } = renderCard();
    await enterService(user, SERVICE);
    await user.click(screen.getByRole("button", { name: "Check" }));

    expect(await outcome("alert")).toBe("That address answers, but it is not a CPA Manager usage service.");
  });

  it("checks the service without needing CPA's address, which only connecting does", async () => {
    fakeServer({ [`GET ${SERVICE}/usage-service/info`]: () => json({ service: "cpa-manager", version: "1.4.0" }) });
    const { user } = renderCard();
    await enterService(user, SERVICE);
    await user.clear(screen.getByRole("textbox", { name: "CPA address, as the usage service reaches it" }));
    await user.click(screen.getByRole("button", { name: "Check" }));
    expect(await outcome("status")).toContain("Found cpa-manager 1.4.0");

    await user.click(screen.getByRole("button", { name: "Save and connect" }));
    const cpaField = screen.getByRole("textbox", { name: "CPA address, as the usage service reaches it" });
    await waitFor(() => expect(cpaField.getAttribute("aria-invalid")).toBe("true"));
  });

  it("sets the service up with this CPA and the session's key, reads its status, then connects", async () => {
    const server = fakeServer({
      [`POST ${SERVICE}/setup`]: () => json({ ok: true, upstream: "http://cpa.internal:8317", changed: true, warnings: [] }),
      [`GET ${SERVICE}/status`]: () => json(STATUS_BODY),
    });
    const { user, setUsageServiceUrl } = renderCard();
    await enterService(user, ` ${SERVICE}/ `);
    const cpa = screen.getByRole("textbox", { name: "CPA address, as the usage service reaches it" });
    await user.clear(cpa);
    await user.type(cpa, "http://cpa.internal:8317/");
    await user.click(screen.getByRole("button", { name: "Save and connect" }));

    expect(await outcome("status")).toBe("Connected: CPA Manager 1.4.0, 1,200 records stored.");
    expect(setUsageServiceUrl).toHaveBeenCalledExactlyOnceWith(SERVICE);
    expect(server.calls.map((c) => `${c.method} ${c.url}`)).toEqual([`POST ${SERVICE}/setup`, `GET ${SERVICE}/status`]);
    const [setup, status] = server.calls;
    expect(JSON.parse(String(setup?.body))).toEqual({ cpaBaseUrl: "http://cpa.internal:8317", managementKey: "s3cret" });
    expect(setup?.headers.Authorization).toBe("Bearer s3cret");
    expect(status?.headers.Authorization).toBe("Bearer s3cret");
  });

  it("names USAGE_CORS_ORIGINS and this page's origin when the service cannot be reached", async () => {
    fakeServer({
      // A refused CORS preflight and a dead server look the same to the page: fetch rejects.
      [`POST ${SERVICE}/setup`]: () => Promise.reject(new TypeError("Failed to fetch")),
    });
    const { user, setUsageServiceUrl } = renderCard();
    await enterService(user, SERVICE);
    await user.click(screen.getByRole("button", { name: "Save and connect" }));

    expect(await outcome("alert")).toBe(
      `Cannot reach ${SERVICE}. Check that CPA Manager is running there and that its USAGE_CORS_ORIGINS includes ${ORIGIN}; browsers report a refused origin the same way as a dead server.`,
    );
    expect(setUsageServiceUrl).not.toHaveBeenCalled();
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Save and connect" }).disabled).toBe(false);
  });

  it("shows the service's refusal of the key without signing the user out of CPA", async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    fakeServer({
      [`POST ${SERVICE}/setup`]: () =>
        json({ error: "invalid management key for existing setup", code: "setup_key_mismatch" }, 401),
    });
    const { user, setUsageServiceUrl } = renderCard();
    await enterService(user, SERVICE);
    await user.click(screen.getByRole("button", { name: "Save and connect" }));

    expect(await outcome("alert")).toBe("invalid management key for existing setup");
    expect(onUnauthorized).not.toHaveBeenCalled();
    expect(setUsageServiceUrl).not.toHaveBeenCalled();
  });

  it("does not sign the user out when the service refuses the key on /status either", async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    fakeServer({
      [`POST ${SERVICE}/setup`]: () => json({ ok: true, upstream: ORIGIN, changed: false, warnings: [] }),
      [`GET ${SERVICE}/status`]: () => json({ error: "invalid management key", code: "unauthorized" }, 401),
    });
    const { user, setUsageServiceUrl } = renderCard();
    await enterService(user, SERVICE);
    await user.click(screen.getByRole("button", { name: "Save and connect" }));

    expect(await outcome("alert")).toBe("invalid management key");
    expect(onUnauthorized).not.toHaveBeenCalled();
    expect(setUsageServiceUrl).not.toHaveBeenCalled();
  });

  it("disconnects a connected service", async () => {
    const server = fakeServer({});
    const { user, setUsageServiceUrl } = renderCard(SERVICE);
    expect(screen.getByText(`Connected to ${SERVICE}.`)).toBeTruthy();
    expect(serviceField().value).toBe(SERVICE);

    await user.click(screen.getByRole("button", { name: "Disconnect" }));
    expect(setUsageServiceUrl).toHaveBeenCalledExactlyOnceWith(null);
    expect(await outcome("status")).toBe("Disconnected. Usage pages stay empty until you connect a usage service again.");
    expect(server.calls).toEqual([]);
  });
});
