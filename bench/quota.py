"""Quota: a full refresh of 1,000 credentials through the CPA double's api-call (50 ms each, four at a
time), the Quota page's time to ready with 1,000 cards in Chromium, and the store's size after a simulated
year. Prints figures; asserts nothing.

    python bench/quota.py [--credentials 1000] [--delay-ms 50] [--page-repeat 5] [--year-credentials 100]

The page: the app collects from a double holding the credentials (answering at once), with a week of
hourly readings per credential already stored (what the sparklines read) and two usage events each; from
setting location.hash to "#/quota" until every card is counted, the first card shows its windows, our usage
in them and its sparkline (so /quota/latest, /quota/usage and /quota/sparklines have all arrived). Timed in
the page with performance.now(), checked every animation frame. Target < 1 s.

The year is simulated through the real store (a row on change or hourly, pruned daily): a fifth of the
credentials are busy on weekdays 09–17 UTC (their 5-hour window climbs 4 % a poll and resets every five
hours), the rest idle. The size grows linearly with credentials; the default simulates 100 and also
prints ×(1000/100); --year-credentials 1000 runs the whole thing (several minutes).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpa_manager_desktop import paths  # noqa: E402
from cpa_manager_desktop.app import App, build_app  # noqa: E402
from cpa_manager_desktop.config import Overrides, load_settings  # noqa: E402
from cpa_manager_desktop.cpa.api import CpaApi, make_pool  # noqa: E402
from cpa_manager_desktop.cpa.upstream import Upstream  # noqa: E402
from cpa_manager_desktop.quota.reading import QuotaReading, Window  # noqa: E402
from cpa_manager_desktop.quota.snapshot import to_row  # noqa: E402
from cpa_manager_desktop.quota.source import CpaQuotaSource  # noqa: E402
from cpa_manager_desktop.quota.worker import CONCURRENCY, QuotaCollector  # noqa: E402
from cpa_manager_desktop.store.db import Database  # noqa: E402
from cpa_manager_desktop.store.quota import QuotaStore  # noqa: E402
from tests.conftest import wait_until  # noqa: E402
from tests.cpa_double import CpaDouble, make_record  # noqa: E402

KEY = "bench-management-key"
MIX = (("codex", 40), ("claude", 20), ("gemini-cli", 15), ("antigravity", 10), ("kimi", 10), ("xai", 5))
INTERVAL_S = 900
DAY, FIVE_H, WEEK, YEAR = 86_400, 18_000, 604_800, 365 * 86_400
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--no-default-browser-check"]
PAGE_TARGET_MS = 1000.0
PAGE_STATE_JS = """
() => {
  const main = document.getElementById("main");
  const count = [...(main?.querySelectorAll('[role="status"]') ?? [])].map((s) => s.textContent ?? "")
    .find((t) => / of [\\d,]+ shown$/.test(t)) ?? "";
  const first = main?.querySelector("article");
  const text = first?.textContent ?? "";
  const spark = first?.querySelector('svg[role="img"]')?.getAttribute("aria-label") ?? "";
  return { count, cards: main?.querySelectorAll("article").length ?? 0, used: text.includes("% used"),
           usage: text.includes("This window:"), spark: spark !== "" && !spark.includes("no history") };
}
"""


def serve_double(credentials: int, delay_s: float, ready: Connection, stop: Event) -> None:
    """The double in its own process, as CPA would be: it must not share our GIL."""
    double = CpaDouble(KEY).start()
    providers = [name for name, share in MIX for _ in range(share)]
    for i in range(credentials):
        double.quota_accounts.add(providers[i % len(providers)], f"user{i}@example.com")
    double.quota_accounts.delay_s = delay_s
    ready.send(double.base_url)
    stop.wait()
    ready.send((double.quota_accounts.calls, double.quota_accounts.max_in_flight))
    double.stop()


def full_refresh(credentials: int, delay_s: float, workdir: Path) -> None:
    parent, child_end = multiprocessing.Pipe()
    stop = multiprocessing.Event()
    child = multiprocessing.Process(target=serve_double, args=(credentials, delay_s, child_end, stop), daemon=True)
    child.start()
    try:
        base_url = parent.recv()
        db = Database(workdir / "refresh.sqlite")
        store = QuotaStore(db)
        source = CpaQuotaSource(CpaApi(Upstream(base_url, KEY), make_pool(tls_skip_verify=False, maxsize=8)))
        collector = QuotaCollector(store.record, lambda: source, interval_s=INTERVAL_S)
        started = time.perf_counter()
        collector.tick()
        elapsed = time.perf_counter() - started
        stored = len(store.latest())
        db.close()
    finally:
        stop.set()
        calls, most = parent.recv()
        child.join(10)
    print(f"full refresh: {credentials} credentials, {calls} api-calls of {delay_s * 1000:.0f} ms, "
          f"concurrency {CONCURRENCY} (max seen {most}): {elapsed:.1f} s "
          f"({elapsed / INTERVAL_S:.1%} of the {INTERVAL_S // 60}-minute interval); {stored} snapshots")


def reading(busy: bool, now: int, rng: random.Random) -> QuotaReading:
    week_start = now - now % WEEK
    if busy and now % WEEK < 5 * DAY and 9 <= now % DAY // 3600 < 17:
        five = min(100.0, (now % FIVE_H) // INTERVAL_S * 4.0 + rng.choice((0, 1)))
        weekly = min(100.0, float((now - week_start) * 100 // (5 * DAY)))
    else:
        five, weekly = 0.0, 12.0
    return QuotaReading("codex", "plus", (
        Window("five_hour", five, (now // FIVE_H + 1) * FIVE_H * 1000 if busy else None, FIVE_H),
        Window("weekly", weekly, (week_start + WEEK) * 1000, WEEK)))


def simulated_year(credentials: int, workdir: Path) -> tuple[float, int]:
    """MB the quota tables take (the database's size minus an empty one's) and the rows kept."""
    Database(workdir / "empty.sqlite").close()
    empty = sum(p.stat().st_size for p in workdir.glob("empty.sqlite*"))
    path = workdir / "year.sqlite"
    db = Database(path)
    store = QuotaStore(db)
    rng = random.Random(11)
    indexes = [(f"{i:016x}", i % 5 == 0) for i in range(credentials)]
    start = 1_800_000_000 - 1_800_000_000 % WEEK
    for step in range(YEAR // INTERVAL_S):
        now = start + step * INTERVAL_S
        store.record([to_row(index, "codex", now, reading(busy, now, rng)) for index, busy in indexes])
        if step % (DAY // INTERVAL_S) == 0:
            store.prune(now)
    rows = store.count()
    db.close()
    size = sum(p.stat().st_size for p in workdir.glob("year.sqlite*"))
    return (size - empty) / 1e6, rows


def quota_stack(credentials: int, workdir: Path) -> tuple[CpaDouble, App]:
    """The double with the credentials (no delay), the app with a week of readings and usage stored, after the
    collector's first pass."""
    cpa = CpaDouble(KEY).start()
    cpa.credentials.clear()
    providers = [name for name, share in MIX for _ in range(share)]
    indexes = [(cpa.quota_accounts.add(providers[i % len(providers)], f"user{i}@example.com"),
                providers[i % len(providers)]) for i in range(credentials)]
    now = datetime.now(UTC).replace(microsecond=0)
    records = []
    for i, (index, provider) in enumerate(indexes):
        for j in range(2):
            rec = make_record(provider=provider, seq=2 * i + j, request_id=f"q{i}-{j}",
                              timestamp=now - timedelta(minutes=5 + 30 * j + i % 60))
            rec["auth_index"] = index
            records.append(rec)
    cpa.enqueue(*records)
    base = paths.BaseDirs(config_dir=workdir, default_data_dir=workdir / "data", is_portable=True)
    env = {"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"}
    app = build_app(load_settings(Overrides(http_addr="127.0.0.1:0"), env=env, base=base))
    store = QuotaStore(app.db)
    rng = random.Random(3)
    start = int(now.timestamp()) - WEEK
    for hour in range(WEEK // 3600):  # hourly readings, as the collector's heartbeat leaves them
        at = start + hour * 3600
        store.record([to_row(index, provider, at, reading(i % 5 == 0, at, rng))
                      for i, (index, provider) in enumerate(indexes)])
    app.start()
    wait_until(lambda: cpa.queue_length() == 0, 120.0, "the collector to drain the usage queue")

    def first_pass() -> bool:
        status = app.quota.status() if app.quota else None
        return status is not None and status.last_pass_s is not None and len(status.credentials) == credentials
    wait_until(first_pass, 300.0, "the quota collector's first pass")
    return cpa, app


def page_ready_ms(page: Page, credentials: int) -> tuple[float, float]:
    """(cards shown, complete) in ms: every card counted and the first showing its windows; then also its
    usage and sparkline."""
    page.evaluate("() => { window.location.hash = '#/bench-idle'; window.__cards = null; }")
    page.wait_for_function("() => !document.querySelector('main article')")
    started = float(page.evaluate(
        "() => { const t = performance.now(); window.location.hash = '#/quota'; return t; }"))
    done = page.wait_for_function(f"""() => {{ const s = ({PAGE_STATE_JS})();
        const cards = s.count === "{credentials:,} of {credentials:,} shown" && s.cards > 0 && s.used;
        if (cards && window.__cards === null) window.__cards = performance.now();
        return cards && s.usage && s.spark ? [window.__cards, performance.now()] : false; }}""",
                                  timeout=120_000, polling="raf")
    cards_at, complete_at = done.json_value()
    return float(cards_at) - started, float(complete_at) - started


def page_ready(credentials: int, repeat: int, workdir: Path) -> None:
    if not (ROOT / "assets" / "management.html").exists() or not CHROMIUM.exists():
        print("quota page: skipped (build the panel and install Debian's chromium)")
        return
    cpa, app = quota_stack(credentials, workdir)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(f"{app.base_url}/management.html")
            page.get_by_label("Management Key", exact=True).fill(KEY)
            page.get_by_role("button", name="Sign in", exact=True).click()
            page.wait_for_selector("main h1")
            runs = [page_ready_ms(page, credentials) for _ in range(repeat)]
            browser.close()
    finally:
        app.stop()
        cpa.stop()
    cards = statistics.median(r[0] for r in runs)
    complete = statistics.median(r[1] for r in runs)
    verdict = "ok" if complete < PAGE_TARGET_MS else "OVER TARGET"
    print(f"quota page: {credentials:,} cards with a week of readings each: cards shown in {cards:.0f} ms, ready "
          f"(usage and sparklines too) in {complete:.0f} ms median (target < {PAGE_TARGET_MS:.0f} ms, {verdict}); "
          f"runs: {' '.join(f'{a:.0f}/{b:.0f}' for a, b in runs)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--credentials", type=int, default=1000)
    parser.add_argument("--delay-ms", type=float, default=50)
    parser.add_argument("--year-credentials", type=int, default=100)
    parser.add_argument("--page-repeat", type=int, default=5, help="page loads to time (0: skip the page)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-quota-") as tmp:
        full_refresh(args.credentials, args.delay_ms / 1000, Path(tmp))
        if args.page_repeat:
            page_ready(args.credentials, args.page_repeat, Path(tmp) / "page")
        started = time.perf_counter()
        megabytes, rows = simulated_year(args.year_credentials, Path(tmp))
        scale = 1000 / args.year_credentials
        print(f"simulated year: {args.year_credentials} credentials, {rows} rows kept, {megabytes:.1f} MB of quota "
              f"({time.perf_counter() - started:.0f} s to simulate); for 1,000 credentials "
              f"{megabytes * scale:.1f} MB, {rows * scale:.0f} rows")


if __name__ == "__main__":
    main()
