import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { ConnectionContext, type Connection } from "../../lib/connection";
import { fakeServer, json, type FakeServer } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { ProvidersPage } from "./ProvidersPage";

const ROOT = "/v0/management";
type Wire = Record<string, unknown>;

let server: FakeServer;
let lists: Record<string, Wire[] | null>;
let apiCallAnswer: Wire;

const NO_SERVICE: Connection = { mode: "cpa", usageServiceUrl: null, hasUsageService: false, setUsageServiceUrl: () => undefined };

beforeEach(() => {
  lists = {
    "gemini-api-key": [{ "api-key": "AIza-example-0001", prefix: "team", "auth-index": "aaaaaaaaaaaaaaaa" }],
    "codex-api-key": null,
    "claude-api-key": null,
    "vertex-api-key": null,
    "xai-api-key": null,
    "openai-compatibility": null,
    "interactions-api-key": null,
    "future-api-key": [{ "api-key": "fut-key-000001" }],
  };
  apiCallAnswer = { status_code: 401, header: {}, body: '{"error":{"message":"Incorrect API key provided"}}' };
  const routes: Record<string, (call: { body: BodyInit | null | undefined }) => Response> = {
    [`GET ${ROOT}/config`]: () =>
      new Response(JSON.stringify({ "future-api-key": lists["future-api-key"], "gemini-api-key": [] }), {
        headers: { "Content-Type": "application/json", "X-CPA-VERSION": "7.2.140" },
      }),
    [`POST ${ROOT}/api-call`]: () => json(apiCallAnswer),
    [`GET ${ROOT}/model-definitions/gemini`]: () => json({ channel: "gemini", models: [{ id: "gemini-3-pro", object: "model" }, { id: "gemini-2.5-flash" }] }),
  };
  for (const family of Object.keys(lists)) {
    routes[`GET ${ROOT}/${family}`] = () => json({ [family]: lists[family] });
    routes[`PUT ${ROOT}/${family}`] = (call) => {
      lists[family] = JSON.parse(String(call.body)) as Wire[];
      return json({ status: "ok" });
    };
  }
  server = fakeServer(routes);
});

async function renderPage() {
  const user = userEvent.setup();
  renderWithI18n(
    <ConnectionContext.Provider value={NO_SERVICE}>
      <ProvidersPage />
    </ConnectionContext.Provider>,
  );
  await screen.findByRole("listitem", { name: "Gemini key 1" });
  return user;
}

const section = (name: RegExp) => screen.getByRole("region", { name });

describe("ProvidersPage", () => {
  it("shows every family CPA serves, including one it reports beyond the known ones, and no Meta on v7", async () => {
    await renderPage();
    expect(screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent)).toEqual([
      "Gemini (1)",
      "Codex (0)",
      "Claude (0)",
      "Vertex (0)",
      "xAI (0)",
      "OpenAI-compatible (0)",
      "Gemini Interactions (0)",
      "future-api-key (1)",
    ]);
    const card = screen.getByRole("listitem", { name: "Gemini key 1" });
    expect(within(card).getByText("AIz…0001")).toBeTruthy();
    expect(within(card).getByText("No usage service: health unknown")).toBeTruthy();
  });

  it("refuses a Codex key without a base URL, saying CPA would drop it, and sends nothing", async () => {
    const user = await renderPage();
    const codex = section(/^Codex/);
    await user.click(within(codex).getByRole("button", { name: "Add a Codex key" }));
    const form = within(codex).getByRole("form", { name: "Add a Codex key" });
    await user.type(within(form).getByLabelText("API key"), "sk-codex-new-0001");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(within(form).getByText(/CPA silently drops Codex entries without a base URL/)).toBeTruthy();
    expect(server.callsTo("PUT", `${ROOT}/codex-api-key`)).toHaveLength(0);

    await user.type(within(form).getByRole("textbox", { name: "Base URL" }), "https://api.example/v1");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    await within(codex).findByText("Saved in CPA (Codex).");
    expect(JSON.parse(String(server.callsTo("PUT", `${ROOT}/codex-api-key`)[0]?.body))).toEqual([
      { "api-key": "sk-codex-new-0001", "base-url": "https://api.example/v1" },
    ]);
  });

  it("edits only its entry on top of CPA's current list, keeping what another tab added", async () => {
    const user = await renderPage();
    lists["gemini-api-key"] = [...(lists["gemini-api-key"] ?? []), { "api-key": "AIza-other-tab-02" }];
    const gemini = section(/^Gemini \(/);
    await user.click(within(gemini).getByRole("button", { name: "Edit: Gemini key 1" }));
    const form = within(gemini).getByRole("form", { name: "Edit Gemini key 1" });
    const weight = within(form).getByRole("textbox", { name: "Weight" });
    await user.type(weight, "2000000");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(within(form).getByText(/A whole number from 0 to 1,000,000/)).toBeTruthy();
    await user.clear(weight);
    await user.type(weight, "40");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    await within(gemini).findByText("Saved in CPA (Gemini).");
    expect(JSON.parse(String(server.callsTo("PUT", `${ROOT}/gemini-api-key`)[0]?.body))).toEqual([
      { "api-key": "AIza-example-0001", prefix: "team", weight: 40 },
      { "api-key": "AIza-other-tab-02" },
    ]);
  });

  it("refuses an edit whose entry changed elsewhere, then re-applies it to CPA's version", async () => {
    const user = await renderPage();
    lists["gemini-api-key"] = [{ "api-key": "AIza-example-0001", prefix: "other-tab", "excluded-models": ["x"] }];
    const gemini = section(/^Gemini \(/);
    await user.click(within(gemini).getByRole("button", { name: "Edit: Gemini key 1" }));
    const form = within(gemini).getByRole("form", { name: "Edit Gemini key 1" });
    const prefix = within(form).getByRole("textbox", { name: "Prefix" });
    await user.clear(prefix);
    await user.type(prefix, "mine");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    await within(gemini).findByText(/this entry was changed in CPA/);
    expect(server.callsTo("PUT", `${ROOT}/gemini-api-key`)).toHaveLength(0);
    await user.click(within(gemini).getByRole("button", { name: "Re-apply my edit" }));
    await within(gemini).findByText("Saved in CPA (Gemini).");
    expect(lists["gemini-api-key"]).toEqual([{ "api-key": "AIza-example-0001", prefix: "mine" }]);
  });

  it("tests the connection through CPA with $TOKEN$ and shows the upstream's words", async () => {
    const user = await renderPage();
    await user.click(screen.getByRole("button", { name: "Test connection: Gemini key 1" }));
    await screen.findByText("Upstream answered HTTP 401: Incorrect API key provided");
    expect(JSON.parse(String(server.callsTo("POST", `${ROOT}/api-call`)[0]?.body))).toEqual({
      method: "GET",
      url: "https://generativelanguage.googleapis.com/v1beta/models",
      header: { "x-goog-api-key": "$TOKEN$" },
      auth_index: "aaaaaaaaaaaaaaaa",
    });
  });

  it("discovers models and adds them to the entry", async () => {
    apiCallAnswer = { status_code: 200, header: {}, body: '{"models":[{"name":"models/gemini-2.5-pro"},{"name":"models/gemini-2.5-flash"}]}' };
    const user = await renderPage();
    const gemini = section(/^Gemini \(/);
    await user.click(within(gemini).getByRole("button", { name: "Edit: Gemini key 1" }));
    const form = within(gemini).getByRole("form", { name: "Edit Gemini key 1" });
    await user.click(within(form).getByRole("button", { name: "Fetch models" }));
    await user.click(await within(form).findByRole("button", { name: "Add gemini-2.5-pro" }));
    expect(within(form).getByRole<HTMLInputElement>("textbox", { name: "Model 1" }).value).toBe("gemini-2.5-pro");
    expect(within(form).queryByRole("button", { name: "Add gemini-2.5-pro" })).toBeNull();
    await user.click(within(form).getByRole("button", { name: "Save" }));
    await within(gemini).findByText("Saved in CPA (Gemini).");
    expect(lists["gemini-api-key"]?.[0]?.models).toEqual([{ name: "gemini-2.5-pro" }]);
  });

  it("offers CPA's own model catalogue for the family", async () => {
    const user = await renderPage();
    const gemini = section(/^Gemini \(/);
    await user.click(within(gemini).getByRole("button", { name: "Edit: Gemini key 1" }));
    const form = within(gemini).getByRole("form", { name: "Edit Gemini key 1" });
    await user.click(within(form).getByRole("button", { name: "CPA's model list" }));
    await user.click(await within(form).findByRole("button", { name: "Add all 2 new models" }));
    expect(within(form).getByRole<HTMLInputElement>("textbox", { name: "Model 1" }).value).toBe("gemini-2.5-flash");
    expect(within(form).getByRole<HTMLInputElement>("textbox", { name: "Model 2" }).value).toBe("gemini-3-pro");
  });

  it("deletes after confirming, and Esc closes the editor", async () => {
    const user = await renderPage();
    const gemini = section(/^Gemini \(/);
    await user.click(within(gemini).getByRole("button", { name: "Edit: Gemini key 1" }));
    await user.type(within(gemini).getByRole("textbox", { name: "Prefix" }), "{Escape}");
    expect(within(gemini).queryByRole("form")).toBeNull();
    await user.click(within(gemini).getByRole("button", { name: "Delete: Gemini key 1" }));
    await user.click(within(gemini).getByRole("button", { name: "Delete" }));
    await within(gemini).findByText("Saved in CPA (Gemini).");
    expect(lists["gemini-api-key"]).toEqual([]);
  });
});
