"""Migration 6: CPA's credential list as it was when events were collected (issue 12 §6), so renamed or
deleted credentials keep their names in /usage details. A row per credential and change. Frozen."""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    "CREATE TABLE credential_snapshots (auth_index TEXT NOT NULL, at_ms INTEGER NOT NULL, account TEXT, "
    "label TEXT, file TEXT, provider TEXT, PRIMARY KEY (auth_index, at_ms)) WITHOUT ROWID",
)


def apply(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
