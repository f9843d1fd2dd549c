"""The Configuration page in a real browser on a big config.yaml. Prints figures; asserts nothing.

    python bench/panel_config.py [--lines 5000] [--repeat 7]

Starts the CPA test double holding a config.yaml of --lines lines (its own commented flat file, plus a long
commented codex-api-key list, the usual way such files get long), runs the real server against it (headless,
its own process), opens the built panel (assets/management.html; run `npm run build` in panel/ first) in
Debian's Chromium through Playwright, signs in and measures:

  render  from setting location.hash to "#/config" (from an idle page) until the Visual tab is FULLY RENDERED:
          the file fetched and parsed, every section drawn, "Retries per request" showing the file's value
          and no "Loading…" left in <main>.
  diff    from the Save click (after toggling one switch) until the side-by-side diff is on screen: CPA's
          current file re-fetched, the edit applied to a comment-preserving document of the whole file, and
          both CodeMirror sides of @codemirror/merge drawn with the changed line visible.

Times are taken inside the page with performance.now(); the end is detected by requestAnimationFrame
polling, so figures are up to one frame (~17 ms) late, never early. Each runs once cold, then --repeat warm.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from bench.query import p95  # noqa: E402
from tests import conftest  # noqa: E402  (first: tests.browser needs it loaded)
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.cpa_double import CpaDouble  # noqa: E402
from tests.cpa_double.config_text import default_config_yaml  # noqa: E402
from tests.processes import free_port, healthy, launch  # noqa: E402

KEY = "bench-config-key"
TARGET_MS = 500.0
WAIT_MS = 60_000
VIEWPORT = {"width": 1440, "height": 1000}
IDLE_HASH = "#/bench-idle"

RENDERED_JS = """
() => {
  const main = document.getElementById("main");
  const heading = main && main.querySelector("h1");
  const label = [...document.querySelectorAll("label")].find((l) => l.textContent === "Retries per request");
  const input = label && document.getElementById(label.htmlFor);
  const done = heading && heading.textContent === "Configuration" && input && input.value === "3"
    && main.querySelectorAll("fieldset").length >= 10 && !main.textContent.includes("Loading…");
  return done ? performance.now() : false;
}
"""

DIFF_SHOWN_JS = """
() => {
  const dialog = document.querySelector('[role="dialog"]');
  const merge = dialog && dialog.querySelector(".cm-mergeView");
  const sides = merge ? merge.querySelectorAll(".cm-content") : [];
  const done = sides.length === 2 && [...sides].some((s) => s.textContent.includes("debug: true"));
  return done ? performance.now() : false;
}
"""


def big_config(lines: int) -> str:
    """The double's own commented flat file, grown to `lines` lines with a commented codex-api-key list."""
    text = default_config_yaml()
    entries = ["codex-api-key:"]
    index = 0
    while len(text.splitlines()) + len(entries) < lines:
        entries += [
            f"  # team {index % 17}, key {index}",
            f'  - api-key: "sk-bench-{index:05d}"',
            '    base-url: "https://api.openai.com/v1"',
            f"    prefix: team{index % 17}",
            "    models:",
            "      - name: gpt-5.4",
            f"        alias: gpt-{index}",
        ]
        index += 1
    return text + "\n".join(entries) + "\n"


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/management.html")
    page.get_by_label("Management Key", exact=True).fill(KEY)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("heading", level=1, name="Dashboard", exact=True).wait_for()


def render_once(page: Page) -> float:
    page.evaluate(f"() => {{ location.hash = '{IDLE_HASH}'; }}")
    page.get_by_role("heading", level=1, name="Page not found").wait_for()
    page.wait_for_load_state("networkidle")
    started = page.evaluate("() => { const t = performance.now(); location.hash = '#/config'; return t; }")
    ended = page.wait_for_function(RENDERED_JS, polling="raf", timeout=WAIT_MS).json_value()
    return ended - started


def diff_once(page: Page) -> float:
    debug = page.get_by_role("checkbox", name="Debug logging")
    debug.check()
    save = page.get_by_role("button", name="Save", exact=True)
    started = save.evaluate("(button) => { const t = performance.now(); button.click(); return t; }")
    ended = page.wait_for_function(DIFF_SHOWN_JS, polling="raf", timeout=WAIT_MS).json_value()
    page.keyboard.press("Escape")
    page.get_by_role("dialog").wait_for(state="detached")
    debug.uncheck()
    return ended - started


def measure(name: str, repeat: int, once: Callable[[], float]) -> tuple[str, float, list[float]]:
    cold = once()
    return name, cold, [once() for _ in range(repeat)]


def drive(base_url: str, repeat: int) -> list[tuple[str, float, list[float]]]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        print(f"browser             Chromium {browser.version} (headless), viewport "
              f"{VIEWPORT['width']}x{VIEWPORT['height']}")
        try:
            page = browser.new_context(locale="en-US", timezone_id="UTC", viewport=VIEWPORT).new_page()
            log_in(page, base_url)
            runs = [measure("render the Visual tab", repeat, lambda: render_once(page))]
            runs.append(measure("show the diff after an edit", repeat, lambda: diff_once(page)))
            return runs
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--lines", type=int, default=5000, help="config.yaml lines (default 5000)")
    parser.add_argument("--repeat", type=int, default=7, help="warm runs per measurement (default 7)")
    args = parser.parse_args(argv)
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    text = big_config(args.lines)
    print(f"targets: each < {TARGET_MS:,.0f} ms (warm p95); config.yaml {len(text.splitlines()):,} lines, "
          f"{len(text.encode()) / 1024:,.0f} kB")
    double = CpaDouble(KEY, config_yaml=text).start()
    with tempfile.TemporaryDirectory() as work:
        port = free_port()
        env = {"CPA_UPSTREAM_URL": double.base_url, "CPA_MANAGEMENT_KEY": KEY}
        app = launch(Path(work) / "config.json", port, env=env, stdout=subprocess.DEVNULL)
        try:
            conftest.wait_until(lambda: healthy(port), 30, "the app")
            runs = drive(f"http://127.0.0.1:{port}", args.repeat)
        finally:
            app.terminate()
            app.wait(20)
            double.stop()
    print(f"\n{'measurement':<32}{'cold ms':>9}{'median ms':>11}{'p95 ms':>9}{'min ms':>9}   target (warm p95)")
    for name, cold, warm in runs:
        mark = "ok" if p95(warm) < TARGET_MS else "OVER"
        print(f"{name:<32}{cold:>9.0f}{statistics.median(warm):>11.0f}{p95(warm):>9.0f}{min(warm):>9.0f}"
              f"   < {TARGET_MS:,.0f} ms  {mark}")


if __name__ == "__main__":
    main()
