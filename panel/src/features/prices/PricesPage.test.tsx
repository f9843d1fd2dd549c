import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { fakeServer, json, type FakeServer } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { PricesPage } from "./PricesPage";

const PRICES = "/v0/management/model-prices";
const SEEN = "/v0/management/analytics/breakdown?by=model";

interface WirePrice {
  input: number;
  output: number;
  cacheRead?: number | null;
  cacheWrite?: number | null;
  source?: string;
  updatedAt?: number;
}

let server: FakeServer;
let stored: Record<string, WirePrice>;

beforeEach(() => {
  stored = {
    "claude-sonnet": { input: 3, output: 15, cacheRead: 0.3, cacheWrite: null, source: "litellm", updatedAt: 1793491200000 },
    "gpt-4o": { input: 2.5, output: 10, cacheRead: null, cacheWrite: null, source: "manual", updatedAt: 1793577600000 },
  };
  // A small stand-in for the server: PUT replaces every price, GET returns what is stored.
  server = fakeServer({
    [`GET ${PRICES}`]: () => json({ prices: stored }),
    [`PUT ${PRICES}`]: (call) => {
      const body = JSON.parse(String(call.body)) as { prices: Record<string, WirePrice> };
      stored = Object.fromEntries(Object.entries(body.prices).map(([model, p]) => [model, { ...p, source: "manual" }]));
      return json({ prices: stored });
    },
    [`GET ${SEEN}`]: () => json({ items: [{ key: "gpt-4o", requests: 12, unpriced: { requests: 0 } }] }),
  });
});

async function renderPage() {
  const user = userEvent.setup();
  renderWithI18n(<PricesPage />);
  await screen.findByRole("table", { name: "Priced models" });
  return user;
}

describe("PricesPage", () => {
  it("lists the stored prices as editable fields", async () => {
    await renderPage();
    expect(screen.getByRole<HTMLInputElement>("textbox", { name: "gpt-4o: Input" }).value).toBe("2.5");
    expect(screen.getByRole<HTMLInputElement>("textbox", { name: "claude-sonnet: Cache read" }).value).toBe("0.3");
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Save" }).disabled).toBe(true);
  });

  it("saves an edited price with a PUT of the whole table", async () => {
    const user = await renderPage();
    const input = screen.getByRole("textbox", { name: "gpt-4o: Input" });
    await user.clear(input);
    await user.type(input, "3.75");
    expect(screen.getByRole("status").textContent).toContain("You have unsaved changes.");

    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(screen.getAllByRole("status").map((s) => s.textContent)).toEqual(["Saved — costs everywhere now use the new prices."]),
    );

    const puts = server.callsTo("PUT", PRICES);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.headers["Content-Type"]).toBe("application/json");
    expect(JSON.parse(String(puts[0]?.body))).toEqual({
      prices: {
        "claude-sonnet": { input: 3, output: 15, cacheRead: 0.3 },
        "gpt-4o": { input: 3.75, output: 10 },
      },
    });
    // After saving, the page shows what the server now holds.
    expect(screen.getByRole<HTMLInputElement>("textbox", { name: "gpt-4o: Input" }).value).toBe("3.75");
  });

  it("flags a negative price on its field and does not send it", async () => {
    const user = await renderPage();
    const output = screen.getByRole("textbox", { name: "claude-sonnet: Output" });
    await user.clear(output);
    await user.type(output, "-1");

    const flagged = screen.getByRole("textbox", { name: "claude-sonnet: Output", description: "Enter a number of 0 or more." });
    expect(flagged.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("textbox", { name: "claude-sonnet: Input" }).getAttribute("aria-invalid")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(screen.getByRole("alert").textContent).toBe("Fix the marked fields before saving.");
    expect(server.callsTo("PUT", PRICES)).toEqual([]);
  });

  it("shows the server's refusal of a save", async () => {
    server = fakeServer({
      [`GET ${PRICES}`]: () => json({ prices: stored }),
      [`PUT ${PRICES}`]: () => json({ error: "prices must be non-negative numbers", code: "invalid_prices" }, 400),
      [`GET ${SEEN}`]: () => json({ items: [] }),
    });
    const user = await renderPage();
    await user.type(screen.getByRole("textbox", { name: "gpt-4o: Output" }), "5");
    await user.click(screen.getByRole("button", { name: "Save" }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Could not save: prices must be non-negative numbers");
    expect(within(screen.getByRole("table")).getByRole<HTMLInputElement>("textbox", { name: "gpt-4o: Output" }).value).toBe("105");
  });

  it("says which source set each stored price", async () => {
    await renderPage();
    const row = (model: string) => screen.getByRole("textbox", { name: `${model}: Input` }).closest("tr") as HTMLElement;
    expect(within(row("claude-sonnet")).getByText("LiteLLM sync")).toBeTruthy();
    expect(within(row("gpt-4o")).getByText("Your price")).toBeTruthy();
  });

  it("lists the built-in prices not overridden, and Customise copies one into the table", async () => {
    const defaults = {
      generated: "2026-12-05",
      prices: {
        "gpt-4o": { input: 5, output: 20, cacheRead: null, cacheWrite: null, source: "default", updatedAt: 0 },
        "gpt-5": { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: null, source: "default", updatedAt: 0 },
      },
    };
    server = fakeServer({
      [`GET ${PRICES}`]: () => json({ prices: stored, defaults }),
      [`PUT ${PRICES}`]: () => json({ prices: stored, defaults }),
      [`GET ${SEEN}`]: () => json({ items: [] }),
    });
    const user = await renderPage();
    const builtIn = screen.getByRole("table", { name: "Built-in prices (dated 2026-12-05)" });
    // gpt-4o has a stored price, which overrides the built-in one: only gpt-5 is offered.
    expect(within(builtIn).getAllByRole("row").slice(1).map((r) => within(r).getAllByRole("cell")[0]?.textContent)).toEqual(["gpt-5"]);
    expect(within(builtIn).queryByRole("textbox")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Customise gpt-5" }));
    const input = screen.getByRole<HTMLInputElement>("textbox", { name: "gpt-5: Input" });
    expect(input.value).toBe("1.25");
    expect(document.activeElement).toBe(input);
    expect(screen.getByRole<HTMLInputElement>("textbox", { name: "gpt-5: Cache read" }).value).toBe("0.125");
    expect(screen.getByText("Every built-in price is overridden by the table above.")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(server.callsTo("PUT", PRICES)).toHaveLength(1));
    const body = JSON.parse(String(server.callsTo("PUT", PRICES)[0]?.body)) as { prices: Record<string, unknown> };
    expect(body.prices["gpt-5"]).toEqual({ input: 1.25, output: 10, cacheRead: 0.125 });
  });
});
