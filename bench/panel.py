"""The panel in a real browser at scale: Request Monitoring against the real server holding N synthetic events.
Prints figures; asserts nothing.

    python bench/panel.py [--size 1000000] [--repeat 7] [--seed 7] [--now RFC3339] [--rebuild] [--keep]
    python bench/panel.py PAGE [its options]     PAGE: config, providers, credentials, logs

The CPA pages have their own scenarios (bench/panel_<page>.py, each against the CPA double at scale); naming a
page runs that script with the rest of the arguments.

Builds (or reuses from bench/out/) a database of --size events with bench/synthetic.py, exactly as bench/query.py
does, starts the real server on a copy of it (headless, its own process), opens the bundled panel in Debian's
Chromium through Playwright, signs in and measures:

  navigation  from setting location.hash to "#/monitoring" (from an idle page, server quiet) until the page is
              FULLY RENDERED: the heading is "Request monitoring"; the KPI section is not aria-busy and every KPI
              value (at least nine) is filled ("—" nowhere); every chart (at least two) has a drawn uPlot canvas;
              the breakdown table and the recent-events table have body rows; the model filter lists its options;
              and no "Loading…" is left anywhere in <main> (failure analysis included).
  filter      from the model <select>'s change event until the page REFLECTS THE FILTER: the breakdown (by model)
              has exactly one row, naming the model; every recent-events row is that model; the KPI section is not
              aria-busy and its Requests value equals that breakdown row's request count (the unfiltered total
              differs), and no "Loading…" is left in <main>. Charts redraw too but are not part of the criterion.

Times are taken inside the page with performance.now(): the start stamp where the action happens (just before the
hash is set; in a capture-phase "change" listener for the filter), the end stamp by a check that runs on every
animation frame (requestAnimationFrame polling), so figures are up to one frame (~17 ms) late, never early.
Each scenario runs once cold (the first time this browser and server see it) and then --repeat times warm.

The synthetic 90 days end at --now. The page asks for windows ending at the real clock, so by default --now is
the coming UTC midnight: the last 24 hours and 30 days are always full of events, and the cached database is
reused for the rest of the day (remove old bench/out/events-*.sqlite files by hand).
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import urllib3
from playwright.sync_api import Page, Request, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.query import (  # noqa: E402
    KEY,
    NS_PER_S,
    OUT,
    cached_database,
    p95,
    parse_now,
    peak_rss_mb,
    print_build,
    rfc3339,
    start_server,
    stop_server,
    wait_healthy,
)

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright downloads no browser here
CHROMIUM_ARGS = ["--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--no-default-browser-check"]
VIEWPORT = {"width": 1440, "height": 1000}
RENDER_TARGET_MS = 1500.0
FILTER_TARGET_MS = 300.0
WAIT_MS = 60_000
QUIET_DEADLINE_S = 30.0
FILTER_MODEL = "claude-sonnet-4-5"
IDLE_HASH = "#/bench-idle"  # an unknown route: the shell's "Page not found", which loads nothing
SCENARIOS = (("#/monitoring", "24 h (default range)"), ("#/monitoring?range=30d", "30 d"))

# Selectors follow panel/src/features/monitoring: the KPI section's aria-label, the cards' heading ids, the CSS
# module class names kpiLabel/kpiValue (hashed, matched by substring) and the tables' column headers.
PAGE_STATE_JS = """
() => {
  const main = document.getElementById("main");
  const kpis = document.querySelector('section[aria-label="Key figures"]');
  const breakdown = document.querySelector('section[aria-labelledby="breakdown-title"]');
  const events = document.querySelector('section[aria-labelledby="events-title"]');
  const heading = main && main.querySelector("h1");
  if (!main || !kpis || !breakdown || !events || !heading) return null;
  const text = (element) => (element?.textContent ?? "").replace(/[\u25B2\u25BC]/g, "").trim();
  const values = [...kpis.querySelectorAll('[class*="kpiValue"]')].map(text);
  const kpi = (label) => text([...kpis.querySelectorAll('[class*="kpiLabel"]')]
    .find((l) => text(l) === label)?.nextElementSibling);
  const charts = [...main.querySelectorAll('[role="img"]')];
  const drawn = charts.filter(
    (chart) => [...chart.querySelectorAll("canvas")].some((c) => c.width > 0 && c.height > 0));
  const column = (section, header) => {
    const index = [...section.querySelectorAll("thead th")].findIndex((th) => text(th) === header);
    return index < 0 ? [] : [...section.querySelectorAll("tbody tr")].map((tr) => text(tr.children[index]));
  };
  const modelSelect = [...main.querySelectorAll("label")].find(
    (l) => text(l.querySelector("span")) === "Model" && l.querySelector("select"))?.querySelector("select");
  return {
    heading: text(heading),
    kpisBusy: kpis.getAttribute("aria-busy") === "true",
    eventsBusy: events.getAttribute("aria-busy") === "true",
    values,
    requests: kpi("Requests"),
    charts: charts.length,
    drawnCharts: drawn.length,
    breakdownNames: column(breakdown, "Name"),
    breakdownRequests: column(breakdown, "Requests"),
    eventModels: column(events, "Model"),
    modelOptions: modelSelect ? modelSelect.options.length : 0,
    loading: main.textContent.includes("Loading…"),
  };
}
"""

RENDERED_JS = f"""
() => {{
  const s = ({PAGE_STATE_JS})();
  const done = s !== null && s.heading === "Request monitoring" && !s.kpisBusy && !s.eventsBusy
    && s.values.length >= 9 && s.values.every((v) => v !== "" && v !== "—")
    && s.charts >= 2 && s.drawnCharts === s.charts && s.breakdownNames.length > 0 && s.eventModels.length > 0
    && s.modelOptions > 1 && !s.loading;
  return done ? performance.now() : false;
}}
"""

FILTERED_JS = f"""
(model) => {{
  const s = ({PAGE_STATE_JS})();
  const done = s !== null && !s.kpisBusy && !s.eventsBusy && !s.loading
    && s.breakdownNames.length === 1 && s.breakdownNames[0] === model
    && s.eventModels.length > 0 && s.eventModels.every((m) => m === model)
    && s.requests !== "" && s.requests === s.breakdownRequests[0];
  return done ? performance.now() - window.__benchFilterStart : false;
}}
"""

UNFILTERED_JS = f"""
() => {{
  const s = ({PAGE_STATE_JS})();
  return s !== null && !s.kpisBusy && !s.eventsBusy && !s.loading && s.breakdownNames.length > 1
    && new Set(s.eventModels).size > 1;
}}
"""

START_FILTER_CLOCK_JS = """
() => {
  window.__benchFilterStart = null;
  window.addEventListener("change", () => { window.__benchFilterStart = performance.now(); },
                          { capture: true, once: true });
}
"""


@dataclass
class Runs:
    name: str
    target_ms: float
    cold_ms: float
    warm_ms: list[float]
    requests: list[int]
    endpoints: dict[str, list[float]]  # request start to response end, per API call, warm runs only


class Traffic:
    """Requests the page has sent and not yet seen answered, so a run starts with a quiet server."""

    def __init__(self, page: Page) -> None:
        self.in_flight: set[object] = set()
        self.sent = 0
        self.finished: list[tuple[str, float]] = []  # (API call, ms from request start to response end)
        page.on("request", self._sent)
        page.on("requestfinished", self._done)
        page.on("requestfailed", self._done)

    def _sent(self, request: object) -> None:
        self.sent += 1
        self.in_flight.add(request)

    def _done(self, request: Request) -> None:
        self.in_flight.discard(request)
        url = urlsplit(request.url)
        if url.path.startswith("/v0/") or url.path == "/status":
            by = parse_qs(url.query).get("by", [""])[0]
            name = url.path.rsplit("/", 1)[-1] + (f" by={by}" if by else "")
            self.finished.append((name, request.timing["responseEnd"]))

    def wait_quiet(self, page: Page) -> None:
        deadline = time.monotonic() + QUIET_DEADLINE_S
        while self.in_flight:
            if time.monotonic() > deadline:
                raise SystemExit(f"the page still has {len(self.in_flight)} requests open after {QUIET_DEADLINE_S} s")
            page.wait_for_timeout(10)  # lets Playwright deliver the pending request events


def default_now() -> str:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return (today + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/management.html")
    page.get_by_label("Management Key", exact=True).fill(KEY)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("heading", level=1, name="Dashboard", exact=True).wait_for()


def go_idle(page: Page, traffic: Traffic) -> None:
    page.evaluate(f"() => {{ location.hash = '{IDLE_HASH}'; }}")
    page.get_by_role("heading", level=1, name="Page not found").wait_for()
    traffic.wait_quiet(page)


# One timed run: (ms, requests the page sent meanwhile, index of its first call in Traffic.finished).
Run = tuple[float, int, int]


def navigate_once(page: Page, traffic: Traffic, target_hash: str) -> Run:
    """From setting the hash to the fully rendered page."""
    go_idle(page, traffic)
    sent, first = traffic.sent, len(traffic.finished)
    started = page.evaluate(f"() => {{ const t = performance.now(); location.hash = '{target_hash}'; return t; }}")
    ended = page.wait_for_function(RENDERED_JS, polling="raf", timeout=WAIT_MS).json_value()
    return ended - started, traffic.sent - sent, first


def filter_once(page: Page, traffic: Traffic, model: str) -> Run:
    """From the model select's change event to the page reflecting the filter (starting unfiltered)."""
    select = page.get_by_role("combobox", name="Model")
    if select.input_value() != "":
        select.select_option("")
        page.wait_for_function(UNFILTERED_JS, polling="raf", timeout=WAIT_MS)
    traffic.wait_quiet(page)
    sent, first = traffic.sent, len(traffic.finished)
    page.evaluate(START_FILTER_CLOCK_JS)
    select.select_option(model)
    elapsed = page.wait_for_function(FILTERED_JS, arg=model, polling="raf", timeout=WAIT_MS).json_value()
    return elapsed, traffic.sent - sent, first


def measure(name: str, target_ms: float, repeat: int, traffic: Traffic, once: Callable[[], Run]) -> Runs:
    cold, cold_requests, _ = once()
    warm: list[float] = []
    requests = [cold_requests]
    endpoints: dict[str, list[float]] = {}
    for _ in range(repeat):
        elapsed, sent, first = once()
        warm.append(elapsed)
        requests.append(sent)
        for call, ms in traffic.finished[first:]:
            endpoints.setdefault(call, []).append(ms)
    return Runs(name, target_ms, cold, warm, requests, endpoints)


def page_facts(page: Page) -> str:
    state = page.evaluate(f"({PAGE_STATE_JS})")
    return (f"Requests KPI {state['requests']} ({len(state['values'])} KPIs); rows: {len(state['breakdownNames'])} "
            f"breakdown, {len(state['eventModels'])} events; charts drawn: {state['drawnCharts']}")


def print_runs(runs: list[Runs]) -> None:
    print(f"\n{'measurement':<48}{'cold ms':>9}{'median ms':>11}{'p95 ms':>9}{'min ms':>9}{'requests':>10}"
          f"   target (warm p95)")
    print("(median, p95 and min over the warm runs; with 7 runs the p95 is the slowest)")
    for r in runs:
        median, high = statistics.median(r.warm_ms), p95(r.warm_ms)
        mark = "ok" if high < r.target_ms else "OVER"
        print(f"{r.name:<48}{r.cold_ms:>9.0f}{median:>11.0f}{high:>9.0f}{min(r.warm_ms):>9.0f}"
              f"{statistics.median(r.requests):>10.0f}   < {r.target_ms:,.0f} ms  {mark}")
    print("\nwarm samples (ms):")
    for r in runs:
        print(f"  {r.name:<46} " + " ".join(f"{v:.0f}" for v in r.warm_ms))
    print("\nAPI calls during the warm runs, request start to response end as the browser saw it (ms):")
    for r in runs:
        calls = "; ".join(f"{name} {statistics.median(ms):.0f}/{max(ms):.0f}"
                          for name, ms in sorted(r.endpoints.items(), key=lambda item: -max(item[1])))
        print(f"  {r.name} (median/max): {calls}")


def run(args: argparse.Namespace) -> None:
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    now_ns = parse_now(args.now)
    print(f"targets: #/monitoring fully rendered < {RENDER_TARGET_MS:,.0f} ms, filter reflected < "
          f"{FILTER_TARGET_MS:,.0f} ms (warm p95). Times: in-page performance.now(), end detected by "
          "requestAnimationFrame polling (up to one frame late).")
    print(f"\n=== {args.size:,} events over 90 days to {rfc3339(now_ns)}, seed {args.seed}; "
          f"cold run + {args.repeat} warm runs per measurement ===")
    db_path, stats, reused = cached_database(args.size, args.seed, now_ns, args.rebuild)
    print_build(db_path, stats, reused)
    if now_ns - time.time_ns() > 86_400 * NS_PER_S or now_ns < time.time_ns():
        print(f"note: --now {rfc3339(now_ns)} is not within the coming day: the page's windows end now, "
              "so they may hold few or no events")
    OUT.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"panel-{args.size}-", dir=OUT))
    try:
        server_db = workdir / "data" / "usage.sqlite"
        server_db.parent.mkdir(parents=True)
        shutil.copyfile(db_path, server_db)  # the server writes (settings, checkpoints): keep the cache clean
        server = start_server(server_db, workdir)
        pool = urllib3.HTTPConnectionPool("127.0.0.1", server.port, maxsize=1, retries=False)
        try:
            print(f"server ready (GET /health)        {wait_healthy(server, pool):>10.1f} s")
            runs = drive_browser(f"http://127.0.0.1:{server.port}", args)
            rss_mb = peak_rss_mb(server.proc.pid)
        finally:
            pool.close()
            if server.proc.poll() is None:
                stop_server(server)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print_runs(runs)
    if rss_mb is not None:
        print(f"\nserver peak RSS (VmHWM)           {rss_mb:,.1f} MB")
    if args.keep:
        print(f"server dir kept: {workdir}")


def drive_browser(base_url: str, args: argparse.Namespace) -> list[Runs]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        print(f"browser                           Chromium {browser.version} (headless), viewport "
              f"{VIEWPORT['width']}x{VIEWPORT['height']}")
        try:
            context = browser.new_context(locale="en-US", timezone_id="UTC", viewport=VIEWPORT)
            page = context.new_page()
            traffic = Traffic(page)
            log_in(page, base_url)
            runs = []
            for target_hash, label in SCENARIOS:
                runs.append(measure(f"navigate to monitoring, {label}", RENDER_TARGET_MS, args.repeat, traffic,
                                    lambda h=target_hash: navigate_once(page, traffic, h)))
                print(f"  {label}: {page_facts(page)}")
                runs.append(measure(f"filter model={args.model}, {label}", FILTER_TARGET_MS, args.repeat, traffic,
                                    lambda: filter_once(page, traffic, args.model)))
                print(f"  {label}, filtered: {page_facts(page)}")
            context.close()
            return runs
        finally:
            browser.close()


def positive(text: str) -> int:
    value = int(text.replace("_", ""))
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


# The CPA pages' scenarios, each in its own script beside this one.
PAGE_BENCHES = {"config": "panel_config", "providers": "panel_providers", "credentials": "panel_credentials",
                "logs": "panel_logs"}


def run_page_bench(page: str, rest: list[str]) -> None:
    module = importlib.import_module(PAGE_BENCHES[page])
    sys.argv = [f"bench/{PAGE_BENCHES[page]}.py", *rest]
    module.main()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in PAGE_BENCHES:
        run_page_bench(args[0], args[1:])
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--size", type=positive, default=1_000_000, help="stored events (default 1000000)")
    parser.add_argument("--repeat", type=positive, default=7, help="warm runs per measurement (default 7)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--now", default=default_now(),
                        help="end of the synthetic 90 days (RFC 3339; default: the coming UTC midnight)")
    parser.add_argument("--model", default=FILTER_MODEL, help=f"model to filter by (default {FILTER_MODEL})")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    parser.add_argument("--keep", action="store_true", help="keep the server's directory (config, DB copy, log)")
    run(parser.parse_args(args))


if __name__ == "__main__":
    main()
