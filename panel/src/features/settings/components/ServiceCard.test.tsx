import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { toServiceStatus, type ServiceStatus } from "../../../lib/serviceStatus";
import { fakeServer, json } from "../../../testing/fakeServer";
import { renderWithI18n } from "../../../testing/render";
import { ServiceCard } from "./ServiceCard";

function status(state: string): ServiceStatus {
  return toServiceStatus({
    version: "1.4.0",
    configured: true,
    events: 1200,
    dbSizeBytes: 2048,
    paths: { config: "/srv/cpa-manager/config.json", data: "/srv/cpa-manager", database: "/srv/cpa-manager/usage.db", logs: "/srv/cpa-manager/logs", portable: false },
    collector: { state, upstream: "http://127.0.0.1:8317" },
  });
}

function renderCard(state: string) {
  const onChanged = vi.fn();
  renderWithI18n(<ServiceCard status={status(state)} onChanged={onChanged} />);
  return { user: userEvent.setup(), onChanged };
}

function button(name: string): HTMLButtonElement {
  return screen.getByRole<HTMLButtonElement>("button", { name });
}

describe("ServiceCard", () => {
  it("says where the Management Key is kept", () => {
    const withStore = toServiceStatus({ ...status("running"), keyStore: "credential-store", keyStoreName: "Secret Service" });
    renderWithI18n(<ServiceCard status={withStore} onChanged={vi.fn()} />);
    expect(screen.getByText("Secret Service (the operating system's credential store)")).toBeTruthy();
  });


  it("pauses a running collector with POST /collector/pause, then asks for fresh status", async () => {
    const server = fakeServer({ "POST /collector/pause": () => json({ ok: true, collector: { state: "paused" } }) });
    const { user, onChanged } = renderCard("running");
    expect(screen.getByRole("heading", { name: "CPA Manager 1.4.0" })).toBeTruthy();

    await user.click(button("Pause collection"));
    await waitFor(() => expect(onChanged).toHaveBeenCalledOnce());
    expect(server.calls.map((c) => `${c.method} ${c.url}`)).toEqual(["POST /collector/pause"]);
  });

  it("offers only the actions that fit the collector's state", () => {
    renderCard("running");
    expect(button("Pause collection").disabled).toBe(false);
    expect(button("Resume collection").disabled).toBe(true);
    expect(button("Restart collection").disabled).toBe(false);
  });

  it("lets a paused collector resume but not pause again", async () => {
    const server = fakeServer({ "POST /collector/resume": () => json({ ok: true, collector: { state: "running" } }) });
    const { user, onChanged } = renderCard("paused");
    expect(button("Pause collection").disabled).toBe(true);

    await user.click(button("Resume collection"));
    await waitFor(() => expect(onChanged).toHaveBeenCalledOnce());
    expect(server.calls.map((c) => `${c.method} ${c.url}`)).toEqual(["POST /collector/resume"]);
  });

  it("shows why an action failed and does not report a change", async () => {
    fakeServer({ "POST /collector/restart": () => json({ error: "CPA Manager is not set up yet", code: "not_configured" }, 409) });
    const { user, onChanged } = renderCard("stopped");
    await user.click(button("Restart collection"));

    expect((await screen.findByRole("alert")).textContent).toBe("CPA Manager is not set up yet");
    expect(onChanged).not.toHaveBeenCalled();
    expect(button("Restart collection").disabled).toBe(false);
  });
});
