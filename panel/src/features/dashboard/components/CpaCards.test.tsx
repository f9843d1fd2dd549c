import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { setFetch } from "../../../lib/http";
import { fakeServer, json } from "../../../testing/fakeServer";
import { renderWithI18n } from "../../../testing/render";
import { CpaCards } from "./CpaCards";

afterEach(() => setFetch((input, init) => fetch(input, init)));

describe("CpaCards", () => {
  it("greys only the card whose call failed", async () => {
    const server = fakeServer({
      "GET /v0/management/config": () => json({ "api-keys": ["sk-client"], "gemini-api-key": [{ "api-key": "AIza" }], "request-retry": 2 }),
      "GET /v0/management/auth-files": () => json({ error: "auth manager unavailable" }, 503),
      "GET /v1/models": () => json({ data: [{ id: "gpt-5.4" }, { id: "grok-4" }] }),
    });
    renderWithI18n(<CpaCards />);
    const credentials = screen.getByRole("region", { name: "Credentials" });
    expect(await within(credentials).findByText("Not available: auth manager unavailable")).toBeTruthy();
    const models = screen.getByRole("region", { name: "Models available" });
    expect((await within(models).findByRole("link")).textContent).toBe("2");
    expect(within(screen.getByRole("region", { name: "Client API keys" })).getByRole("link").textContent).toBe("1");
    expect(screen.getByRole("link", { name: "Retries: 2" }).getAttribute("href")).toBe("#/config");
    // The model list is asked with the client key, never the Management Key.
    expect(server.callsTo("GET", "/v1/models")[0]?.headers.Authorization).toBe("Bearer sk-client");
  });
});
