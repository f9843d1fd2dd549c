import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeServer, json } from "../../../testing/fakeServer";
import { renderWithI18n } from "../../../testing/render";
import { ImportCard } from "./ImportCard";

const IMPORT = "/v0/management/usage/import";
const LINES = [
  '{"timestamp":"2026-11-20T10:00:00Z","model":"gpt-4o","tokens":{"input":10,"output":5}}',
  '{"model":"gpt-4o"}',
  '{"timestamp":"2026-11-20T10:05:00Z","model":"claude-sonnet","tokens":{"input":7,"output":3}}',
];

/** The server's import report for LINES: line 2 has no timestamp. */
const REPORT = {
  format: "usage_service_jsonl",
  added: 0,
  skipped: 0,
  total: 3,
  failed: 1,
  unsupported: 0,
  warnings: [],
  errors: [{ line: 2, error: "missing timestamp" }],
};

/** What the server answers with its 400 when a line is bad and skipInvalid is off. */
const REJECTED = { error: "line 2: missing timestamp (1 bad lines; nothing imported)", code: "import_rejected", ...REPORT };

function usageFile(): File {
  return new File([LINES.join("\n") + "\n"], "usage.jsonl", { type: "" });
}

/** Drops a file on the card's drop zone (the zone is a button that also opens the file picker). */
function drop(file: File) {
  const zone = screen.getByRole("button", { name: "Choose a file to import" });
  const hint = document.getElementById(zone.getAttribute("aria-describedby") ?? "");
  expect(hint?.textContent).toBe("Drop a .jsonl, .ndjson or .json file here, or press Enter to choose one.");
  fireEvent.drop(zone, { dataTransfer: { files: [file], types: ["Files"] } });
}

/** The <dd> beside a <dt> in the preview. */
function fact(term: string): string | null {
  return screen.getByText(term, { selector: "dt" }).nextElementSibling?.textContent ?? null;
}

describe("ImportCard", () => {
  it("previews a chosen file before anything is sent", async () => {
    const server = fakeServer({});
    renderWithI18n(<ImportCard />);
    drop(usageFile());

    await screen.findByRole("heading", { name: "Check before importing" });
    expect(fact("File")).toBe("usage.jsonl");
    expect(fact("Detected")).toBe("JSONL events");
    expect(fact("Lines")).toBe("3");
    expect(screen.getByRole("button", { name: "Import" })).toBeTruthy();
    expect(server.calls).toEqual([]);
  });

  it("shows the server's rejection with its line-numbered errors, then imports the valid lines", async () => {
    const user = userEvent.setup();
    const server = fakeServer({
      [`POST ${IMPORT}`]: () => json(REJECTED, 400),
      [`POST ${IMPORT}?skipInvalid=1`]: () => json({ ...REPORT, added: 2 }),
    });
    const file = usageFile();
    renderWithI18n(<ImportCard />);
    drop(file);
    await user.click(await screen.findByRole("button", { name: "Import" }));

    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("The file was rejected; nothing was imported")).toBeTruthy();
    expect(within(alert).getByText(REJECTED.error)).toBeTruthy();
    expect(within(alert).getByRole("heading", { name: "Errors" })).toBeTruthy();
    expect(within(alert).getByRole("listitem").textContent).toBe("Line 2: missing timestamp");

    const [sent] = server.callsTo("POST", IMPORT);
    expect(sent?.body).toBe(file);
    expect(sent?.headers["Content-Type"]).toBe("application/x-ndjson");

    await user.click(within(alert).getByRole("button", { name: "Import only the valid lines" }));
    const done = await screen.findByRole("status");
    expect(within(done).getByText("Import finished")).toBeTruthy();
    expect(fact("Added")).toBe("2");
    expect(fact("Failed")).toBe("1");
    expect(server.callsTo("POST", `${IMPORT}?skipInvalid=1`)).toHaveLength(1);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("reports a failure that is not a rejection and keeps the file to try again", async () => {
    const user = userEvent.setup();
    fakeServer({ [`POST ${IMPORT}`]: () => json({ error: "The import is larger than 64 MiB", code: "import_too_large" }, 413) });
    renderWithI18n(<ImportCard />);
    drop(usageFile());
    await user.click(await screen.findByRole("button", { name: "Import" }));

    expect((await screen.findByRole("alert")).textContent).toBe("Could not import: The import is larger than 64 MiB");
    expect(screen.getByRole("button", { name: "Import" })).toBeTruthy();
  });
});
