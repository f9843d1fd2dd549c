import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Detection } from "../../lib/connection";
import { ApiError, CLIENT_CODES } from "../../lib/http";
import { fakeServer, json } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { LoginPage } from "./LoginPage";

const NOT_CONFIGURED: Detection = { mode: "full", info: { service: "cpa-manager", version: "1.4.0", configured: false } };
const CONFIGURED: Detection = { mode: "full", info: { service: "cpa-manager", version: "1.4.0", configured: true } };
const CPA_PANEL: Detection = { mode: "cpa", info: null };

const CONFIG = "/v0/management/config";
const STATUS_BODY = { version: "1.4.0", configured: true, events: 0, collector: { state: "running" } };

function renderLogin(detection: Detection | null, detectError: unknown = null) {
  const onLoggedIn = vi.fn();
  const onRetry = vi.fn();
  renderWithI18n(
    <LoginPage notice={null} detection={detection} detectError={detectError} onRetry={onRetry} onLoggedIn={onLoggedIn} />,
  );
  return { user: userEvent.setup(), onLoggedIn, onRetry };
}

/** The password field has no role; its label is its accessible name. */
function keyField(): HTMLInputElement {
  return screen.getByLabelText<HTMLInputElement>("Management Key");
}

/** The text of whatever the element's aria-describedby points at. */
function descriptionOf(element: HTMLElement): string | null {
  const ids = element.getAttribute("aria-describedby");
  if (!ids) return null;
  return ids
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");
}

describe("LoginPage, CPA Manager not set up yet", () => {
  it("asks for CPA's address and key and posts them to /setup", async () => {
    const server = fakeServer({ "POST /setup": () => json({ ok: true, upstream: "http://10.0.0.5:8317", changed: true, warnings: [] }) });
    const { user, onLoggedIn } = renderLogin(NOT_CONFIGURED);
    expect(screen.getByRole("heading", { name: "Connect to CLIProxyAPI" })).toBeTruthy();

    const address = screen.getByRole<HTMLInputElement>("textbox", { name: "CPA address" });
    expect(address.value).toBe("http://127.0.0.1:8317");
    await user.clear(address);
    await user.type(address, " http://10.0.0.5:8317/ ");
    await user.type(keyField(), "  s3cret ");
    await user.click(screen.getByRole("button", { name: "Connect" }));

    await vi.waitFor(() => expect(onLoggedIn).toHaveBeenCalledExactlyOnceWith("s3cret", false));
    const [sent, ...more] = server.calls;
    expect(more).toEqual([]);
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe("/setup");
    expect(JSON.parse(String(sent?.body))).toEqual({ cpaBaseUrl: "http://10.0.0.5:8317", managementKey: "s3cret" });
    expect(sent?.headers.Authorization).toBe("Bearer s3cret");
  });

  it("shows the server's own sentence when setup fails, even for a 401", async () => {
    fakeServer({
      "POST /setup": () => json({ error: "CPA rejected the Management Key (HTTP 401)", code: "cpa_rejected_key" }, 401),
    });
    const { user, onLoggedIn } = renderLogin(NOT_CONFIGURED);
    await user.type(keyField(), "wrong");
    await user.click(screen.getByRole("button", { name: "Connect" }));

    expect((await screen.findByRole("alert")).textContent).toBe("CPA rejected the Management Key (HTTP 401)");
    expect(onLoggedIn).not.toHaveBeenCalled();
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Connect" }).disabled).toBe(false);
  });

  it("flags an address without a scheme and an empty key, and sends nothing", async () => {
    const server = fakeServer({});
    const { user, onLoggedIn } = renderLogin(NOT_CONFIGURED);
    const address = screen.getByRole("textbox", { name: "CPA address" });
    await user.clear(address);
    await user.type(address, "127.0.0.1:8317");
    await user.click(screen.getByRole("button", { name: "Connect" }));

    expect(
      screen.getByRole("textbox", { name: "CPA address", description: "Enter an address starting with http:// or https://." })
        .getAttribute("aria-invalid"),
    ).toBe("true");
    expect(keyField().getAttribute("aria-invalid")).toBe("true");
    expect(descriptionOf(keyField())).toBe("Enter the Management Key.");
    expect(server.calls).toEqual([]);
    expect(onLoggedIn).not.toHaveBeenCalled();
  });
});

describe("LoginPage, CPA Manager already set up", () => {
  it("asks only for the key and checks it with GET /status", async () => {
    const server = fakeServer({ "GET /status": () => json(STATUS_BODY) });
    const { user, onLoggedIn } = renderLogin(CONFIGURED);
    expect(screen.getByRole("heading", { name: "Sign in to CPA Manager" })).toBeTruthy();
    expect(screen.queryByRole("textbox", { name: "CPA address" })).toBeNull();

    await user.type(keyField(), "s3cret");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    await vi.waitFor(() => expect(onLoggedIn).toHaveBeenCalledExactlyOnceWith("s3cret", false));
    const checks = server.callsTo("GET", "/status");
    expect(checks).toHaveLength(1);
    expect(checks[0]?.headers.Authorization).toBe("Bearer s3cret");
    expect(server.calls).toHaveLength(1);
  });

  it("says the key was not accepted on a 401 and stays on the page", async () => {
    fakeServer({ "GET /status": () => json({ error: "invalid management key", code: "unauthorized" }, 401) });
    const { user, onLoggedIn } = renderLogin(CONFIGURED);
    await user.type(keyField(), "wrong");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect((await screen.findByRole("alert")).textContent).toBe("The Management Key was not accepted.");
    expect(onLoggedIn).not.toHaveBeenCalled();
    expect(keyField().value).toBe("wrong");
  });

  it("flags an empty key on its field and sends nothing", async () => {
    const server = fakeServer({});
    const { user, onLoggedIn } = renderLogin(CONFIGURED);
    await user.type(keyField(), "   ");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(keyField().getAttribute("aria-invalid")).toBe("true");
    expect(descriptionOf(keyField())).toBe("Enter the Management Key.");
    expect(server.calls).toEqual([]);
    expect(onLoggedIn).not.toHaveBeenCalled();
  });

  it("passes remember=true when Remember me is ticked", async () => {
    fakeServer({ "GET /status": () => json(STATUS_BODY) });
    const { user, onLoggedIn } = renderLogin(CONFIGURED);
    await user.type(keyField(), "s3cret");
    await user.click(screen.getByRole("checkbox", { name: "Remember me on this computer" }));
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    await vi.waitFor(() => expect(onLoggedIn).toHaveBeenCalledExactlyOnceWith("s3cret", true));
  });
});

describe("LoginPage, CPA panel mode", () => {
  it("checks the key with CPA's GET /v0/management/config", async () => {
    const server = fakeServer({ [`GET ${CONFIG}`]: () => json({ "usage-statistics-enabled": true }) });
    const { user, onLoggedIn } = renderLogin(CPA_PANEL);
    expect(screen.getByRole("heading", { name: "Sign in to CLIProxyAPI" })).toBeTruthy();
    expect(screen.queryByRole("textbox", { name: "CPA address" })).toBeNull();

    await user.type(keyField(), "s3cret");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    await vi.waitFor(() => expect(onLoggedIn).toHaveBeenCalledExactlyOnceWith("s3cret", false));
    expect(server.calls.map((c) => `${c.method} ${c.url}`)).toEqual([`GET ${CONFIG}`]);
    expect(server.calls[0]?.headers.Authorization).toBe("Bearer s3cret");
  });

  it("warns about CPA's 30-minute block when CPA refuses the key", async () => {
    fakeServer({ [`GET ${CONFIG}`]: () => json({ error: "invalid management key" }, 401) });
    const { user, onLoggedIn } = renderLogin(CPA_PANEL);
    await user.type(keyField(), "wrong");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect((await screen.findByRole("alert")).textContent).toBe(
      "CPA did not accept the Management Key. After five wrong keys CPA blocks this address for 30 minutes.",
    );
    expect(onLoggedIn).not.toHaveBeenCalled();
  });
});

describe("LoginPage, detection failed", () => {
  it("explains the failure, shows no form, and retries on request", async () => {
    const server = fakeServer({});
    const { user, onRetry } = renderLogin(null, new ApiError(0, CLIENT_CODES.network, "Cannot reach CPA Manager"));

    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Cannot load CPA Manager's status: Cannot reach CPA Manager. Is the app still running?");
    expect(screen.queryByLabelText("Management Key")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(onRetry).toHaveBeenCalledOnce();
    expect(server.calls).toEqual([]);
  });
});
