import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { fakeServer, json, type FakeServer } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { BudgetsPage } from "./BudgetsPage";

const OPTIONS = "/v0/management/analytics/options";
type Wire = Record<string, unknown>;

let server: FakeServer;
let stored: Wire[];

function budget(id: number, body: Wire): Wire {
  return {
    id, thresholds: [50, 80, 100], spendUsd: 6, percent: (600 / Number(body.limitUsd)), crossed: [50],
    unpriced: { requests: 3, models: ["m"], note: "3 unpriced requests are not counted in the spend" },
    periodStart: 1796943600000, periodEnd: 1797030000000, ...body,
    scope: { label: "", value: "", ...(body.scope as Wire) },
  };
}

beforeEach(() => {
  stored = [budget(1, { period: "daily", limitUsd: 10, scope: { kind: "overall" } })];
  server = fakeServer({
    "GET /budgets": () => json({ budgets: stored }),
    [`GET ${OPTIONS}`]: () =>
      json({ dimensions: { provider: [{ key: "codex", label: "codex", requests: 5 }], apiKey: [] } }),
    "POST /budgets": (call) => {
      const body = JSON.parse(String(call.body)) as Wire;
      if (body.limitUsd === null || Number(body.limitUsd) <= 0) {
        return json({ error: "The limit must be more than 0 US dollars", code: "invalid_limit" }, 400);
      }
      const made = budget(2, body);
      stored = [...stored, made];
      return json({ budget: made }, 201);
    },
    "DELETE /budgets/1": () => {
      stored = stored.filter((b) => b.id !== 1);
      return json({ deleted: 1 });
    },
  });
});

describe("BudgetsPage", () => {
  it("shows each budget's progress, thresholds and unpriced requests", async () => {
    renderWithI18n(<BudgetsPage />);
    const bar = await screen.findByRole("progressbar", { name: "Daily budget · All usage" });
    expect(bar.getAttribute("aria-valuenow")).toBe("60");
    expect(bar.getAttribute("aria-valuetext")).toBe("$6.00 of $10.00 (60.0%)");
    const thresholds = screen.getByRole("list", { name: "Thresholds:" });
    expect(within(thresholds).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "50% reached", "80% not reached", "100% not reached",
    ]);
    expect(screen.getByText(/3 unpriced requests are not counted/)).toBeTruthy();
  });

  it("creates a provider budget and shows the server's sentence for a bad limit", async () => {
    const user = userEvent.setup();
    renderWithI18n(<BudgetsPage />);
    await screen.findByRole("progressbar", { name: "Daily budget · All usage" });
    await user.type(screen.getByRole("textbox", { name: "Limit (USD)" }), "-1");
    await user.click(screen.getByRole("button", { name: "Create budget" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Not saved: The limit must be more than 0 US dollars");

    const limit = screen.getByRole("textbox", { name: "Limit (USD)" });
    await user.clear(limit);
    await user.type(limit, "20");
    await user.selectOptions(screen.getByRole("combobox", { name: "Applies to" }), "provider");
    await user.selectOptions(screen.getByRole("combobox", { name: "Provider" }), "codex");
    await user.click(screen.getByRole("button", { name: "Create budget" }));
    await screen.findByRole("progressbar", { name: "Daily budget · Provider codex" });
    const posted = server.callsTo("POST", "/budgets").map((c) => JSON.parse(String(c.body)) as Wire);
    expect(posted[1]).toEqual({
      period: "daily", limitUsd: 20, scope: { kind: "provider", value: "codex" }, thresholds: [50, 80, 100],
    });
  });

  it("deletes after confirming", async () => {
    const user = userEvent.setup();
    renderWithI18n(<BudgetsPage />);
    await user.click(await screen.findByRole("button", { name: "Delete Daily budget · All usage" }));
    const dialog = screen.getByRole("dialog", { name: "Delete this budget?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete budget" }));
    await waitFor(() => expect(screen.getByText("No budgets yet. Create one below.")).toBeTruthy());
    expect(server.callsTo("DELETE", "/budgets/1")).toHaveLength(1);
  });
});
