import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { fakeServer, json, type FakeServer } from "../../testing/fakeServer";
import { renderWithI18n } from "../../testing/render";
import { InspectionPage } from "./InspectionPage";

const SETTINGS = { workers: 4, timeout_seconds: 15, threshold_percent: 100, sample_size: 0 };
let server: FakeServer;
let executed: boolean;

function wireRun(state: string) {
  return {
    id: 7, state, started_at: 1796000000, finished_at: state === "running" ? null : 1796000010, error: null,
    settings: SETTINGS, progress: { total: 2, done: state === "running" ? 0 : 2, cancelling: false },
    counts: state === "running" ? {} : { keep: 1, disable: 1 },
  };
}

function wireResults() {
  return [
    { seq: 0, auth_index: "a1", name: "codex-alice.json", account: "ali***@example.com", plan: "plus", disabled: false,
      http_status: 200, used_percent: 41.5, action: "keep", reason_code: "healthy",
      reason_values: { used: 41.5, window: "weekly", threshold: 100 }, reason: "", executed_at: null, execution_error: null },
    { seq: 1, auth_index: "b2", name: "codex-bob.json", account: "bob***@example.com", plan: "pro", disabled: false,
      http_status: 200, used_percent: 100, action: "disable", reason_code: "over_threshold",
      reason_values: { used: 100, window: "weekly", threshold: 100 }, reason: "",
      executed_at: executed ? 1796000020 : null, execution_error: null },
  ];
}

beforeEach(() => {
  executed = false;
  let started = false;
  server = fakeServer({
    "GET /inspection/runs": () => json({ runs: started ? [wireRun("finished")] : [] }),
    "POST /inspection/runs": () => {
      started = true;
      return json({ run: wireRun("running") }, 202);
    },
    "GET /inspection/runs/7": () => json({ run: wireRun("finished"), results: wireResults() }),
    "POST /inspection/runs/7/execute": () => {
      executed = true;
      return json({ executed: [{ seq: 1, action: "disable", ok: true, error: null }] });
    },
  });
});

describe("InspectionPage", () => {
  it("runs a dry run with the settings, then executes one suggestion only after the confirmation", async () => {
    const user = userEvent.setup();
    renderWithI18n(<InspectionPage />);
    await screen.findByText("No run yet.");
    await user.clear(screen.getByLabelText("Workers"));
    await user.type(screen.getByLabelText("Workers"), "0");
    await user.click(screen.getByRole("button", { name: "Run (dry run)" }));
    expect(screen.getByText("Enter a whole number from 1 to 16.")).toBeTruthy();
    expect(server.callsTo("POST", "/inspection/runs")).toHaveLength(0);
    await user.clear(screen.getByLabelText("Workers"));
    await user.type(screen.getByLabelText("Workers"), "2");
    await user.click(screen.getByRole("button", { name: "Run (dry run)" }));
    await waitFor(() => expect(server.callsTo("POST", "/inspection/runs")).toHaveLength(1));
    expect(JSON.parse(String(server.callsTo("POST", "/inspection/runs")[0]?.body))).toEqual({ ...SETTINGS, workers: 2 });
    const row = (await screen.findByText("codex-bob.json")).closest("tr") as HTMLElement;
    expect(within(row).getByText("Disable")).toBeTruthy();
    expect(screen.getByText("2 of 2 checked")).toBeTruthy();

    await user.click(within(row).getByRole("button", { name: "Execute Disable for codex-bob.json" }));
    const dialog = screen.getByRole("dialog", { name: "Disable this credential at CPA?" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(server.callsTo("POST", "/inspection/runs/7/execute")).toHaveLength(0);

    await user.click(within(row).getByRole("button", { name: "Execute Disable for codex-bob.json" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Execute" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(JSON.parse(String(server.callsTo("POST", "/inspection/runs/7/execute")[0]?.body))).toEqual({
      seq: 1, confirm: true,
    });
    expect(await within(row).findByText("Done")).toBeTruthy();
  });
});
