"""Retention: folding old raw events into the archive (migration 14) and reclaiming the space.

A compaction batch is one short write transaction: pick the oldest events before the cutoff, add them to
archive_hours / archive_failures / archive_tier_events, delete them, lower the event counter and record
the cutoff. Killed at any instant, a batch either happened whole or not at all, so a restart resumes with
nothing lost or counted twice. Space comes back in small `incremental_vacuum` steps; that needs
auto_vacuum=INCREMENTAL, which an existing file only gets through one VACUUM (see switch_to_incremental).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.rollups import ALL_MEASURES, NS_PER_HOUR, packed_expression
from cpa_manager_desktop.store.schema import PACKED_EVENTS, TEXTS

HOUR_SUMS = "archive_hour_sums"
FAILURE_COUNTS = "archive_failure_counts"
TIER_REQUESTS = "archive_tier_requests"
BATCH_EVENTS = 1000  # ~70 ms of write lock per batch on 1M events (2-core machine): the collector barely waits
VACUUM_STEP_PAGES = 2048
# Requests above this many input tokens are kept one by one (archive_tier_events): a long-context price
# tier bills the whole request at its rate, which hourly sums cannot tell. LiteLLM's lowest tier is 128k.
TIER_MIN_TOKENS = 128_000
AUTO_VACUUM_INCREMENTAL = 2

_KEY_NAMES = ("endpoint", "model", "provider", "auth_index", "api_key_hash")
_KEY_IDS = ", ".join(f"{name}_id" for name in _KEY_NAMES)
_IN_BATCH = "id IN (SELECT id FROM temp.retention_batch)"


def _texts(columns: tuple[str, ...], alias: str) -> str:
    """LEFT JOINs putting back the texts of the packed ids `<column>_id` of the FROM item `alias`."""
    return "".join(f" LEFT JOIN {TEXTS} AS t_{c} ON t_{c}.id = {alias}.{c}_id" for c in columns)


# The batch is summed per text id straight from the packed table (store/schema.py), and the texts of the
# few resulting groups are looked up afterwards: through the usage_events view every one of the batch's
# rows looked up its texts first.
_KEY_TEXTS = ", ".join(f"COALESCE(t_{name}.value, '')" for name in _KEY_NAMES)
_JOIN_KEYS = _texts(_KEY_NAMES, "g") + " JOIN archive_keys AS k ON " + " AND ".join(
    f"k.{name} = COALESCE(t_{name}.value, '')" for name in _KEY_NAMES)

CREATE_BATCH = "CREATE TEMP TABLE IF NOT EXISTS retention_batch (id INTEGER PRIMARY KEY)"
CLEAR_BATCH = "DELETE FROM temp.retention_batch"
PICK_BATCH = (f"INSERT INTO temp.retention_batch (id) SELECT id FROM {PACKED_EVENTS} WHERE ts_ns < :cutoff "
              "ORDER BY ts_ns LIMIT :limit")
ADD_KEYS = (f"INSERT OR IGNORE INTO archive_keys ({', '.join(_KEY_NAMES)}) SELECT DISTINCT {_KEY_TEXTS} "
            f"FROM (SELECT DISTINCT {_KEY_IDS} FROM {PACKED_EVENTS} WHERE {_IN_BATCH}) AS g"
            f"{_texts(_KEY_NAMES, 'g')}")
# Two ids can name the same key (NULL and ''): the upserts add the second group to the first.
FOLD_HOURS = (
    f"INSERT INTO {HOUR_SUMS} (hour, key_id, failed, status_code, {', '.join(ALL_MEASURES)}) "
    f"SELECT g.hour, k.id, g.failed, g.status_code, {', '.join(f'g.{m}' for m in ALL_MEASURES)} "
    f"FROM (SELECT ts_ns / {NS_PER_HOUR} AS hour, {_KEY_IDS}, failed, COALESCE(status_code, 0) AS status_code, "
    f"{', '.join(f'{packed_expression(m)} AS {m}' for m in ALL_MEASURES)} FROM {PACKED_EVENTS} "
    f"WHERE {_IN_BATCH} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) AS g{_JOIN_KEYS} WHERE true "
    "ON CONFLICT (hour, key_id, failed, status_code) DO UPDATE SET "
    + ", ".join(f"{m} = {m} + excluded.{m}" for m in ALL_MEASURES)
)
FOLD_FAILURES = (
    f"INSERT INTO {FAILURE_COUNTS} (hour, key_id, status_code, fail_body, failures, last_ts_ns) "
    "SELECT g.hour, k.id, g.status_code, COALESCE(t_fail_body.value, ''), g.n, g.last_ns "
    f"FROM (SELECT ts_ns / {NS_PER_HOUR} AS hour, {_KEY_IDS}, COALESCE(status_code, 0) AS status_code, "
    f"fail_body_id, COUNT(*) AS n, MAX(ts_ns) AS last_ns FROM {PACKED_EVENTS} WHERE {_IN_BATCH} AND failed = 1 "
    f"GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) AS g{_JOIN_KEYS}{_texts(('fail_body',), 'g')} WHERE true "
    "ON CONFLICT (hour, key_id, status_code, fail_body) DO UPDATE SET "
    "failures = failures + excluded.failures, last_ts_ns = MAX(last_ts_ns, excluded.last_ts_ns)"
)
KEEP_TIER_EVENTS = (
    f"INSERT INTO {TIER_REQUESTS} (hour, key_id, failed, status_code, response_service_tier, in_uncached, "
    "in_cache_read, in_cache_write, in_cache_write_1h, out_total, unclassified_tokens) "
    f"SELECT g.ts_ns / {NS_PER_HOUR}, k.id, g.failed, COALESCE(g.status_code, 0), g.response_service_tier, "
    "g.in_uncached, g.in_cache_read, g.in_cache_write, g.in_cache_write_1h, g.out_total, g.unclassified_tokens "
    f"FROM (SELECT * FROM {PACKED_EVENTS} WHERE {_IN_BATCH} AND (response_service_tier IN ('priority', 'flex') "
    f"OR in_uncached + in_cache_read + in_cache_write > :min_tokens)) AS g{_JOIN_KEYS} ORDER BY g.id"
)
# Straight to the packed table: a DELETE through the usage_events view (its INSTEAD OF trigger) reports
# no rows, and the counter must fall by what was really deleted.
DELETE_BATCH = f"DELETE FROM {PACKED_EVENTS} WHERE {_IN_BATCH}"
LOWER_COUNTER = "UPDATE counters SET value = value - :deleted WHERE name = 'events'"
RECORD = ("UPDATE retention_state SET archived_before_ns = MAX(archived_before_ns, :cutoff), "
          "archived_events = archived_events + :deleted WHERE id = 1")
STATE = "SELECT archived_before_ns, archived_events FROM retention_state WHERE id = 1"
HAS_OLDER = f"SELECT EXISTS (SELECT 1 FROM {PACKED_EVENTS} WHERE ts_ns < ?)"


@dataclass(frozen=True)
class RetentionState:
    archived_before_ns: int     # 0: never compacted; raw events before it have been folded into hourly totals
    archived_events: int        # events folded into the archive, in all


@dataclass(frozen=True)
class FileState:
    page_size: int
    page_count: int
    freelist_pages: int
    auto_vacuum: int            # 0 none, 1 full, 2 incremental

    @property
    def reclaimable_bytes(self) -> int:
        return self.freelist_pages * self.page_size


class RetentionStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def state(self) -> RetentionState:
        before, events = self._db.read(lambda c: c.execute(STATE).fetchone())
        return RetentionState(archived_before_ns=before, archived_events=events)

    def oldest_archived_ns(self) -> int | None:
        """The start of the oldest hour in the archive (its primary key leads with the hour: one lookup)."""
        hour = self._db.read(lambda c: c.execute(f"SELECT MIN(hour) FROM {HOUR_SUMS}").fetchone()[0])
        return hour * NS_PER_HOUR if hour is not None else None

    def has_events_before(self, cutoff_ns: int) -> bool:
        return bool(self._db.read(lambda c: c.execute(HAS_OLDER, (cutoff_ns,)).fetchone()[0]))

    def compact_batch(self, cutoff_ns: int, *, limit: int = BATCH_EVENTS, min_tier_tokens: int = TIER_MIN_TOKENS
                      ) -> int:
        """Fold and delete up to `limit` of the oldest raw events before cutoff_ns, in one transaction.
        Returns how many were folded (0: nothing older is left)."""
        if cutoff_ns % NS_PER_HOUR:
            raise ValueError("the retention cutoff must be a whole hour")
        return self._db.write(lambda c: _compact(c, cutoff_ns, limit, min_tier_tokens))

    def file_state(self) -> FileState:
        def read(conn: sqlite3.Connection) -> FileState:
            values = [conn.execute(f"PRAGMA {name}").fetchone()[0]
                      for name in ("page_size", "page_count", "freelist_count", "auto_vacuum")]
            return FileState(*values)
        return self._db.read(read)

    def vacuum_step(self, pages: int = VACUUM_STEP_PAGES) -> None:
        """Give up to `pages` free pages back to the file system (auto_vacuum=INCREMENTAL only): one short
        write, then a checkpoint, since in WAL mode the file only shrinks when the WAL is checkpointed."""
        # executescript, not execute: the pragma frees one page per step and returns no columns, so
        # execute() stops after the first page; executescript steps it to the end (in its own transaction).
        self._db.outside_transaction(lambda c: c.executescript(
            f"PRAGMA incremental_vacuum({int(pages)}); PRAGMA wal_checkpoint(TRUNCATE);"))

    def switch_to_incremental(self) -> None:
        """Set auto_vacuum=INCREMENTAL and rewrite the file once with VACUUM, holding the write lock: writers
        wait until it ends (the collector's popped batch is safe in its journal meanwhile)."""
        def run(conn: sqlite3.Connection) -> None:
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        self._db.outside_transaction(run)


def aggregated_before_ms(conn: sqlite3.Connection) -> int | None:
    """Raw events before this instant (unix ms) were folded into hourly totals; None when none were."""
    before = conn.execute(STATE).fetchone()[0]
    return before // 1_000_000 if before else None


def _compact(conn: sqlite3.Connection, cutoff_ns: int, limit: int, min_tier_tokens: int) -> int:
    conn.execute(CREATE_BATCH)
    conn.execute(CLEAR_BATCH)
    picked = conn.execute(PICK_BATCH, {"cutoff": cutoff_ns, "limit": limit}).rowcount
    if picked <= 0:
        return 0
    conn.execute(ADD_KEYS)
    conn.execute(FOLD_HOURS)
    conn.execute(FOLD_FAILURES)
    conn.execute(KEEP_TIER_EVENTS, {"min_tokens": min_tier_tokens})
    deleted = conn.execute(DELETE_BATCH).rowcount
    conn.execute(LOWER_COUNTER, {"deleted": deleted})
    conn.execute(RECORD, {"cutoff": cutoff_ns, "deleted": deleted})
    conn.execute(CLEAR_BATCH)
    return deleted
