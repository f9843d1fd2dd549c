import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConnectionContext } from "../../lib/connection";
import { fakeServer, json, type FakeServer } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { CredentialsPage } from "./CredentialsPage";

const ROOT = "/v0/management";
let server: FakeServer;
let files: { name: string; type: string; email: string; disabled: boolean; auth_index: string; status: string }[];

function config(): Response {
  return new Response("{}", { status: 200, headers: { "Content-Type": "application/json", "X-CPA-VERSION": "v7.2.140" } });
}

// jsdom lays nothing out; the virtualised list needs a viewport height to render any rows.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1200);
});
afterEach(() => vi.restoreAllMocks());

beforeEach(() => {
  window.history.replaceState(null, "", "#/credentials");
  files = [
    { name: "codex-alice.json", type: "codex", email: "alice@example.com", disabled: false, auth_index: "a1", status: "active" },
    { name: "claude-bob.json", type: "claude", email: "bob@example.com", disabled: false, auth_index: "b2", status: "active" },
  ];
  server = fakeServer({
    [`GET ${ROOT}/config`]: config,
    [`GET ${ROOT}/auth-files`]: () => json({ files: files.map((f) => ({ ...f, provider: f.type })) }),
    [`PATCH ${ROOT}/auth-files/status`]: (call) => {
      const body = JSON.parse(String(call.body)) as { name: string; disabled: boolean };
      return json({ disabled: body.disabled, status: "ok" });
    },
    [`POST ${ROOT}/auth-files?name=good.json`]: () => json({ status: "ok" }),
    [`POST ${ROOT}/auth-files?name=dropped.json`]: () => json({ error: "invalid auth file: weight must not exceed 1000000" }, 500),
    [`POST ${ROOT}/auth-files?name=codex-p%40x.json`]: () => json({ status: "ok" }),
  });
});

async function renderPage() {
  const user = userEvent.setup();
  renderWithI18n(
    <ConnectionContext.Provider value={{ mode: "cpa", usageServiceUrl: null, hasUsageService: false, setUsageServiceUrl: () => undefined }}>
      <CredentialsPage />
    </ConnectionContext.Provider>,
  );
  await screen.findByText("2 of 2 shown");
  return user;
}

describe("CredentialsPage", () => {
  it("says that usage needs a usage service, and lists CPA's credentials", async () => {
    await renderPage();
    expect(screen.getByText(/No usage service is connected/)).toBeTruthy();
    expect(screen.getByRole("listitem", { name: "codex-alice.json" })).toBeTruthy();
  });

  it("keeps search and provider chips in the URL", async () => {
    const user = await renderPage();
    await user.type(screen.getByRole("searchbox", { name: "Search" }), "bob");
    expect(screen.getByText("1 of 2 shown")).toBeTruthy();
    await user.click(within(screen.getByRole("group", { name: "Providers" })).getByRole("button", { name: /claude/ }));
    await waitFor(() => expect(window.location.hash).toBe("#/credentials?q=bob&providers=claude"));
  });

  it("disables one credential with a status PATCH and shows it at once", async () => {
    const user = await renderPage();
    const row = screen.getByRole("listitem", { name: "codex-alice.json" });
    await user.click(within(row).getByRole("button", { name: "Disable" }));
    await within(row).findByRole("button", { name: "Enable" });
    const [patch] = server.callsTo("PATCH", `${ROOT}/auth-files/status`);
    expect(JSON.parse(String(patch?.body))).toEqual({ name: "codex-alice.json", disabled: true });
  });

  it("refuses an invalid file by name and uploads the valid one", async () => {
    const user = await renderPage();
    const good = new File(['{"type":"codex"}'], "good.json", { type: "application/json" });
    const bad = new File(["{oops"], "bad.json", { type: "application/json" });
    await act(async () => {
      await user.upload(screen.getByLabelText("Choose JSON files (or drop them here)"), [good, bad]);
    });
    const results = await screen.findByRole("list", { name: "Upload results" });
    await waitFor(() =>
      expect(within(results).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
        "good.json uploaded.",
        "bad.json was not uploaded: it is not valid JSON.",
      ]),
    );
    expect(server.callsTo("POST", `${ROOT}/auth-files?name=good.json`)).toHaveLength(1);
    expect(server.calls.some((c) => c.url.includes("bad.json"))).toBe(false);
  });

  it("uploads dropped files and shows CPA's refusal naming the file", async () => {
    await renderPage();
    const dropped = new File(['{"weight": 2000000}'], "dropped.json", { type: "application/json" });
    const zone = screen.getByLabelText("Choose JSON files (or drop them here)").parentElement as HTMLElement;
    fireEvent.drop(zone, { dataTransfer: { files: [dropped] } });
    const results = await screen.findByRole("list", { name: "Upload results" });
    await waitFor(() =>
      expect(results.textContent).toBe("dropped.json was refused by CPA: invalid auth file: weight must not exceed 1000000"),
    );
  });

  it("uploads pasted JSON as a file named after its type and account", async () => {
    const user = await renderPage();
    const box = screen.getByLabelText("Or paste JSON (one object or a list of objects)");
    fireEvent.change(box, { target: { value: '{"type":"codex","email":"p@x"}' } });
    await user.click(screen.getByRole("button", { name: "Upload pasted JSON" }));
    await screen.findByText("codex-p@x.json uploaded.");
    const [sent] = server.callsTo("POST", `${ROOT}/auth-files?name=codex-p%40x.json`);
    expect(sent?.body).toBe('{"type":"codex","email":"p@x"}');
  });
});
