import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, type FakeServer } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { ConfigPage } from "./ConfigPage";

const YAML_URL = "/v0/management/config.yaml";
const FILE = "# my config\nport: 8317\ndebug: false # keep me\nrequest-retry: 3\n";

let server: FakeServer;
let onDisk: string;
let putAnswer: (() => Response | Promise<Response>) | null;

function yamlResponse(text: string): Response {
  return new Response(text, { status: 200, headers: { "Content-Type": "application/yaml; charset=utf-8" } });
}

beforeEach(() => {
  onDisk = FILE;
  putAnswer = null;
  // A small CPA: GET serves the file, PUT replaces it (or answers as the test says).
  server = fakeServer({
    [`GET ${YAML_URL}`]: () => yamlResponse(onDisk),
    [`PUT ${YAML_URL}`]: async (call) => {
      if (putAnswer) return putAnswer();
      onDisk = String(call.body);
      return json({ changed: ["config"], ok: true });
    },
  });
});

async function renderPage() {
  const user = userEvent.setup();
  renderWithI18n(<ConfigPage />);
  await screen.findByRole("checkbox", { name: "Debug logging" });
  return user;
}

async function editAndOpenDiff(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("checkbox", { name: "Debug logging" }));
  await user.click(screen.getByRole("button", { name: "Save" }));
  return screen.findByRole("dialog", { name: "Review the changes before saving" });
}

describe("ConfigPage, Visual tab", () => {
  it("shows the file's values in labelled fields and its layout", async () => {
    await renderPage();
    expect(screen.getByRole<HTMLInputElement>("textbox", { name: "Port" }).value).toBe("8317");
    expect(screen.getByRole<HTMLInputElement>("textbox", { name: "Retries per request" }).value).toBe("3");
    expect(screen.getByTestId("config-layout").textContent).toContain("flat");
    expect(screen.getByRole("button", { name: "Save" })).toHaveProperty("disabled", true);
  });

  it("saves an edit after showing the diff, keeping comments, then re-reads CPA's copy", async () => {
    const user = await renderPage();
    const dialog = await editAndOpenDiff(user);
    await within(dialog).findByTestId("config-diff");
    await user.click(within(dialog).getByRole("button", { name: "Save to CPA" }));
    await screen.findByText(/Saved\. CPA reloads/);
    expect(onDisk).toBe("# my config\nport: 8317\ndebug: true # keep me\nrequest-retry: 3\n");
    // Fetched on load, before the diff and before the PUT (conflict checks), and after it.
    expect(server.callsTo("GET", YAML_URL)).toHaveLength(4);
    expect(server.callsTo("PUT", YAML_URL)[0]?.headers["Content-Type"]).toBe("application/yaml");
    expect(screen.getByRole("button", { name: "Save" })).toHaveProperty("disabled", true);
  });

  it("does not save an invalid value and says why", async () => {
    const user = await renderPage();
    const port = screen.getByRole("textbox", { name: "Port" });
    await user.clear(port);
    await user.type(port, "70000");
    expect(screen.getByText("The largest allowed value is 65,535.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Save" })).toHaveProperty("disabled", true);
    fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    expect(server.callsTo("PUT", YAML_URL)).toHaveLength(0);
  });

  it("Ctrl-S saves and Esc closes the diff without saving", async () => {
    const user = await renderPage();
    await user.click(screen.getByRole("checkbox", { name: "Debug logging" }));
    fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await screen.findByRole("dialog", { name: "Review the changes before saving" });
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(server.callsTo("PUT", YAML_URL)).toHaveLength(0);
    expect(screen.getByRole<HTMLInputElement>("checkbox", { name: "Debug logging" }).checked).toBe(true);
  });

  it("refuses when CPA's file changed meanwhile, then re-applies the edits on CPA's new copy", async () => {
    const user = await renderPage();
    onDisk = "# my config\nport: 8317\ndebug: false # keep me\nrequest-retry: 9 # someone else\n";
    await user.click(screen.getByRole("checkbox", { name: "Debug logging" }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    const dialog = await screen.findByRole("dialog", { name: "CPA's config.yaml changed" });
    await user.click(within(dialog).getByRole("button", { name: "Reload and re-apply my edits" }));
    await screen.findByText(/the page now shows CPA's version with your edits on top/);
    expect(screen.getByRole<HTMLInputElement>("textbox", { name: "Retries per request" }).value).toBe("9");
    expect(screen.getByRole<HTMLInputElement>("checkbox", { name: "Debug logging" }).checked).toBe(true);
    const diff = await editAndOpenDiffAgain(user);
    await user.click(within(diff).getByRole("button", { name: "Save to CPA" }));
    await screen.findByText(/Saved\. CPA reloads/);
    expect(onDisk).toBe("# my config\nport: 8317\ndebug: true # keep me\nrequest-retry: 9 # someone else\n");
  });

  it("refuses when CPA's file changes while the diff is open", async () => {
    const user = await renderPage();
    const dialog = await editAndOpenDiff(user);
    onDisk = FILE.replace("port: 8317", "port: 9000");
    await user.click(within(dialog).getByRole("button", { name: "Save to CPA" }));
    await screen.findByRole("dialog", { name: "CPA's config.yaml changed" });
    expect(server.callsTo("PUT", YAML_URL)).toHaveLength(0);
    expect(onDisk).toBe(FILE.replace("port: 8317", "port: 9000"));
  });

  it("shows CPA's refusal in its words at its line, and keeps the edits", async () => {
    putAnswer = () => json({ error: "invalid_yaml", message: "yaml: line 3: cannot unmarshal !!str `x` into bool" }, 400);
    const user = await renderPage();
    const dialog = await editAndOpenDiff(user);
    await user.click(within(dialog).getByRole("button", { name: "Save to CPA" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("CPA refused the configuration (line 3)")).toBeTruthy();
    expect(within(alert).getByTestId("cpa-refusal").textContent).toBe("yaml: line 3: cannot unmarshal !!str `x` into bool");
    expect(within(alert).getByText("debug: true # keep me")).toBeTruthy();
    expect(onDisk).toBe(FILE);
    expect(screen.getByRole<HTMLInputElement>("checkbox", { name: "Debug logging" }).checked).toBe(true);
  });

  it("after a network failure mid-save keeps the edits and a retry finds the save went through", async () => {
    putAnswer = () => {
      onDisk = FILE.replace("debug: false", "debug: true");
      throw new TypeError("Failed to fetch");
    };
    const user = await renderPage();
    const dialog = await editAndOpenDiff(user);
    await user.click(within(dialog).getByRole("button", { name: "Save to CPA" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("The save did not complete")).toBeTruthy();
    expect(screen.getByRole<HTMLInputElement>("checkbox", { name: "Debug logging" }).checked).toBe(true);
    putAnswer = null;
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    await screen.findByText(/Saved\. CPA reloads/);
    expect(server.callsTo("PUT", YAML_URL)).toHaveLength(1);
  });

  it("treats CPA Manager's 'cannot reach CPA' answer to the PUT as an interrupted save, not a refusal", async () => {
    putAnswer = () => json({ error: "Cannot reach CPA at http://127.0.0.1:8317: the connection was closed", code: "cpa_unreachable" }, 502);
    const user = await renderPage();
    const dialog = await editAndOpenDiff(user);
    await user.click(within(dialog).getByRole("button", { name: "Save to CPA" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("The save did not complete")).toBeTruthy();
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("asks before in-app navigation drops unsaved edits, and stays when told to", async () => {
    const user = await renderPage();
    await user.click(screen.getByRole("checkbox", { name: "Debug logging" }));
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
    const router = vi.fn();
    window.addEventListener("hashchange", router);
    window.history.replaceState(null, "", "#/config");
    act(() => {
      window.dispatchEvent(new HashChangeEvent("hashchange", { oldURL: `${window.location.origin}/#/config`, newURL: `${window.location.origin}/#/keys` }));
    });
    expect(confirm).toHaveBeenCalled();
    expect(router).not.toHaveBeenCalled();
    window.removeEventListener("hashchange", router);
    confirm.mockRestore();
  });
});

async function editAndOpenDiffAgain(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("button", { name: "Save" }));
  return screen.findByRole("dialog", { name: "Review the changes before saving" });
}

describe("ConfigPage, Source tab", () => {
  it("carries Visual edits into the Source text and keeps the tab in the address", async () => {
    const user = await renderPage();
    await user.click(screen.getByRole("checkbox", { name: "Debug logging" }));
    await user.click(screen.getByRole("tab", { name: "Source" }));
    const editor = await screen.findByRole("textbox", { name: "config.yaml" });
    await waitFor(() => expect(editor.textContent).toContain("debug: true # keep me"));
    expect(editor.textContent).toContain("# my config");
    expect(window.location.hash).toContain("tab=source");
    expect(screen.getByRole("tab", { name: "Source" }).getAttribute("aria-selected")).toBe("true");
  });

  it("sends a file that does not parse to the Source tab instead of editing it visually", async () => {
    onDisk = "port: 8317\nrouting: [\n";
    const user = userEvent.setup();
    renderWithI18n(<ConfigPage />);
    await screen.findByText(/does not parse as YAML/);
    expect(screen.getByRole("button", { name: "Save" })).toHaveProperty("disabled", true);
    await user.click(screen.getByRole("tab", { name: "Source" }));
    const editor = await screen.findByRole("textbox", { name: "config.yaml" });
    expect(editor.textContent).toContain("routing: [");
    expect(await screen.findByText(/^Line \d+: /)).toBeTruthy();
  });
});
