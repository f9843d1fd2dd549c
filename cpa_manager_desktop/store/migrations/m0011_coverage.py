"""Migration 11: the coverage ledger (issue 17). `coverage_gaps` holds every interval in which collection
could not have seen all events, with its reason; at most one is open (end_ms NULL), which a partial
unique index enforces, and (start_ms, reason) is unique so a replayed write never duplicates a gap.
`coverage_state` is one row: the last heartbeat and the blind spell in progress, so a restart can tell
how long the app was away. Frozen."""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    "CREATE TABLE coverage_gaps (id INTEGER PRIMARY KEY, start_ms INTEGER NOT NULL, end_ms INTEGER, "
    "reason TEXT NOT NULL, retention_s INTEGER NOT NULL, opened_ms INTEGER NOT NULL, UNIQUE (start_ms, reason))",
    "CREATE UNIQUE INDEX coverage_gaps_one_open ON coverage_gaps ((end_ms IS NULL)) WHERE end_ms IS NULL",
    "CREATE TABLE coverage_state (id INTEGER PRIMARY KEY CHECK (id = 1), heartbeat_ms INTEGER NOT NULL, "
    "retention_s INTEGER NOT NULL, blind_reason TEXT, blind_age_ms INTEGER NOT NULL DEFAULT 0)",
)


def apply(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
