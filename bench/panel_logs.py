"""The Logs page in a real browser with 100,000 log lines. Prints figures; asserts nothing.

    python bench/panel_logs.py [--lines 100000] [--repeat 5]

Writes --lines lines in CPA's format into the CPA double's main.log (a mix of proxied requests, management
traffic, warnings and errors), turns file logging on, runs the real server from source (headless, its own
process) against it, signs in with Debian's Chromium through Playwright and measures, inside the page:

  ready   from setting location.hash to "#/logs" (from an idle page) until the page shows every line: the count
          reads "Showing N of N lines", the virtualised view has drawn rows, and the last line is among them
          (the view opens at the top, so: the first line). This includes CPA's tail read of N lines through the
          proxy, parsing and the first paint.
  filter  from the search box's "input" event (a capture-phase listener stamps it) until the view reflects the
          filter: the count reads the expected match count and every drawn row contains a highlighted match.

Times come from performance.now() in the page; the end is found by requestAnimationFrame polling, so figures
are up to one frame late, never early. Targets: ready < 1 s, filter < 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests import conftest  # noqa: E402  (first: it loads tests.browser, which needs it)
from tests.browser import CHROMIUM, CHROMIUM_ARGS, log_in  # noqa: E402
from tests.client import call  # noqa: E402
from tests.cpa_double import CpaDouble  # noqa: E402
from tests.cpa_double.log_files import format_line  # noqa: E402
from tests.processes import free_port, healthy, launch  # noqa: E402

KEY = "bench-management-key"
READY_TARGET_MS = 1000.0
FILTER_TARGET_MS = 100.0
WAIT_MS = 60_000
IDLE_HASH = "#/bench-idle"
NEEDLE = "codex"
MESSAGES = (
    ("info", 'a1b2c3d4', '200 | 1.204s | 127.0.0.1 | POST "/v1/chat/completions"'),
    ("info", "--------", '200 | 812µs | 127.0.0.1 | GET "/v0/management/config"'),
    ("debug", "--------", "refreshing token for alice@example.com"),
    ("warn", "e5f6a7b8", "credential cooling down after 429 (claude-bob@example.com.json)"),
    ("error", "c0ffee12", "upstream 500 from codex: stream closed before completion"),
    ("info", "9a8b7c6d", '200 | 3.1s | 127.0.0.1 | POST "/v1/messages"'),
)

READY_JS = """
(total) => {
  const log = document.querySelector('[role="log"]');
  const all = total.toLocaleString("en-US");
  const want = `Showing ${all} of ${all} lines`;
  const count = [...document.querySelectorAll("main p")].some((p) => p.textContent === want);
  const rows = log ? log.querySelectorAll('[data-level]').length : 0;
  return count && rows > 0 ? performance.now() : false;
}
"""

FILTERED_JS = """
([total, expected]) => {
  const log = document.querySelector('[role="log"]');
  const want = `Showing ${expected.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} lines`;
  const count = [...document.querySelectorAll("main p")].some((p) => p.textContent === want);
  const rows = log ? [...log.querySelectorAll('[data-level]')] : [];
  const done = count && rows.length > 0 && rows.every((row) => row.querySelector("mark"));
  return done ? performance.now() - window.__benchFilterStart : false;
}
"""

START_FILTER_CLOCK_JS = """
() => {
  window.__benchFilterStart = null;
  const stamp = () => { window.__benchFilterStart = performance.now(); };
  window.addEventListener("input", stamp, { capture: true, once: true });
}
"""


def fill_log(cpa: CpaDouble, lines: int) -> int:
    """Writes the lines straight into main.log; returns how many contain NEEDLE."""
    start = time.time() - lines
    text = [format_line(start + i, *_message(i)) for i in range(lines)]
    cpa.logs.main.write_text("\n".join(text) + "\n")
    return sum(NEEDLE in line.lower() for line in text)


def _message(i: int) -> tuple[str, str, str]:
    level, request_id, message = MESSAGES[i % len(MESSAGES)]
    return level, message, request_id


def measure_ready(page: Page, total: int) -> float:
    page.evaluate(f"() => {{ location.hash = '{IDLE_HASH}'; }}")
    page.wait_for_selector("text=Page not found")
    started = page.evaluate("() => { const t = performance.now(); location.hash = '#/logs'; return t; }")
    ended = page.wait_for_function(READY_JS, arg=total, polling="raf", timeout=WAIT_MS).json_value()
    return float(ended) - float(started)


def measure_filter(page: Page, total: int, expected: int) -> float:
    search = page.get_by_label("Search")
    search.fill("")
    page.wait_for_function(READY_JS, arg=total, polling="raf", timeout=WAIT_MS)
    page.evaluate(START_FILTER_CLOCK_JS)
    search.fill(NEEDLE)
    done = page.wait_for_function(FILTERED_JS, arg=[total, expected], polling="raf", timeout=WAIT_MS)
    return float(done.json_value())


def report(name: str, runs: list[float], target: float) -> None:
    ordered = sorted(runs)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    verdict = "within" if statistics.median(runs) < target else "OVER"
    print(f"{name:<7} median {statistics.median(runs):7.1f} ms  p95 {p95:7.1f} ms  "
          f"runs {', '.join(f'{r:.0f}' for r in runs)}  target {target:.0f} ms ({verdict})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cpa = CpaDouble(KEY).start()
    logging_on = call("PUT", f"{cpa.base_url}/v0/management/logging-to-file", key=KEY, json_body={"value": True})
    assert logging_on.status == 200
    matches = fill_log(cpa, args.lines)
    size_mb = cpa.logs.main.stat().st_size / 1e6
    print(f"main.log: {args.lines:,} lines, {size_mb:.1f} MB; {matches:,} contain {NEEDLE!r}")
    with tempfile.TemporaryDirectory() as work:
        port = free_port()
        env = {"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY}
        app = launch(Path(work) / "config.json", port, env=env, stdout=subprocess.DEVNULL)
        base_url = f"http://127.0.0.1:{port}"
        try:
            conftest.wait_until(lambda: healthy(port), 20, "the app")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.set_default_timeout(WAIT_MS)
                log_in(page, base_url, KEY)
                cold = measure_ready(page, args.lines)
                ready = [measure_ready(page, args.lines) for _ in range(args.repeat)]
                filtered = [measure_filter(page, args.lines, matches) for _ in range(args.repeat)]
                browser.close()
        finally:
            app.terminate()
            app.wait(20)
            cpa.stop()
    print(f"ready   cold {cold:.1f} ms")
    report("ready", ready, READY_TARGET_MS)
    report("filter", filtered, FILTER_TARGET_MS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
