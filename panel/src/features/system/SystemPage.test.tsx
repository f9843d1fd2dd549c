import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { setFetch } from "../../lib/http";
import type { ServiceStatus } from "../../lib/serviceStatus";
import type { Resource } from "../../lib/useResource";
import { fakeServer, json } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { SystemPage } from "./SystemPage";

afterEach(() => setFetch((input, init) => fetch(input, init)));

const NO_STATUS: Resource<ServiceStatus> = { data: null, error: null, loading: true, reload: () => undefined };

function cpa(version: string, latest: () => Response, config: unknown = { "api-keys": ["sk-client"] }) {
  return fakeServer({
    "GET /v0/management/config": () =>
      new Response(JSON.stringify(config), {
        headers: { "Content-Type": "application/json", "X-CPA-VERSION": version, "X-CPA-BUILD-DATE": "2026-08-22T09:41:07Z" },
      }),
    "GET /v0/management/latest-version": latest,
    "GET /v8/management/server/latest-version": latest,
    "GET /v1/models": () => json({ data: [{ id: "gpt-5.4" }, { id: "claude-sonnet-4-5" }] }),
  });
}

describe("SystemPage", () => {
  it("shows CPA's version, build date and an available update, and the models it serves", async () => {
    cpa("v7.2.140", () => json({ "latest-version": "v7.2.141" }));
    renderWithI18n(<SystemPage status={NO_STATUS} onClearLogin={() => undefined} />);
    const versions = screen.getByRole("region", { name: "Versions" });
    expect(await within(versions).findByText("Update available: v7.2.141")).toBeTruthy();
    expect(within(versions).getByText("v7.2.140")).toBeTruthy();
    expect(within(versions).getByText("2026-08-22T09:41:07Z")).toBeTruthy();
    const models = screen.getByRole("region", { name: "Models CPA serves" });
    expect(await within(models).findByText("2 models")).toBeTruthy();
  });

  it("asks a v8 CPA on its v8 path, and says when it is up to date", async () => {
    const server = cpa("8.0.47", () => json({ "latest-version": "v8.0.47" }));
    renderWithI18n(<SystemPage status={NO_STATUS} onClearLogin={() => undefined} />);
    expect(await screen.findByText("Up to date")).toBeTruthy();
    expect(server.callsTo("GET", "/v8/management/server/latest-version")).toHaveLength(1);
  });

  it("says why there is no latest release or model list", async () => {
    cpa("v7.2.140", () => json({ error: "request_failed", message: "dial tcp: lookup api.github.com: no such host" }, 502), {
      "api-keys": null,
    });
    renderWithI18n(<SystemPage status={NO_STATUS} onClearLogin={() => undefined} />);
    expect(await screen.findByText(/CPA could not look it up: dial tcp/)).toBeTruthy();
    expect(await screen.findByText(/CPA lists its models only to a client API key/)).toBeTruthy();
  });
});
