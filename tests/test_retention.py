"""Retention (issue 17 §4): folding old raw events into the hourly archive keeps every analytics total,
shrinks the file, refuses bad settings with a sentence, and tells event lists where raw events end.

The 200,000-event database keeps the suite near a minute; bench/retention.py runs the same on 1,000,000."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.synthetic import build_database
from cpa_manager_desktop.app import App
from cpa_manager_desktop.service.maintenance import Maintenance
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.prices import Price, PriceStore
from cpa_manager_desktop.store.retention import RetentionStore
from cpa_manager_desktop.store.rollups import NS_PER_HOUR
from cpa_manager_desktop.store.settings import SettingsStore
from tests.client import assert_error, call
from tests.retention_totals import add_tiered_price, differences, totals

NOW_NS = 1_795_000_000 * 1_000_000_000 + 1_234_567_890   # the fake clock: off a whole hour on purpose
NOW_S = NOW_NS / 1e9
EVENTS = 200_000
DAY_NS = 24 * NS_PER_HOUR


def legacy_file(path: Path) -> None:
    """A file as releases before retention made it: auto_vacuum NONE, so the first compaction must VACUUM."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA auto_vacuum = NONE")
    conn.execute("CREATE TABLE created_before_retention (x)")
    conn.execute("DROP TABLE created_before_retention")
    conn.close()


def maintenance(db: Database, days: int | None) -> Maintenance:
    return Maintenance(db, EventStore(db), SettingsStore(db), PriceStore(db), configured_days=days,
                       configured=True)


def run_to_the_end(service: Maintenance, now_s: float) -> int:
    folded, runs = 0, 0
    while True:
        result = service.run(now_s, budget_s=30.0)
        folded += result.folded
        runs += 1
        if result.done:
            return folded
        assert runs < 100, "compaction never finished"


def test_compaction_keeps_every_total_while_the_file_shrinks(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite"
    legacy_file(path)
    build_database(path, EVENTS, seed=17, now_ns=NOW_NS)
    db = Database(path)
    try:
        add_tiered_price(db)
        before = totals(db, NOW_NS)
        size_before = path.stat().st_size
        cutoff = (NOW_NS - 30 * DAY_NS) // NS_PER_HOUR * NS_PER_HOUR

        folded = run_to_the_end(maintenance(db, 30), NOW_S)

        after = totals(db, NOW_NS)
        counts = EventStore(db).counts()
        state = RetentionStore(db).state()
        oldest = EventStore(db).span().oldest_ns
        file_state = RetentionStore(db).file_state()
    finally:
        db.close()
    assert differences(before, after) == []
    # 60 of the 90 days were folded; every event is in exactly one place.
    assert folded == state.archived_events and abs(folded - EVENTS * 2 // 3) < EVENTS // 100
    assert counts.events + state.archived_events == EVENTS
    assert state.archived_before_ns == cutoff and oldest is not None and oldest >= cutoff
    assert file_state.auto_vacuum == 2 and file_state.freelist_pages == 0
    # Packed raw events (migration 13) are about half of this file, the rollups most of the rest: folding
    # two thirds of the events into the archive takes it from 68 to 52 MB (it was < 60 % with wide rows).
    assert path.stat().st_size < size_before * 0.8, (size_before, path.stat().st_size)


def test_space_comes_back_in_steps_on_an_incremental_file(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite"
    build_database(path, 20_000, seed=5, now_ns=NOW_NS)
    db = Database(path)
    try:
        assert RetentionStore(db).file_state().auto_vacuum == 2   # new files start incremental
        service = maintenance(db, 7)
        before = totals(db, NOW_NS)
        size_before = db.size_bytes()
        run_to_the_end(service, NOW_S)
        assert differences(before, totals(db, NOW_NS)) == []
        assert RetentionStore(db).file_state().freelist_pages == 0
        size_after = db.size_bytes()
    finally:
        db.close()
    # 20,000 events over 90 days is a sparse hour: the narrow rollups, kept whole, are most of the file, and
    # the packed raw events (migration 13) only a quarter of it: folding 92 % of them frees ~3 MB of 12.5,
    # of which the archive takes back ~2 (it was < 70 % with wide rows).
    assert size_after < size_before * 0.95, (size_before, size_after)


def test_an_import_of_the_aggregated_range_is_skipped_not_counted_twice(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite"
    build_database(path, 5_000, seed=9, now_ns=NOW_NS)
    db = Database(path)
    try:
        from bench.synthetic import batches
        rows = next(batches(5_000, seed=9, now_ns=NOW_NS, batch=5_000))
        run_to_the_end(maintenance(db, 30), NOW_S)
        before = totals(db, NOW_NS)
        result = EventStore(db).add_batch(rows)      # the same events again, as a re-imported export
        assert result.inserted == 0 and result.skipped == 5_000
        assert differences(before, totals(db, NOW_NS)) == []
    finally:
        db.close()


@pytest.mark.parametrize(("days", "sentence"), [
    (-1, "Retention must be a whole number of days from 1 to 3650"),
    (2.5, "Retention must be a whole number of days from 1 to 3650"),
    ("ten", "Retention must be a whole number of days from 1 to 3650"),
    (True, "Retention must be a whole number of days from 1 to 3650"),
    (99_999, "Retention of 99999 days is more than 3650 days"),
])
def test_bad_retention_is_refused_with_a_sentence(start_app: Callable[..., App], days: object, sentence: str
                                                  ) -> None:
    app = start_app()
    reply = call("PUT", f"{app.base_url}/maintenance/retention", json_body={"days": days})
    assert_error(reply, 400, sentence)
    assert reply.json["code"] == "invalid_retention"
    assert call("GET", f"{app.base_url}/maintenance/storage").json["retention"]["days"] is None


def test_the_panel_sets_retention_unless_the_environment_does(start_app: Callable[..., App]) -> None:
    app = start_app()
    reply = call("PUT", f"{app.base_url}/maintenance/retention", json_body={"days": 30})
    assert reply.status == 200
    assert reply.json["retention"] == {"days": 30, "source": "panel", "fixed": False, "maxDays": 3650}
    cleared = call("PUT", f"{app.base_url}/maintenance/retention", json_body={"days": None})
    assert cleared.json["retention"] == {"days": None, "source": "default", "fixed": False, "maxDays": 3650}

    fixed = start_app({"USAGE_RETENTION_DAYS": "90"})
    storage = call("GET", f"{fixed.base_url}/maintenance/storage").json
    assert storage["retention"] == {"days": 90, "source": "settings", "fixed": True, "maxDays": 3650}
    refused = call("PUT", f"{fixed.base_url}/maintenance/retention", json_body={"days": 30})
    assert_error(refused, 400, "Retention is set by USAGE_RETENTION_DAYS")


def test_storage_figures_and_event_lists_say_where_raw_events_end(start_app: Callable[..., App]) -> None:
    app = start_app()
    db = app.db
    EventStore(db).add_batch(next(_rows(3_000)))
    storage = call("GET", f"{app.base_url}/maintenance/storage").json
    assert storage["rawEvents"] == 3_000 and storage["aggregatedEvents"] == 0
    assert storage["aggregatedBefore"] is None
    assert storage["bytesPerEvent"] == round(storage["databaseBytes"] / 3_000, 1)
    first_ms = storage["oldestRawEvent"]
    assert first_ms == min(r.ts_ns for r in next(_rows(3_000))) // 1_000_000

    maintenance(db, 30).run(NOW_S, budget_s=30.0)
    newest = max(r.ts_ns for r in next(_rows(3_000)))    # the cutoff counts back from the newest event
    cutoff_ms = (newest - 30 * DAY_NS) // NS_PER_HOUR * NS_PER_HOUR // 1_000_000
    storage = call("GET", f"{app.base_url}/maintenance/storage").json
    assert storage["aggregatedBefore"] == cutoff_ms and storage["oldestRawEvent"] >= cutoff_ms
    assert storage["rawEvents"] + storage["aggregatedEvents"] == 3_000
    base = f"{app.base_url}/v0/management"
    assert call("GET", f"{base}/analytics/events").json["aggregatedBefore"] == cutoff_ms
    assert call("GET", f"{base}/analytics/failures").json["aggregatedBefore"] == cutoff_ms
    assert call("GET", f"{base}/usage?limit=1").json["aggregated_before_ms"] == cutoff_ms
    assert call("GET", f"{base}/usage/export").headers["x-aggregated-before"] == str(cutoff_ms)
    # "From the oldest event" ranges (the panel's All) still start where the folded events do.
    first_hour_ms = first_ms // (NS_PER_HOUR // 1_000_000) * (NS_PER_HOUR // 1_000_000)
    assert call("GET", f"{app.base_url}/status").json["oldestEventAt"] == first_hour_ms


def _rows(count: int):
    from bench.synthetic import batches
    return batches(count, seed=3, now_ns=NOW_NS, batch=count)


def test_a_clock_set_ahead_folds_nothing_younger_than_the_retention(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite"
    build_database(path, 5_000, seed=13, now_ns=NOW_NS)
    db = Database(path)
    try:
        newest = EventStore(db).span().newest_ns
        assert newest is not None
        run_to_the_end(maintenance(db, 30), NOW_S + 365 * 86_400)   # the clock says next year
        state = RetentionStore(db).state()
        kept = db.read(lambda c: c.execute("SELECT COUNT(*) FROM usage_events WHERE ts_ns >= ?",
                                           (newest - 30 * DAY_NS,)).fetchone()[0])
    finally:
        db.close()
    assert state.archived_before_ns == (newest - 30 * DAY_NS) // NS_PER_HOUR * NS_PER_HOUR
    assert kept > 1_500   # the last 30 of 90 days stay raw


class CountingPrices(PriceStore):
    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.reads = 0

    def all(self) -> dict[str, Price]:
        self.reads += 1
        return super().all()


def test_a_run_with_nothing_to_fold_does_not_read_the_price_table(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite"
    build_database(path, 2_000, seed=5, now_ns=NOW_NS)
    db = Database(path)
    try:
        prices = CountingPrices(db)
        service = Maintenance(db, EventStore(db), SettingsStore(db), prices, configured_days=30, configured=True)
        assert service.run(NOW_S, budget_s=30.0).folded > 0
        assert prices.reads == 1                      # the long-context threshold, read for the fold
        run_to_the_end(service, NOW_S)
        reads = prices.reads
        assert service.run(NOW_S, budget_s=30.0).folded == 0
        assert prices.reads == reads                  # caught up: no price read on the 15-s tick
    finally:
        db.close()
