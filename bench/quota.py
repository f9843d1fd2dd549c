"""Quota: a full refresh of 1,000 credentials through the CPA double's api-call (50 ms each, four at a
time), and the store's size after a simulated year. Prints figures; asserts nothing.

    python bench/quota.py [--credentials 1000] [--delay-ms 50] [--year-credentials 100]

The year is simulated through the real store (a row on change or hourly, pruned daily): a fifth of the
credentials are busy on weekdays 09–17 UTC (their 5-hour window climbs 4 % a poll and resets every five
hours), the rest idle. The size grows linearly with credentials; the default simulates 100 and also
prints ×(1000/100); --year-credentials 1000 runs the whole thing (several minutes).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpa_manager_desktop.cpa.api import CpaApi, make_pool  # noqa: E402
from cpa_manager_desktop.cpa.upstream import Upstream  # noqa: E402
from cpa_manager_desktop.quota.reading import QuotaReading, Window  # noqa: E402
from cpa_manager_desktop.quota.snapshot import to_row  # noqa: E402
from cpa_manager_desktop.quota.source import CpaQuotaSource  # noqa: E402
from cpa_manager_desktop.quota.worker import CONCURRENCY, QuotaCollector  # noqa: E402
from cpa_manager_desktop.store.db import Database  # noqa: E402
from cpa_manager_desktop.store.quota import QuotaStore  # noqa: E402
from tests.cpa_double import CpaDouble  # noqa: E402

KEY = "bench-management-key"
MIX = (("codex", 40), ("claude", 20), ("gemini-cli", 15), ("antigravity", 10), ("kimi", 10), ("xai", 5))
INTERVAL_S = 900
DAY, FIVE_H, WEEK, YEAR = 86_400, 18_000, 604_800, 365 * 86_400


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--credentials", type=int, default=1000)
    parser.add_argument("--delay-ms", type=float, default=50)
    parser.add_argument("--year-credentials", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-quota-") as tmp:
        full_refresh(args.credentials, args.delay_ms / 1000, Path(tmp))
        started = time.perf_counter()
        megabytes, rows = simulated_year(args.year_credentials, Path(tmp))
        scale = 1000 / args.year_credentials
        print(f"simulated year: {args.year_credentials} credentials, {rows} rows kept, {megabytes:.1f} MB of quota "
              f"({time.perf_counter() - started:.0f} s to simulate); for 1,000 credentials "
              f"{megabytes * scale:.1f} MB, {rows * scale:.0f} rows")


if __name__ == "__main__":
    main()
