"""Usage events, their hourly rollups and dead letters.

Rollups are maintained in the same transaction as the events they summarise, so totals never drift
from the raw rows. Newly inserted rows are found as `id > max(id) before the insert`: the writer lock
guarantees nobody else inserts in between, and this keeps the insert a single fast executemany.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from cpa_manager_desktop.errors import StoreClosed
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.rollups import NEW_EVENT_STATEMENTS
from cpa_manager_desktop.store.rows import EVENT_COLUMNS, DeadLetterRow, EventRow
from cpa_manager_desktop.store.schema import (
    INTERN_TEXT,
    LABEL_STATEMENTS,
    PACKED_EVENTS,
    TEXT_COLUMNS,
    insert_packed_sql,
    intern_texts_sql,
    pack_rows_sql,
)

# Rows are packed on the way in (store/schema.py): the batch's distinct texts are interned first, then
# each row is inserted with its texts replaced by their ids. ON CONFLICT(event_key), not INSERT OR
# IGNORE: OR IGNORE would also drop rows that break NOT NULL, silently counting a bad row as a duplicate.
INSERT_EVENTS = insert_packed_sql(EVENT_COLUMNS)
TEXT_POSITIONS = tuple(EVENT_COLUMNS.index(column) for column in TEXT_COLUMNS)
LAST_ID = f"SELECT COALESCE(MAX(id), 0) FROM {PACKED_EVENTS}"
ROLLUP_NEW_EVENTS = NEW_EVENT_STATEMENTS
INSERT_DEAD_LETTER = (
    "INSERT INTO dead_letters (received_ns, transport, error, payload) VALUES (?, ?, ?, ?)"
)
BUMP_COUNTER = "UPDATE counters SET value = value + :delta WHERE name = :name"
# Two subqueries, not MIN and MAX in one SELECT: SQLite answers each alone from idx_events_ts in O(log n),
# but scans the table for both together.
STORED_SPAN = f"SELECT (SELECT MIN(ts_ns) FROM {PACKED_EVENTS}), (SELECT MAX(ts_ns) FROM {PACKED_EVENTS})"


@dataclass(frozen=True)
class BatchResult:
    inserted: int
    skipped: int
    dead_letters: int


@dataclass(frozen=True)
class Counts:
    events: int
    dead_letters: int


@dataclass(frozen=True)
class StoredSpan:
    """When the oldest and newest stored events happened; None when nothing is stored."""

    oldest_ns: int | None
    newest_ns: int | None


class EventStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add_batch(self, rows: Sequence[EventRow], dead_letters: Sequence[DeadLetterRow] = ()) -> BatchResult:
        """Commit rows (duplicates skipped by content key) and dead letters in one transaction."""
        return self._db.write(lambda conn: _add_batch(conn, rows, dead_letters))

    def import_staging(self) -> ImportStaging:
        """A fresh staging area for one import; see ImportStaging."""
        return ImportStaging(self._db)

    def counts(self) -> Counts:
        """Row counts from maintained counters: O(1), never a table scan."""
        values = self._db.read(lambda conn: dict(conn.execute("SELECT name, value FROM counters").fetchall()))
        return Counts(events=values.get("events", 0), dead_letters=values.get("dead_letters", 0))

    def span(self) -> StoredSpan:
        """The event times of the oldest and newest stored events (index lookups, no scan)."""
        oldest, newest = self._db.read(lambda conn: conn.execute(STORED_SPAN).fetchone())
        return StoredSpan(oldest_ns=oldest, newest_ns=newest)


def _add_batch(
    conn: sqlite3.Connection, rows: Sequence[EventRow], dead_letters: Sequence[DeadLetterRow]
) -> BatchResult:
    inserted = 0
    if rows:
        max_before = conn.execute(LAST_ID).fetchone()[0]
        texts = {row[i] for row in rows for i in TEXT_POSITIONS}
        texts.discard(None)
        conn.executemany(INTERN_TEXT, ((text,) for text in texts))
        changes_before = conn.total_changes
        conn.executemany(INSERT_EVENTS, rows)
        inserted = conn.total_changes - changes_before
        if inserted:
            for statement in ROLLUP_NEW_EVENTS:
                conn.execute(statement, {"after": max_before})
            for statement in LABEL_STATEMENTS:
                conn.execute(statement, {"after": max_before})
            conn.execute(BUMP_COUNTER, {"delta": inserted, "name": "events"})
    if dead_letters:
        conn.executemany(INSERT_DEAD_LETTER, dead_letters)
        conn.execute(BUMP_COUNTER, {"delta": len(dead_letters), "name": "dead_letters"})
    return BatchResult(inserted=inserted, skipped=len(rows) - inserted, dead_letters=len(dead_letters))


class ImportStaging:
    """Rows of one import, gathered in short writes into a temporary table on the writer connection and
    then moved into usage_events in ONE transaction, so a rejected import writes nothing.

    Parsing a large file takes seconds; holding the write lock that long would stall the collector,
    and CPA drops what is not popped within its retention. Staging keeps each write short and the final
    move is a single INSERT … SELECT. Raises StoreClosed after the database is closed.
    """

    _names = itertools.count(1)

    def __init__(self, db: Database) -> None:
        self._db = db
        self._table = f"temp.import_staging_{next(self._names)}"
        columns = ", ".join(EVENT_COLUMNS)
        self._insert = f"INSERT INTO {self._table} ({columns}) VALUES ({', '.join('?' for _ in EVENT_COLUMNS)})"
        self._intern = intern_texts_sql(self._table)
        self._move = pack_rows_sql(self._table, EVENT_COLUMNS)
        self.staged = 0
        db.write(lambda conn: conn.execute(
            f"CREATE TEMP TABLE {self._table.removeprefix('temp.')} AS SELECT {columns} FROM usage_events WHERE 0"))

    def stage(self, rows: Sequence[EventRow]) -> None:
        self._db.write(lambda conn: conn.executemany(self._insert, rows))
        self.staged += len(rows)

    def commit(self) -> BatchResult:
        """Move every staged row into usage_events (duplicates skipped) with rollups and labels; one
        transaction. The staging table is dropped either way."""
        try:
            return self._db.write(self._move_all)
        finally:
            self.discard()

    def _move_all(self, conn: sqlite3.Connection) -> BatchResult:
        max_before = conn.execute(LAST_ID).fetchone()[0]
        conn.execute(self._intern)
        changes_before = conn.total_changes
        conn.execute(self._move)
        inserted = conn.total_changes - changes_before
        if inserted:
            for statement in (*ROLLUP_NEW_EVENTS, *LABEL_STATEMENTS):
                conn.execute(statement, {"after": max_before})
            conn.execute(BUMP_COUNTER, {"delta": inserted, "name": "events"})
        return BatchResult(inserted=inserted, skipped=self.staged - inserted, dead_letters=0)

    def discard(self) -> None:
        """Drop the staging table; idempotent, and quiet once the database is closed."""
        with contextlib.suppress(StoreClosed, sqlite3.Error):
            self._db.write(lambda conn: conn.execute(f"DROP TABLE IF EXISTS {self._table}"))
