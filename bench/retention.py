"""Retention on a large database: bytes per event, compaction time, the file before and after keeping N days,
the analytics p95 over the compacted range before and after, and whether every analytics total is the same
afterwards (tests/test_retention.py asserts it on 200,000 events; here it is checked at full size and printed).

    python bench/retention.py [--events 1000000] [--keep-days 30] [--repeat 10] [--seed 7]
                              [--now 2026-11-24T00:00:00Z] [--rebuild]

The database is built through the real store code and cached under bench/out/ (shared with bench/query.py);
compaction runs on a copy. Analytics are timed in process through AnalyticsService (no HTTP), on a window of
the compacted range whose ends are off whole hours, so the raw-edge path runs; the filtered breakdown reads
raw rows throughout (no narrow rollup keys endpoint and account together), i.e. the archive after compaction.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.query import cached_database, parse_now, remove_db  # noqa: E402
from cpa_manager_desktop.analytics.service import AnalyticsQuery, AnalyticsService  # noqa: E402
from cpa_manager_desktop.service.maintenance import Maintenance  # noqa: E402
from cpa_manager_desktop.store.db import Database  # noqa: E402
from cpa_manager_desktop.store.events import EventStore  # noqa: E402
from cpa_manager_desktop.store.prices import PriceStore  # noqa: E402
from cpa_manager_desktop.store.queries import Filters, Window  # noqa: E402
from cpa_manager_desktop.store.retention import RetentionStore  # noqa: E402
from cpa_manager_desktop.store.settings import SettingsStore  # noqa: E402
from tests.retention_totals import differences, totals  # noqa: E402

NS_PER_DAY = 86_400 * 1_000_000_000
EDGE_NS = (17 * 60 + 23) * 1_000_000_000
MB = 1024 * 1024


def probes(service: AnalyticsService, window: Window) -> dict[str, Callable[[], Any]]:
    query = AnalyticsQuery(window, UTC)
    mixed = AnalyticsQuery(window, UTC, Filters(endpoints=("POST /v1/chat/completions",)))
    found: dict[str, Callable[[], Any]] = {
        "summary": lambda: service.summary(query),
        "series by day": lambda: service.timeseries(query, "day"),
        "failures": lambda: service.failures(query),
        "by account, one endpoint": lambda: service.breakdown(mixed, "account"),
    }
    for by in ("model", "provider", "account", "apiKey", "endpoint"):
        found[f"breakdown by {by}"] = lambda by=by: service.breakdown(query, by)
    return found


def p95_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]


def time_all(db: Database, window: Window, repeat: int) -> dict[str, float]:
    service = AnalyticsService(db, PriceStore(db))
    return {name: p95_ms(fn, repeat) for name, fn in probes(service, window).items()}


RAW_GROUP = "raw events, their texts and indexes"
GROUPS = {RAW_GROUP: ("usage_event_rows", "event_texts", "sqlite_autoindex_event_texts_", "idx_events_"),
          "rollups, hourly and daily (kept whole)": ("rollup_",),
          "archive (folded events)": ("archive_", "sqlite_autoindex_archive_", "idx_archive_")}


def table_bytes(path: Path) -> dict[str, int]:
    """Bytes per group of tables and indexes (SQLite's dbstat), for where the file's bytes are."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    finally:
        conn.close()
    return {group: sum(size for name, size in rows if name.startswith(prefixes)) for group, prefixes in GROUPS.items()}


def file_bytes(path: Path) -> int:
    return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--keep-days", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--now", default="2026-11-24T00:00:00Z")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    now_ns = parse_now(args.now)
    cached, _stats, _reused = cached_database(args.events, args.seed, now_ns, args.rebuild)
    workdir = Path(tempfile.mkdtemp(prefix="retention-bench-"))
    path = workdir / "usage.sqlite"
    try:
        shutil.copyfile(cached, path)
        size_before = file_bytes(path)
        raw_before = table_bytes(path)[RAW_GROUP]
        # 60 to 40 days back: entirely in the range keeping 30 days compacts, ends off whole hours.
        window = Window(now_ns - 60 * NS_PER_DAY + EDGE_NS, now_ns - 40 * NS_PER_DAY - EDGE_NS)
        db = Database(path)
        try:
            vacuum_mode = RetentionStore(db).file_state().auto_vacuum
            before = time_all(db, window, args.repeat)
            totals_before = totals(db, now_ns)
            maintenance = Maintenance(db, EventStore(db), SettingsStore(db), PriceStore(db),
                                      configured_days=args.keep_days, configured=True)
            # The cutoff compaction uses: counted back from the newest event when it is older than now.
            cutoff_ns = maintenance.policy().cutoff_ns(now_ns / 1e9, EventStore(db).span().newest_ns) or 0
            started = time.perf_counter()
            folded = 0
            fold_s = None
            while True:
                result = maintenance.run(now_ns / 1e9, budget_s=3.0)
                folded += result.folded
                if fold_s is None and not RetentionStore(db).has_events_before(cutoff_ns):
                    fold_s = time.perf_counter() - started
                if result.done:
                    break
            total_s = time.perf_counter() - started
            after = time_all(db, window, args.repeat)
            changed = differences(totals_before, totals(db, now_ns))
        finally:
            db.close()
        size_after = file_bytes(path)
        parts = table_bytes(path)
    finally:
        remove_db(path)
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nretention on {args.events:,} synthetic events over 90 days, keeping {args.keep_days} days")
    print(f"  bytes per event (this schema)      {size_before / args.events:10.0f}   (file / events)")
    print(f"  raw event bytes per event          {raw_before / args.events:10.0f}   (packed rows, texts, indexes; "
          "~530 wide before migration 13: bench/storage.py)")
    print(f"  database before                    {size_before / MB:10.1f} MB   (auto_vacuum={vacuum_mode})")
    print(f"  database after                     {size_after / MB:10.1f} MB   ({size_after / size_before:.0%})")
    print(f"  events folded                      {folded:10,}")
    print(f"  folding (batches of 1,000)         {fold_s or 0:10.1f} s   ({folded / (fold_s or 1):,.0f} events/s)")
    print(f"  folding + reclaiming space         {total_s:10.1f} s   (a file made before retention needs one "
          "VACUUM)" if vacuum_mode != 2 else f"  folding + reclaiming space         {total_s:10.1f} s")
    for group, size in parts.items():
        print(f"    {group:<32} {size / MB:10.1f} MB")
    archive = parts["archive (folded events)"]
    print(f"  archive bytes per folded event     {archive / max(folded, 1):10.0f}")
    print("  every analytics total after folding (tests/retention_totals.py: summary, series by day, "
          "breakdowns, filtered breakdowns, failures, /usage; all time and windows into the folded range): "
          f"{'identical' if not changed else 'DIFFERENT: ' + '; '.join(changed[:5])}")
    print(f"\n  analytics p95 over days 60-40 back (ms, {args.repeat} runs)   before   after")
    for name in before:
        print(f"    {name:<34} {before[name]:8.1f} {after[name]:8.1f}")


if __name__ == "__main__":
    main()
