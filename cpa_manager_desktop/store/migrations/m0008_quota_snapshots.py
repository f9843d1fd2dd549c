"""Migration 7: quota snapshots (issue 16). A credential's quota is kept as change points: a row when
its state, plan or windows change, or when the last row is an hour old. Credentials get a small integer
id so the year of rows stays small. Numbered 7 because branch usage-truth brings 4–6. No index on
at_s: pruning scans once a day, and an index would cost ~15 % of the store. Frozen."""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    "CREATE TABLE quota_credentials (id INTEGER PRIMARY KEY, auth_index TEXT NOT NULL UNIQUE, "
    "provider TEXT NOT NULL)",
    "CREATE TABLE quota_snapshots (credential_id INTEGER NOT NULL, at_s INTEGER NOT NULL, state TEXT NOT NULL, "
    "plan TEXT, windows TEXT, detail TEXT, PRIMARY KEY (credential_id, at_s)) WITHOUT ROWID",
)


def apply(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
