"""Usage events, their hourly rollups and dead letters.

Rollups are maintained in the same transaction as the events they summarise, so totals never drift
from the raw rows. Newly inserted rows are found as `id > max(id) before the insert`: the writer lock
guarantees nobody else inserts in between, and this keeps the insert a single fast executemany.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.rollups import ROLLUPS
from cpa_manager_desktop.store.rows import EVENT_COLUMNS, DeadLetterRow, EventRow
from cpa_manager_desktop.store.schema import LABEL_STATEMENTS

# ON CONFLICT(event_key), not INSERT OR IGNORE: OR IGNORE would also drop rows that break NOT NULL,
# silently counting a bad row as a duplicate.
INSERT_EVENTS = (
    f"INSERT INTO usage_events ({', '.join(EVENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in EVENT_COLUMNS)}) ON CONFLICT (event_key) DO NOTHING"
)
ROLLUP_NEW_EVENTS = tuple(rollup.upsert_sql() for rollup in ROLLUPS)
INSERT_DEAD_LETTER = (
    "INSERT INTO dead_letters (received_ns, transport, error, payload) VALUES (?, ?, ?, ?)"
)
BUMP_COUNTER = "UPDATE counters SET value = value + :delta WHERE name = :name"


@dataclass(frozen=True)
class BatchResult:
    inserted: int
    skipped: int
    dead_letters: int


@dataclass(frozen=True)
class Counts:
    events: int
    dead_letters: int


class EventStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add_batch(self, rows: Sequence[EventRow], dead_letters: Sequence[DeadLetterRow] = ()) -> BatchResult:
        """Commit rows (duplicates skipped by content key) and dead letters in one transaction."""
        return self._db.write(lambda conn: _add_batch(conn, rows, dead_letters))

    def counts(self) -> Counts:
        """Row counts from maintained counters: O(1), never a table scan."""
        values = self._db.read(lambda conn: dict(conn.execute("SELECT name, value FROM counters").fetchall()))
        return Counts(events=values.get("events", 0), dead_letters=values.get("dead_letters", 0))


def _add_batch(
    conn: sqlite3.Connection, rows: Sequence[EventRow], dead_letters: Sequence[DeadLetterRow]
) -> BatchResult:
    inserted = 0
    if rows:
        max_before = conn.execute("SELECT COALESCE(MAX(id), 0) FROM usage_events").fetchone()[0]
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
