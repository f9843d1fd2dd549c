from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest

from cpa_manager_desktop.errors import StoreClosed
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.store import migrations
from cpa_manager_desktop.store.db import PRAGMAS, Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.retention import AUTO_VACUUM_INCREMENTAL, RetentionStore
from cpa_manager_desktop.store.rows import DeadLetterRow, EventRow
from cpa_manager_desktop.store.settings import SettingsStore
from tests.fixtures.spec_records import CLAUDE_APIKEY_FAILED, CODEX_OAUTH, V610_GEMINI, record


@pytest.fixture
def db(tmp_path: Path):
    database = Database(tmp_path / "data" / "usage.sqlite")
    yield database
    database.close()


def rows(*records: dict) -> list[EventRow]:
    out = [classify(r) for r in records]
    assert all(isinstance(r, EventRow) for r in out)
    return out  # type: ignore[return-value]


def test_schema_is_versioned_and_wal(db: Database) -> None:
    assert db.read(lambda c: c.execute("PRAGMA user_version").fetchone()[0]) == migrations.LATEST_VERSION
    assert db.read(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0]) == "wal"


def test_pragmas_apply_to_every_connection(db: Database) -> None:
    seen: list[tuple[int, int, int]] = []

    def probe() -> None:
        seen.append(db.read(lambda c: (c.execute("PRAGMA busy_timeout").fetchone()[0],
                                       c.execute("PRAGMA foreign_keys").fetchone()[0],
                                       c.execute("PRAGMA synchronous").fetchone()[0])))

    threads = [threading.Thread(target=probe) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    probe()
    assert seen == [(5000, 1, 2)] * 4 and any("synchronous = FULL" in p for p in PRAGMAS)


def test_files_are_private(db: Database) -> None:
    assert oct(db.path.stat().st_mode & 0o777) == "0o600"
    assert oct(db.path.parent.stat().st_mode & 0o777) == "0o700"
    EventStore(db).add_batch(rows(CODEX_OAUTH))
    assert oct(Path(f"{db.path}-wal").stat().st_mode & 0o777) == "0o600"


def test_duplicates_skipped_by_content(db: Database) -> None:
    store = EventStore(db)
    first = store.add_batch(rows(CODEX_OAUTH, CLAUDE_APIKEY_FAILED, CODEX_OAUTH))
    again = store.add_batch(rows(CLAUDE_APIKEY_FAILED, V610_GEMINI))
    assert (first.inserted, first.skipped, again.inserted, again.skipped) == (2, 1, 1, 1)
    assert store.counts().events == 3
    assert db.read(lambda c: c.execute("SELECT COUNT(*) FROM usage_events").fetchone()[0]) == 3


def test_rollups_match_raw_rows_in_the_same_transaction(db: Database) -> None:
    store = EventStore(db)
    batch = [record(CODEX_OAUTH, request_id=f"r{i}", latency_ms=100 + i) for i in range(5)]
    store.add_batch(rows(*batch, CLAUDE_APIKEY_FAILED, V610_GEMINI))
    store.add_batch(rows(*batch, record(CODEX_OAUTH, request_id="r9")))
    rollup = db.read(lambda c: c.execute(
        "SELECT model, failed, requests, input_tokens, in_uncached, out_total, latency_ms_sum, latency_count "
        "FROM rollup_model ORDER BY model").fetchall())
    assert rollup == [
        ("claude-sonnet-4-5-20250929", 1, 1, 0, 0, 0, 640, 1),
        ("gemini-2.5-pro", 0, 1, 1000, 600, 250, 1200, 1),
        ("gpt-5.4", 0, 6, 72000, 24000, 5400, 100 + 101 + 102 + 103 + 104 + 8421, 6),
    ]


def test_dead_letters_counted(db: Database) -> None:
    store = EventStore(db)
    result = store.add_batch([], [DeadLetterRow(1, "http", "payload is not JSON", "xx")])
    assert result.dead_letters == 1 and store.counts().dead_letters == 1


def test_failed_batch_rolls_back_entirely(db: Database) -> None:
    store = EventStore(db)
    good = rows(CODEX_OAUTH)[0]
    bad = good._replace(event_key=b"k" * 16, model=None)  # NOT NULL violation mid-batch
    with pytest.raises(sqlite3.IntegrityError):
        store.add_batch([rows(V610_GEMINI)[0], bad])
    assert store.counts().events == 0
    assert db.read(lambda c: c.execute("SELECT COUNT(*) FROM rollup_model").fetchone()[0]) == 0


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite"
    Database(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreClosed, match="newer version of CPA Manager"):
        Database(path)


def test_reopen_keeps_data_and_does_not_remigrate(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite"
    first = Database(path)
    EventStore(first).add_batch(rows(CODEX_OAUTH))
    first.close()
    second = Database(path)
    try:
        assert EventStore(second).counts().events == 1
    finally:
        second.close()


def test_settings_roundtrip_and_close_is_idempotent(db: Database) -> None:
    settings = SettingsStore(db)
    settings.put("setup", {"cpaBaseUrl": "http://x"})
    settings.put("setup", {"cpaBaseUrl": "http://y"})
    assert settings.get("setup") == {"cpaBaseUrl": "http://y"} and settings.get("none") is None
    db.close()
    db.close()
    with pytest.raises(StoreClosed):
        settings.get("setup")


def test_upgrade_from_schema_1_rebuilds_rollups_with_histograms_and_labels(tmp_path: Path) -> None:
    from cpa_manager_desktop.store.migrations import MIGRATIONS
    from cpa_manager_desktop.store.schema import LATENCY_BUCKETS

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0][2](conn)
    conn.execute("PRAGMA user_version = 1")
    events = rows(CODEX_OAUTH, CLAUDE_APIKEY_FAILED, V610_GEMINI, record(CODEX_OAUTH, request_id="x", latency_ms=150))
    # Schema 1 has no in_cache_write_1h (migration 4 adds it): insert the columns it has.
    old_columns = [c for c in EventRow._fields if c != "in_cache_write_1h"]
    marks = ", ".join("?" * len(old_columns))
    conn.executemany(f"INSERT INTO usage_events ({', '.join(old_columns)}) VALUES ({marks})",
                     [tuple(getattr(e, c) for c in old_columns) for e in events])
    conn.execute("INSERT INTO usage_hourly (hour, endpoint, model, provider, auth_index, api_key_hash, failed, "
                 "requests) SELECT ts_ns / 3600000000000, COALESCE(endpoint, ''), model, COALESCE(provider, ''), "
                 "COALESCE(auth_index, ''), COALESCE(api_key_hash, ''), failed, COUNT(*) FROM usage_events "
                 "GROUP BY 1, 2, 3, 4, 5, 6, 7")
    conn.close()
    db = Database(path)
    try:
        assert db.read(lambda c: c.execute("PRAGMA user_version").fetchone()[0]) == migrations.LATEST_VERSION
        histogram = db.read(lambda c: c.execute(
            f"SELECT model, {', '.join(LATENCY_BUCKETS)} FROM rollup_model WHERE model = 'gpt-5.4'").fetchone())
        # latencies 8421 ms and 150 ms: buckets [7500, 10000) and [100, 200)
        assert histogram[1:] == (0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0)
        tables = db.read(lambda c: c.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall())
        assert ('usage_hourly',) not in tables
        for rollup in ("rollup_model", "rollup_account", "rollup_api_key"):
            assert db.read(lambda c, r=rollup: c.execute(f"SELECT SUM(requests) FROM {r}").fetchone()[0]) == 4
        labels = db.read(lambda c: c.execute("SELECT kind, id, label FROM labels ORDER BY kind, id").fetchall())
        assert ("account", "3f9c1a7be2d04c55", "ali***@example.com") in labels
        assert sum(1 for kind, _, _ in labels if kind == "api_key") == 2
    finally:
        db.close()


class _Recorder:
    """A connection that records the statements run through it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.statements: list[str] = []

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        self.statements.append(sql)
        return self._conn.execute(sql, *args)


# sha256 of the statements each migration runs on an empty database, as shipped. A migration is history:
# if this fails, today's code leaked into one; write a new migration instead of changing an old one.
SHIPPED_MIGRATION_SQL = {
    1: "267ad03e4aa564a2555853d138f604955430f1cc6eb42009a72015baf6df3a08",
    2: "aa641b4a0599e0de53167e06e521758ab4d90db5540ffd210b757ef7ab0032fa",
    3: "8d228e4362c91129f7c3c3917e168eba6a13daa99ca52af3cdd8cc3592656886",
    4: "c259ebd516fc218f97d5883022c0460b1db7d26b61bb7c6f38bdf8a4f99331d0",
    5: "9933ea2f58410d17d9db446d822d5ae9bb7182095777619c672a28c6f11322f1",
    6: "88d7b774664cb76cec4810dc54ac23beab15b23c1a3fafa9c7fb78f87c3dcc60",
    7: "7a32cc3057b284b70d99d0101219a711ab6656f82bea958a836677a12316556a",
    8: "5532f3797a90ebc0dee158caea2096633b322318e3b7eee6feac91cb65311afd",
    9: "57e121bdc7d8ef99934a55247df8067708597448d589cf840e6188268f8352f0",
    10: "33c2e8a198cd68ea529d672f860a86b14d2f74b8ee6278cda1c11ad48ce19411",
    11: "c4754bc7a9f21845c233311c7cca250104948b2f98121ae5524ab7507203082d",
    12: "8cd89c66a01b57973abe2af0fd2cb51c5ba7b532e6085ae19555de5e92b68f37",
    13: "3a823266baf844a4be091548c5b400028795cff79ca1d0c09d48bd06fe293807",
    14: "c03c70b59f2589a4cde7c54f72cc5f60bcaa97d376e29a39336a8683874e4d97",
}


def test_migrations_run_the_sql_they_shipped_with() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    hashes = {}
    for number, _name, apply in migrations.MIGRATIONS:
        recorder = _Recorder(conn)
        apply(recorder)  # type: ignore[arg-type]
        hashes[number] = hashlib.sha256("\n;\n".join(recorder.statements).encode()).hexdigest()
    assert hashes == SHIPPED_MIGRATION_SQL


def test_history_ends_at_todays_rollups(db: Database) -> None:
    """The tables the migrations leave are the ones current code writes (store/rollups.py)."""
    from cpa_manager_desktop.store.rollups import ALL_ROLLUPS

    created = dict(db.read(lambda c: c.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'rollup_%'").fetchall()))
    assert created == {rollup.table: rollup.create_sql() for rollup in ALL_ROLLUPS}


def _database_at(path: Path, version: int) -> sqlite3.Connection:
    """A database file migrated up to `version` only, as an older release left it."""
    conn = sqlite3.connect(path, isolation_level=None)
    for number, _name, apply in migrations.MIGRATIONS:
        if number <= version:
            apply(conn)
    conn.execute(f"PRAGMA user_version = {version}")
    return conn


def test_packing_events_keeps_every_field_and_id(tmp_path: Path) -> None:
    """Migration 13 moves the wide rows into the packed table: the view shows the very same rows (ids,
    every column, NULLs), the queries keep their indexes, and a later batch dedups against old keys."""
    path = tmp_path / "old.sqlite"
    conn = _database_at(path, 8)
    events = rows(CODEX_OAUTH, CLAUDE_APIKEY_FAILED, V610_GEMINI, record(CODEX_OAUTH, request_id="x", latency_ms=150))
    columns = ", ".join(EventRow._fields)
    conn.executemany(f"INSERT INTO usage_events ({columns}) VALUES ({', '.join('?' * len(EventRow._fields))})",
                     events)
    conn.execute("DELETE FROM usage_events WHERE id = 2")  # ids keep their gaps
    from cpa_manager_desktop.store.migrations import m0004_canonical_tokens as m0004

    for family in m0004.FAMILIES:  # the hourly rollups of the rows left, as release 8 kept them
        conn.execute(m0004._fill_sql(*family), {"after": 0})
    before = conn.execute(f"SELECT id, {columns} FROM usage_events ORDER BY id").fetchall()
    conn.close()
    db = Database(path)
    try:
        after = db.read(lambda c: c.execute(f"SELECT id, {columns} FROM usage_events ORDER BY id").fetchall())
        assert after == before
        assert [row[0] for row in after] == [1, 3, 4]
        assert EventStore(db).add_batch(events).inserted == 1  # only the one deleted above is new
        plan = db.read(lambda c: c.execute(
            "EXPLAIN QUERY PLAN SELECT model FROM usage_events WHERE ts_ns >= 0 AND ts_ns < 1 "
            "ORDER BY ts_ns DESC, id DESC").fetchall())
        assert any("idx_events_ts" in step[3] for step in plan)
        for family in ("rollup_series", "rollup_model", "rollup_account", "rollup_api_key"):  # days sum the hours
            hourly = db.read(lambda c, f=family: c.execute(f"SELECT hour / 24, SUM(requests) FROM {f} GROUP BY 1")
                             .fetchall())
            daily = db.read(lambda c, f=family: c.execute(f"SELECT day, SUM(requests) FROM {f}_day GROUP BY 1")
                            .fetchall())
            assert daily == hourly and sum(n for _, n in daily) == 4
        series_failures = db.read(lambda c: c.execute("SELECT SUM(failures) FROM rollup_series").fetchone()[0])
        assert series_failures == sum(1 for e in events if e.failed)
        indexes = {name for (name,) in db.read(lambda c: c.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage_event_rows'").fetchall())}
        assert indexes == {"idx_events_key", "idx_events_ts", "idx_events_failed_ts", "idx_events_tier_candidates"}
    finally:
        db.close()


def test_deleting_through_the_view_removes_packed_rows(db: Database) -> None:
    """`DELETE FROM usage_events WHERE ts_ns < ?` still works: the view passes it on (but reports no rows,
    so retention deletes from the packed table itself, store/retention.py)."""
    store = EventStore(db)
    store.add_batch(rows(CODEX_OAUTH, CLAUDE_APIKEY_FAILED, V610_GEMINI))
    cutoff = db.read(lambda c: c.execute("SELECT MAX(ts_ns) FROM usage_events").fetchone()[0])
    db.write(lambda c: c.execute("DELETE FROM usage_events WHERE ts_ns < ?", (cutoff,)))
    assert db.read(lambda c: c.execute("SELECT COUNT(*) FROM usage_event_rows").fetchone()[0]) == 1
    assert db.read(lambda c: c.execute("SELECT ts_ns FROM usage_events").fetchall()) == [(cutoff,)]


def test_a_text_is_stored_once(db: Database) -> None:
    """Repeated labels, hashes and models are interned: three events of one account add its texts once."""
    store = EventStore(db)
    store.add_batch(rows(CODEX_OAUTH))
    texts = db.read(lambda c: c.execute("SELECT COUNT(*) FROM event_texts").fetchone()[0])
    store.add_batch(rows(record(CODEX_OAUTH, request_id="a"), record(CODEX_OAUTH, request_id="b")))
    assert db.read(lambda c: c.execute("SELECT COUNT(*) FROM event_texts").fetchone()[0]) == texts
    assert db.read(lambda c: c.execute("SELECT COUNT(DISTINCT model) FROM usage_events").fetchone()[0]) == 1


def test_upgrade_gives_the_freed_pages_back(tmp_path: Path) -> None:
    """Packing leaves the old rows' pages free: the file is compacted once, right after the migration, and
    that one rewrite also makes it incremental, so retention never has to rewrite it again."""
    from tests.cpa_double import records

    path = tmp_path / "old.sqlite"
    conn = _database_at(path, 8)
    events = rows(*records.mixed_records(3000, seed=3))
    columns = ", ".join(EventRow._fields)
    conn.executemany(f"INSERT INTO usage_events ({columns}) VALUES ({', '.join('?' * len(EventRow._fields))})",
                     events)
    conn.close()
    size_before = path.stat().st_size
    assert sqlite3.connect(path).execute("PRAGMA auto_vacuum").fetchone()[0] == 0  # as old releases made it
    db = Database(path)
    try:
        assert db.read(lambda c: c.execute("PRAGMA freelist_count").fetchone()[0]) == 0
        assert RetentionStore(db).file_state().auto_vacuum == AUTO_VACUUM_INCREMENTAL
        assert db.read(lambda c: c.execute("SELECT COUNT(*) FROM usage_events").fetchone()[0]) == 3000
    finally:
        db.close()
    assert path.stat().st_size < size_before * 0.6
