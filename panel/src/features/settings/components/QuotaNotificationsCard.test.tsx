import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeServer, json } from "../../../testing/fakeServer";
import { renderWithI18n } from "../../../testing/render";
import { QuotaNotificationsCard } from "./QuotaNotificationsCard";

const RESET = "When a credential's quota comes back (a window that was at least 90 % used resets)";
const EXHAUSTED = "When every credential of a provider is out of quota (once, until one of them recovers)";

function checkbox(name: string): HTMLInputElement {
  return screen.getByRole<HTMLInputElement>("checkbox", { name });
}

describe("QuotaNotificationsCard", () => {
  it("shows both switches off as the service has them, and saves one change with PUT", async () => {
    const server = fakeServer({
      "GET /quota/notifications": () => json({ on_reset: false, on_provider_exhausted: false }),
      "PUT /quota/notifications": () => json({ on_reset: false, on_provider_exhausted: true }),
    });
    renderWithI18n(<QuotaNotificationsCard />);
    expect(screen.getByRole("heading", { name: "Quota notifications" })).toBeTruthy();
    await waitFor(() => expect(checkbox(EXHAUSTED).checked).toBe(false));
    expect(checkbox(RESET).checked).toBe(false);

    await userEvent.setup().click(checkbox(EXHAUSTED));
    await waitFor(() => expect(checkbox(EXHAUSTED).checked).toBe(true));
    const [put] = server.callsTo("PUT", "/quota/notifications");
    expect(JSON.parse(String(put?.body))).toEqual({ on_provider_exhausted: true });
    expect(checkbox(RESET).checked).toBe(false);
  });

  it("keeps the saved state and says why when saving fails", async () => {
    fakeServer({
      "GET /quota/notifications": () => json({ on_reset: true, on_provider_exhausted: false }),
      "PUT /quota/notifications": () => json({ error: "database is locked", code: "internal" }, 500),
    });
    renderWithI18n(<QuotaNotificationsCard />);
    await waitFor(() => expect(checkbox(RESET).checked).toBe(true));
    await userEvent.setup().click(checkbox(RESET));
    expect((await screen.findByRole("alert")).textContent).toContain("database is locked");
    expect(checkbox(RESET).checked).toBe(true);
  });
});
