"""kill -9 in the middle of compaction (issue 17 §4): the real app, in its own process, folding a 100,000-event
database; killed while batches commit, started again, left to finish. Every total is what it was before,
nothing is lost or counted twice, and the database is intact."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

from bench.synthetic import build_database
from cpa_manager_desktop.store.db import Database
from tests.conftest import wait_until
from tests.processes import free_port, healthy, launch
from tests.retention_totals import add_tiered_price, differences, totals

EVENTS = 100_000
ENV = {"USAGE_RETENTION_DAYS": "30"}


def progress(db_path: Path) -> tuple[int, int, bool]:
    """(events folded, raw events left before the cutoff, whether free pages remain), read beside the app."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        before, archived = conn.execute("SELECT archived_before_ns, archived_events FROM retention_state").fetchone()
        left = conn.execute("SELECT COUNT(*) FROM usage_events WHERE ts_ns < ?", (before,)).fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        return archived, left, free > 0
    finally:
        conn.close()


def test_kill_9_during_compaction_then_restart_keeps_every_total(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    db_path = tmp_path / "data" / "usage.sqlite"
    db_path.parent.mkdir()
    # The app's own clock decides the cutoff: the synthetic 90 days end now, so 60 of them are folded.
    now_ns = time.time_ns()
    build_database(db_path, EVENTS, seed=23, now_ns=now_ns)
    db = Database(db_path)
    try:
        add_tiered_price(db)
        before = totals(db, now_ns)
    finally:
        db.close()
    port = free_port()

    service = launch(config, port, env=ENV)
    try:
        wait_until(lambda: db_path.exists() and progress(db_path)[0] >= 10_000, 60, "the first folded batches")
    finally:
        service.send_signal(signal.SIGKILL)
        service.wait(10)
    folded, left, _ = progress(db_path)
    assert left > 0, "compaction finished before the kill; the test proved nothing"

    service = launch(config, port, env=ENV)
    try:
        wait_until(lambda: healthy(port), 30, "the restart")
        wait_until(lambda: progress(db_path)[1:] == (0, False), 90, "compaction and the space to be reclaimed")
    finally:
        service.send_signal(signal.SIGTERM)
        assert service.wait(20) == 0

    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        raw = conn.execute("SELECT COUNT(*) FROM usage_events").fetchone()[0]
        archived = conn.execute("SELECT archived_events FROM retention_state").fetchone()[0]
        archived_requests = conn.execute("SELECT SUM(requests) FROM archive_hour_sums").fetchone()[0]
    finally:
        conn.close()
    assert raw + archived == EVENTS and archived == archived_requests and archived > folded
    db = Database(db_path)
    try:
        after = totals(db, now_ns)
    finally:
        db.close()
    assert differences(before, after) == []
