import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { setFetch } from "../../lib/http";
import { fakeServer, json, type Handler } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { LogsPage } from "./LogsPage";

const LINE = (n: number) => `[2026-08-29 10:40:0${n}] [--------] [info ] [x.go:1] line ${n}`;

function cpa(routes: Record<string, Handler>, loggingToFile = true) {
  return fakeServer({
    "GET /v0/management/config": () =>
      new Response("{}", { headers: { "Content-Type": "application/json", "X-CPA-VERSION": "v7.2.140" } }),
    "GET /v0/management/logging-to-file": () => json({ "logging-to-file": loggingToFile }),
    "GET /v0/management/request-log": () => json({ "request-log": false }),
    "GET /v0/management/request-error-logs": () => json({ files: [] }),
    ...routes,
  });
}

afterEach(() => setFetch((input, init) => fetch(input, init)));

describe("LogsPage", () => {
  it("reads a tail, then only what follows the cursor, and starts over on a cursor reset", async () => {
    let reads = 0;
    const server = cpa({
      "GET /v0/management/logs?limit=100000": () => json({ lines: [LINE(1), LINE(2)], "next-cursor": "c1", "latest-timestamp": 2, "line-count": 2 }),
      "GET /v0/management/logs?cursor=c1&limit=5000": () => {
        reads++;
        return reads === 1
          ? json({ lines: [LINE(3)], "next-cursor": "c2", "latest-timestamp": 3, "line-count": 1 })
          : json({ lines: [], "next-cursor": "c1", "latest-timestamp": 3, "line-count": 0 });
      },
      "GET /v0/management/logs?cursor=c2&limit=5000": () =>
        json({ "cursor-reset": true, lines: [LINE(9)], "next-cursor": "c9", "latest-timestamp": 9, "line-count": 1 }),
    });
    renderWithI18n(<LogsPage />);
    expect(await screen.findByText("Showing 2 of 2 lines")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Refresh" }));
    expect(await screen.findByText("Showing 3 of 3 lines")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Refresh" }));
    expect(await screen.findByText("Showing 1 of 1 lines")).toBeTruthy();
    // jsdom has no layout, so the virtualised rows are checked in the browser tests; the counts tell the story here.
    expect(screen.getByText(/CPA started a new log file/)).toBeTruthy();
    expect(server.callsTo("GET", "/v0/management/logs?cursor=c2&limit=5000")).toHaveLength(1);
  });

  it("drops a cursor CPA refuses and reads a fresh tail once, instead of asking again and again", async () => {
    let tails = 0;
    const server = cpa({
      "GET /v0/management/logs?limit=100000": () => {
        tails++;
        return json({ lines: [LINE(tails)], "next-cursor": tails === 1 ? "stale" : "fresh", "latest-timestamp": 1, "line-count": 1 });
      },
      "GET /v0/management/logs?cursor=stale&limit=5000": () => json({ error: "invalid cursor" }, 400),
    });
    renderWithI18n(<LogsPage />);
    expect(await screen.findByText("Showing 1 of 1 lines")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Refresh" }));
    await waitFor(() => expect(tails).toBe(2));
    expect(server.callsTo("GET", "/v0/management/logs?cursor=stale&limit=5000")).toHaveLength(1);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("offers the one-click fix while file logging is off, then reads", async () => {
    let on = false;
    const server = fakeServer({
      "GET /v0/management/config": () =>
        new Response("{}", { headers: { "Content-Type": "application/json", "X-CPA-VERSION": "v7.2.140" } }),
      "GET /v0/management/logging-to-file": () => json({ "logging-to-file": on }),
      "PUT /v0/management/logging-to-file": () => {
        on = true;
        return json({ status: "ok" });
      },
      "GET /v0/management/request-log": () => json({ "request-log": false }),
      "GET /v0/management/request-error-logs": () => json({ files: [] }),
      "GET /v0/management/logs?limit=100000": () => json({ lines: [LINE(1)], "next-cursor": "c1", "latest-timestamp": 1, "line-count": 1 }),
    });
    renderWithI18n(<LogsPage />);
    await userEvent.click(await screen.findByRole("button", { name: "Turn on file logging" }));
    expect(await screen.findByText("Showing 1 of 1 lines")).toBeTruthy();
    expect(server.callsTo("PUT", "/v0/management/logging-to-file")[0]?.body).toBe(JSON.stringify({ value: true }));
  });

  it("asks before clearing, and clears only when confirmed", async () => {
    const server = cpa({
      "GET /v0/management/logs?limit=100000": () => json({ lines: [LINE(1)], "next-cursor": "c1", "latest-timestamp": 1, "line-count": 1 }),
      "DELETE /v0/management/logs": () => json({ message: "Logs cleared successfully", removed: 2, success: true }),
    });
    renderWithI18n(<LogsPage />);
    await screen.findByText("Showing 1 of 1 lines");
    await userEvent.click(screen.getByRole("button", { name: "Clear CPA's logs" }));
    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(server.callsTo("DELETE", "/v0/management/logs")).toHaveLength(0);
    await userEvent.click(screen.getByRole("button", { name: "Clear CPA's logs" }));
    await userEvent.click(screen.getByRole("button", { name: "Clear the logs" }));
    expect(await screen.findByText("Logs cleared (2 rotated files removed).")).toBeTruthy();
    expect(server.callsTo("DELETE", "/v0/management/logs")).toHaveLength(1);
  });
});
