import { createHash } from "node:crypto";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { fakeServer, json, type FakeServer } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { KeysPage } from "./KeysPage";

const KEYS = "/v0/management/api-keys";
const NAMES = "/v8/management/access/api-key-names";
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

let server: FakeServer;
let keys: string[] | null;
let names: Record<string, string>;
let namesDown: boolean;

function setup(version: string) {
  server = fakeServer({
    "GET /v0/management/config": () => new Response("{}", { status: 200, headers: { "Content-Type": "application/json", "X-CPA-VERSION": version } }),
    [`GET ${KEYS}`]: () => json({ "api-keys": keys }),
    [`PUT ${KEYS}`]: (call) => {
      const next = JSON.parse(String(call.body)) as string[];
      // CPA's quirk: an emptied list reads back as null.
      keys = next.length ? next : null;
      return json({ status: "ok" });
    },
    [`GET ${NAMES}`]: () => json({ names }),
    [`PATCH ${NAMES}`]: (call) => {
      if (namesDown) return json({ error: "key_names_write_failed", message: "failed to write key names" }, 500);
      names = { ...names, ...(JSON.parse(String(call.body)) as { names: Record<string, string> }).names };
      return json({ names });
    },
  });
}

beforeEach(() => {
  keys = ["sk-client-one-0001", "sk-client-two-0002"];
  names = { [sha("sk-client-one-0001")]: "Team" };
  namesDown = false;
});

async function renderPage() {
  const user = userEvent.setup();
  renderWithI18n(<KeysPage />);
  await screen.findByRole("list", { name: /^\d+ keys?$/ });
  return user;
}

describe("KeysPage on CPA v8", () => {
  beforeEach(() => setup("8.0.47"));

  it("lists the keys masked, with their display names, and reveals one on request", async () => {
    const user = await renderPage();
    const first = screen.getByRole("listitem", { name: "Key 1" });
    expect(within(first).getByText("Team")).toBeTruthy();
    expect(within(first).getByText("sk-…0001")).toBeTruthy();
    expect(within(screen.getByRole("listitem", { name: "Key 2" })).getByText("(no name)")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Reveal: Key 1" }));
    expect(within(first).getByText("sk-client-one-0001")).toBeTruthy();
  });

  it("adds a generated key with a PUT of the whole list and names it by the key's sha256", async () => {
    const user = await renderPage();
    const form = screen.getByRole("form", { name: "Add a key" });
    await user.click(within(form).getByRole("button", { name: "Generate" }));
    const key = within(form).getByRole<HTMLInputElement>("textbox", { name: "Key" }).value;
    expect(key).toMatch(/^sk-[0-9A-Za-z]{48}$/);
    await user.type(within(form).getByRole("textbox", { name: "Display name" }), "Laptop");
    await user.click(within(form).getByRole("button", { name: "Add key" }));
    await screen.findByText("Saved in CPA.");
    expect(JSON.parse(String(server.callsTo("PUT", KEYS)[0]?.body))).toEqual(["sk-client-one-0001", "sk-client-two-0002", key]);
    expect(JSON.parse(String(server.callsTo("PATCH", NAMES)[0]?.body))).toEqual({ names: { [sha(key)]: "Laptop" } });
    await screen.findByRole("list", { name: "3 keys" });
  });

  it("says so when the key was saved but its name was not", async () => {
    namesDown = true;
    const user = await renderPage();
    const form = screen.getByRole("form", { name: "Add a key" });
    await user.type(within(form).getByRole("textbox", { name: "Key" }), "sk-new-key-0003");
    await user.type(within(form).getByRole("textbox", { name: "Display name" }), "Laptop");
    await user.click(within(form).getByRole("button", { name: "Add key" }));
    await screen.findByText("The key was saved, but not its name: failed to write key names. Edit the key to set the name again.");
    expect(keys).toEqual(["sk-client-one-0001", "sk-client-two-0002", "sk-new-key-0003"]);
    await screen.findByRole("list", { name: "3 keys" });
  });

  it("renames without rewriting the key list", async () => {
    const user = await renderPage();
    await user.click(screen.getByRole("button", { name: "Edit: Key 2" }));
    const form = screen.getByRole("form", { name: "Edit key 2" });
    await user.type(within(form).getByRole("textbox", { name: "Display name" }), "CI");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    await screen.findByText("Name saved in CPA.");
    expect(server.callsTo("PUT", KEYS)).toHaveLength(0);
    expect(names[sha("sk-client-two-0002")]).toBe("CI");
  });

  it("refuses a save when CPA's list changed since loading, then re-applies on request", async () => {
    const user = await renderPage();
    keys = ["sk-client-one-0001", "sk-client-two-0002", "sk-other-tab-0003"];
    await user.click(screen.getByRole("button", { name: "Delete: Key 1" }));
    await user.click(screen.getByRole("button", { name: "Delete key" }));
    await screen.findByText("The key list changed in CPA");
    expect(server.callsTo("PUT", KEYS)).toHaveLength(0);
    await screen.findByRole("list", { name: "3 keys" });
    await user.click(screen.getByRole("button", { name: "Re-apply my change" }));
    await screen.findByText("Saved in CPA.");
    expect(keys).toEqual(["sk-client-two-0002", "sk-other-tab-0003"]);
  });

  it("refuses a key with spaces or one already in the list, without calling CPA", async () => {
    const user = await renderPage();
    const form = screen.getByRole("form", { name: "Add a key" });
    const input = within(form).getByRole("textbox", { name: "Key" });
    await user.type(input, "sk-client-one-0001");
    expect(within(form).getByText("This key is already in the list.")).toBeTruthy();
    await user.clear(input);
    await user.type(input, "sk with space");
    await user.click(within(form).getByRole("button", { name: "Add key" }));
    expect(within(form).getByText(/cannot contain spaces/)).toBeTruthy();
    expect(server.callsTo("PUT", KEYS)).toHaveLength(0);
  });
});

describe("KeysPage on CPA v7", () => {
  beforeEach(() => setup("7.2.140"));

  it("has no display names, and shows an emptied list (null from CPA) as empty", async () => {
    keys = ["sk-the-only-key-01"];
    const user = await renderPage();
    expect(screen.queryByRole("textbox", { name: "Display name" })).toBeNull();
    expect(server.callsTo("GET", NAMES)).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Delete: Key 1" }));
    await user.click(screen.getByRole("button", { name: "Delete key" }));
    await screen.findByText(/No client keys/);
    expect(JSON.parse(String(server.callsTo("PUT", KEYS)[0]?.body))).toEqual([]);
    expect(keys).toBeNull();
  });
});
