import { describe, expect, it } from "vitest";
import type { LogChunk } from "../../lib/cpa/logs";
import {
  applyChunk,
  clip,
  emptyFilters,
  filterLines,
  highlight,
  nextCursor,
  parseLine,
  parseLines,
  requestFromHash,
  sanitizeLine,
  shownText,
} from "./logic";

const MGMT = '[2026-08-29 10:40:00] [--------] [info ] [gin_logger.go:92] 200 | 1.2ms | 127.0.0.1 | GET "/v0/management/config"';
const CHAT = '[2026-08-29 10:40:01] [c0ffee12] [info ] [gin_logger.go:92] 200 | 830ms | 127.0.0.1 | POST "/v1/chat/completions"';
const ERR = "[2026-08-29 10:40:02] [deadbeef] [error] [conductor.go:88] upstream 500 from Codex";
const TRACE = "goroutine 1 [running]:";

function chunk(lines: string[], extra: Partial<LogChunk> = {}): LogChunk {
  return { lines, nextCursor: "c1", cursorReset: false, latestTimestamp: 0, ...extra };
}

describe("parseLine", () => {
  it("reads CPA's prefix: time, request id, level, management traffic", () => {
    expect(parseLine(CHAT, null)).toMatchObject({ time: "2026-08-29 10:40:01", requestId: "c0ffee12", level: "info", isManagement: false });
    expect(parseLine(MGMT, null)).toMatchObject({ requestId: "", level: "info", isManagement: true });
    expect(parseLine(ERR, null).level).toBe("error");
    expect(parseLine("[2026-08-29 10:40:02] [--------] [warning] [x.go:1] slow", null).level).toBe("warn");
  });

  it("gives a continuation line its parent's level", () => {
    const [, trace] = parseLines([ERR, TRACE], null);
    expect(trace).toMatchObject({ text: TRACE, level: "error", time: "" });
  });
});

describe("sanitizeLine", () => {
  it("replaces control characters and broken surrogates, keeps tabs and real characters", () => {
    expect(sanitizeLine("a\u0000b\u001b[31mc\tdé\uFFFD")).toBe("a\uFFFDb\uFFFD[31mc\tdé\uFFFD");
    expect(sanitizeLine("x\uD800y\uDC00z 😀")).toBe("x\uFFFDy\uFFFDz 😀");
  });
});

describe("applyChunk and the cursor", () => {
  it("appends new lines and keeps only the newest ones", () => {
    const first = applyChunk([], chunk([MGMT, CHAT]));
    const next = applyChunk(first, chunk([ERR]), 2);
    expect(next.map((l) => l.text)).toEqual([CHAT, ERR]);
  });

  it("replaces the view on a cursor reset, even with no lines", () => {
    const shown = applyChunk([], chunk([MGMT, CHAT]));
    expect(applyChunk(shown, chunk([ERR], { cursorReset: true })).map((l) => l.text)).toEqual([ERR]);
    expect(applyChunk(shown, chunk([], { cursorReset: true }))).toEqual([]);
  });

  it("keeps the same array when nothing is new (no re-render of 100,000 lines)", () => {
    const shown = applyChunk([], chunk([MGMT]));
    expect(applyChunk(shown, chunk([]))).toBe(shown);
  });

  it("reads a tail again when CPA hands out no cursor", () => {
    expect(nextCursor(chunk([], { nextCursor: "" }))).toBeNull();
    expect(nextCursor(chunk([], { nextCursor: "eyJ2IjoxfQ" }))).toBe("eyJ2IjoxfQ");
  });
});

describe("filterLines", () => {
  const lines = parseLines([MGMT, CHAT, ERR, TRACE], null);

  it("passes everything by default", () => {
    expect(filterLines(lines, emptyFilters())).toEqual([0, 1, 2, 3]);
  });

  it("hides management traffic", () => {
    expect(filterLines(lines, { ...emptyFilters(), hideManagement: true })).toEqual([1, 2, 3]);
  });

  it("filters by level, continuations included", () => {
    expect(filterLines(lines, { ...emptyFilters(), levels: new Set(["error"] as const) })).toEqual([2, 3]);
  });

  it("matches free text case-insensitively", () => {
    expect(filterLines(lines, { ...emptyFilters(), text: "  codex " })).toEqual([2]);
  });

  it("stays fast over 100,000 lines", () => {
    const many = parseLines(Array.from({ length: 100_000 }, (_, i) => (i % 3 === 0 ? MGMT : i % 3 === 1 ? CHAT : ERR)), null);
    const started = performance.now();
    const found = filterLines(many, { ...emptyFilters(), text: "codex", hideManagement: true });
    expect(found.length).toBe(33_333);
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe("highlight", () => {
  it("splits around every match, keeping the original case", () => {
    expect(highlight("Codex said codex", "CODEX")).toEqual([
      { text: "Codex", match: true },
      { text: " said ", match: false },
      { text: "codex", match: true },
    ]);
    expect(highlight("abc", " ")).toEqual([{ text: "abc", match: false }]);
  });
});

describe("clip, shownText and requestFromHash", () => {
  it("clips a 1 MB line to what a row can show", () => {
    const huge = "x".repeat(1_048_576);
    expect(clip(huge)).toEqual({ shown: "x".repeat(2_000), clipped: true });
    expect(clip("short")).toEqual({ shown: "short", clipped: false });
  });

  it("writes the shown lines as a file", () => {
    const lines = parseLines([MGMT, CHAT], null);
    expect(shownText(lines, [1])).toBe(`${CHAT}\n`);
    expect(shownText(lines, [])).toBe("");
  });

  it("takes a well-formed request id from the address only", () => {
    expect(requestFromHash("#/logs?request=c0ffee12")).toBe("c0ffee12");
    expect(requestFromHash("#/logs?request=../../x")).toBe("");
    expect(requestFromHash("#/logs")).toBe("");
  });
});
