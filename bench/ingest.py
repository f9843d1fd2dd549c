"""Ingestion throughput: CPA double's HTTP queue → collector → committed SQLite rows, next to a bare
sqlite3 executemany of the same rows on the same machine. Prints figures; asserts nothing.

    python bench/ingest.py [--events 50000] [--batch 1000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sqlite3
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpa_manager_desktop import paths  # noqa: E402
from cpa_manager_desktop.app import build_app  # noqa: E402
from cpa_manager_desktop.config import Overrides, load_settings  # noqa: E402
from cpa_manager_desktop.ingest.normalise import classify  # noqa: E402
from cpa_manager_desktop.store.db import PRAGMAS  # noqa: E402
from cpa_manager_desktop.store.rows import EVENT_COLUMNS, EventRow  # noqa: E402
from tests.cpa_double import CpaDouble, records  # noqa: E402

KEY = "bench-management-key"
SEED = 7


def serve_double(events: int, ready: Connection, stop: Event) -> None:
    """The CPA double in its own process, as CPA would be: it must not share our GIL."""
    double = CpaDouble(KEY).start()
    double.enqueue(*records.mixed_records(events, seed=SEED))
    ready.send(double.base_url)
    stop.wait()
    double.stop()


def full_path_rate(events: int, batch: int, workdir: Path) -> tuple[float, int]:
    receiver, sender = multiprocessing.Pipe(duplex=False)
    stop = multiprocessing.Event()
    child = multiprocessing.Process(target=serve_double, args=(events, sender, stop), daemon=True)
    child.start()
    try:
        base_url = receiver.recv()
        base = paths.BaseDirs(config_dir=workdir / "app", default_data_dir=workdir / "app" / "data", is_portable=True)
        env = {"CPA_UPSTREAM_URL": base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_BATCH_SIZE": str(batch),
               "USAGE_COLLECTOR_MODE": "http"}
        app = build_app(load_settings(Overrides(http_addr="127.0.0.1:0"), env=env, base=base))
        started = time.perf_counter()
        app.start()
        finished = app.collector.wait_for(lambda s: s.total_popped >= events and s.pending_items == 0, 600)
        elapsed = time.perf_counter() - started
        stored = app.controller.status().events
        app.stop()
    finally:
        stop.set()
        child.join(10)
    if not finished:
        raise SystemExit("collector did not drain the queue within 600 s")
    return events / elapsed, stored


def bare_sqlite_rate(events: int, batch: int, workdir: Path) -> float:
    rows = [classify(r) for r in records.mixed_records(events, seed=SEED)]
    rows = [r for r in rows if isinstance(r, EventRow)]
    path = workdir / "bare.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for pragma in PRAGMAS:
        conn.execute(pragma)
    # The app packs rows (store/schema.py); "bare" stays one wide table with the dedup and time indexes.
    conn.execute(f"CREATE TABLE bare_events (id INTEGER PRIMARY KEY, {', '.join(EVENT_COLUMNS)})")
    conn.execute("CREATE UNIQUE INDEX bare_key ON bare_events(event_key)")
    conn.execute("CREATE INDEX bare_ts ON bare_events(ts_ns)")
    insert = (f"INSERT INTO bare_events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' for _ in EVENT_COLUMNS)}) "
              "ON CONFLICT (event_key) DO NOTHING")
    started = time.perf_counter()
    for offset in range(0, len(rows), batch):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(insert, rows[offset:offset + batch])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return len(rows) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=1000, help="USAGE_BATCH_SIZE for both paths")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        full_rate, stored = full_path_rate(args.events, args.batch, Path(tmp))
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        bare_rate = bare_sqlite_rate(args.events, args.batch, Path(tmp))
    print(f"events                        {args.events:>12,}   (stored {stored:,}, batch {args.batch})")
    print(f"full path (HTTP→SQLite)       {full_rate:>12,.0f} events/s")
    print(f"bare sqlite3 executemany      {bare_rate:>12,.0f} events/s")
    print(f"full path / bare              {full_rate / bare_rate:>12.1%}   (target ≥ 25%, and ≥ 20,000 events/s)")
    print(f"peak RSS of the collecting process {peak_rss_mb:>7.1f} MB   (CPA double runs in another process)")


if __name__ == "__main__":
    main()
