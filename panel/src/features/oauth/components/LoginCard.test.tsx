import { act, fireEvent, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { oauthProviders } from "../../../lib/cpa/oauth";
import { fakeServer, json, type FakeServer } from "../../../testing/fakeServer";
import { renderWithI18n } from "../../../testing/render";
import { POLL_MS } from "../logic";
import { LoginCard } from "./LoginCard";

const V8 = "/v8/management";
let server: FakeServer;
let status: unknown;

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: false });
  status = { status: "wait" };
  server = fakeServer({
    [`GET ${V8}/credentials`]: () => json({ files: [] }),
    [`GET ${V8}/oauth/auth-url?provider=xai&is_webui=true`]: () =>
      json({ flow: "device", state: "xai-1", status: "ok", url: "https://accounts.x.ai/device", user_code: "AB-12", expires_in: 1800 }),
    [`GET ${V8}/oauth/status?state=xai-1`]: () => json(status),
    [`DELETE ${V8}/oauth/session?state=xai-1`]: () => json({ cancelled: true, status: "ok" }),
  });
});
afterEach(() => vi.useRealTimers());

const polls = () => server.callsTo("GET", `${V8}/oauth/status?state=xai-1`).length;

async function start() {
  const xai = oauthProviders(true).find((p) => p.id === "xai");
  if (!xai) throw new Error("no xai");
  renderWithI18n(<LoginCard provider={xai} hasV8 />);
  fireEvent.click(screen.getByRole("button", { name: "Log in to xAI (Grok)" }));
  await act(async () => void (await vi.advanceTimersByTimeAsync(0)));
  expect(screen.getByLabelText("Code").textContent).toBe("AB-12");
}

describe("LoginCard", () => {
  it("polls every 3 s until CPA reports an error, shows it and polls no more", async () => {
    await start();
    await act(async () => void (await vi.advanceTimersByTimeAsync(POLL_MS)));
    expect(polls()).toBe(1);
    status = { status: "error", error: "Authentication failed: access_denied" };
    await act(async () => void (await vi.advanceTimersByTimeAsync(POLL_MS)));
    expect(screen.getByRole("alert").textContent).toContain("Authentication failed: access_denied");
    await act(async () => void (await vi.advanceTimersByTimeAsync(POLL_MS * 5)));
    expect(polls()).toBe(2);
  });

  it("cancels the session on CPA and stops polling", async () => {
    await start();
    fireEvent.click(screen.getByRole("button", { name: "Cancel login" }));
    await act(async () => void (await vi.advanceTimersByTimeAsync(POLL_MS * 3)));
    expect(server.callsTo("DELETE", `${V8}/oauth/session?state=xai-1`)).toHaveLength(1);
    expect(polls()).toBe(0);
    expect(screen.getByText("Login cancelled; CPA dropped the pending session.")).toBeTruthy();
  });
});
