"""Migration 9: Codex account inspection (issue 16). Past runs with their settings, counts and results
(pruned to the newest few by current code), and the record of who disabled which credential, which the
enable rule consults so automation never re-enables a credential a person disabled; `stamp` is the
credential's modification time as CPA listed it after our disable (a later change means someone else
touched it). Frozen."""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    "CREATE TABLE inspection_runs (id INTEGER PRIMARY KEY, started_s INTEGER NOT NULL, finished_s INTEGER, "
    "state TEXT NOT NULL, settings TEXT NOT NULL, total INTEGER NOT NULL DEFAULT 0, error TEXT)",
    "CREATE TABLE inspection_results (run_id INTEGER NOT NULL REFERENCES inspection_runs (id), "
    "seq INTEGER NOT NULL, auth_index TEXT NOT NULL, name TEXT NOT NULL, account TEXT NOT NULL, plan TEXT, "
    "disabled INTEGER, http_status INTEGER, used_percent REAL, action TEXT NOT NULL, reason TEXT NOT NULL, "
    "reason_values TEXT NOT NULL, executed_s INTEGER, execution_error TEXT, PRIMARY KEY (run_id, seq)) "
    "WITHOUT ROWID",
    "CREATE TABLE credential_disables (auth_index TEXT PRIMARY KEY, name TEXT NOT NULL, "
    "disabled_by TEXT NOT NULL, at_s INTEGER NOT NULL, run_id INTEGER, stamp TEXT)",
)


def apply(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
