"""Bytes per raw event, before and after packing (migration 13), with the per-table and per-index breakdown
read from SQLite's dbstat table. Prints figures; asserts nothing.

    python bench/storage.py [--events 1000000] [--seed 7] [--now 2026-11-24T00:00:00Z]

Three databases of the same synthetic events (bench/synthetic.py), built under a temporary directory:
- before: the layout release 8 left (migrations 1–8 applied by their own frozen code; the rows inserted
  wide, the rollups summed by migration 4's frozen SQL), as an existing user's file is;
- upgraded: that file opened by today's code, which runs migration 13 and compacts the file once (timed);
- fresh: the same events stored through today's EventStore.add_batch.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.query import parse_now  # noqa: E402
from bench.synthetic import batches  # noqa: E402
from cpa_manager_desktop.store import migrations  # noqa: E402
from cpa_manager_desktop.store.db import Database  # noqa: E402
from cpa_manager_desktop.store.events import EventStore  # noqa: E402
from cpa_manager_desktop.store.migrations import m0004_canonical_tokens  # noqa: E402
from cpa_manager_desktop.store.rows import EVENT_COLUMNS  # noqa: E402

BATCH = 5000
TARGET_BYTES_PER_EVENT = 250
BEFORE_VERSION = 8


def build_before(path: Path, events: int, seed: int, now_ns: int) -> None:
    """A release-8 file: frozen migrations 1–8, wide rows, rollups summed by migration 4's frozen SQL."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for number, _name, apply in migrations.MIGRATIONS:
        if number <= BEFORE_VERSION:
            apply(conn)
    conn.execute(f"PRAGMA user_version = {BEFORE_VERSION}")
    insert = (f"INSERT INTO usage_events ({', '.join(EVENT_COLUMNS)}) "
              f"VALUES ({', '.join('?' for _ in EVENT_COLUMNS)})")
    conn.execute("BEGIN")
    for rows in batches(events, seed, now_ns, BATCH):
        conn.executemany(insert, rows)
    for family in m0004_canonical_tokens.FAMILIES:
        conn.execute(m0004_canonical_tokens._fill_sql(*family), {"after": 0})
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def build_fresh(path: Path, events: int, seed: int, now_ns: int) -> float:
    db = Database(path)
    store = EventStore(db)
    started = time.perf_counter()
    try:
        for rows in batches(events, seed, now_ns, BATCH):
            store.add_batch(rows)
    finally:
        db.close()
    return time.perf_counter() - started


def upgrade(path: Path) -> float:
    started = time.perf_counter()
    Database(path).close()
    return time.perf_counter() - started


def breakdown(path: Path) -> list[tuple[str, str, int]]:
    """(object, table it belongs to, bytes on disk) for every table and index, largest first."""
    conn = sqlite3.connect(path)
    try:
        owners = dict(conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')"))
        sizes = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    finally:
        conn.close()
    return sorted(((name, owners.get(name, name), size) for name, size in sizes), key=lambda r: -r[2])


def print_database(label: str, path: Path, events: int) -> None:
    size = path.stat().st_size
    mark = "ok" if size / events <= TARGET_BYTES_PER_EVENT else "OVER"
    print(f"\n{label}: {size / 1e6:,.1f} MB, {size / events:,.1f} bytes per event "
          f"(target <= {TARGET_BYTES_PER_EVENT})  {mark}")
    print(f"  {'table or index':<36}{'of table':<22}{'MB':>9}{'B/event':>9}")
    for name, owner, size in breakdown(path):
        if size / events >= 0.05:
            print(f"  {name:<36}{owner:<22}{size / 1e6:>9.1f}{size / events:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--now", default="2026-11-24T00:00:00Z", help="end of the synthetic 90 days (RFC 3339)")
    args = parser.parse_args()
    now_ns = parse_now(args.now)
    with tempfile.TemporaryDirectory(prefix="storage-", dir=ROOT / "bench") as tmp:
        before, fresh = Path(tmp) / "before.sqlite", Path(tmp) / "fresh.sqlite"
        build_before(before, args.events, args.seed, now_ns)
        print(f"{args.events:,} synthetic events over 90 days (seed {args.seed})")
        print_database(f"before (schema {BEFORE_VERSION}, wide rows)", before, args.events)
        upgrade_s = upgrade(before)
        print_database(f"upgraded in place (migration 13 + one VACUUM: {upgrade_s:.1f} s)", before, args.events)
        fresh_s = build_fresh(fresh, args.events, args.seed, now_ns)
        print_database(f"fresh (EventStore.add_batch: {fresh_s:.1f} s, {args.events / fresh_s:,.0f} events/s)",
                       fresh, args.events)


if __name__ == "__main__":
    main()
