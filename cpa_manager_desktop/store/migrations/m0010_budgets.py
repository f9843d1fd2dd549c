"""Migration 10: spending budgets and the threshold crossings already announced (issue 17). A crossing is
unique per budget, period start and threshold, so a restart or a clock set back never announces it
twice; `notified` is set in the transaction that hands the notice to the tray. `seen_period_start_s` is
the newest period a budget has been evaluated in: a period older than that (the clock went back) is
recorded quietly. Numbered 10 because other branches bring 9. Frozen."""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    "CREATE TABLE budgets (id INTEGER PRIMARY KEY, period TEXT NOT NULL, limit_usd REAL NOT NULL, "
    "scope_kind TEXT NOT NULL, scope_value TEXT NOT NULL DEFAULT '', scope_label TEXT NOT NULL DEFAULT '', "
    "thresholds TEXT NOT NULL, seen_period_start_s INTEGER, created_s INTEGER NOT NULL, "
    "updated_s INTEGER NOT NULL)",
    "CREATE TABLE budget_crossings (budget_id INTEGER NOT NULL REFERENCES budgets (id) ON DELETE CASCADE, "
    "period_start_s INTEGER NOT NULL, threshold INTEGER NOT NULL, crossed_s INTEGER NOT NULL, "
    "spend_usd REAL NOT NULL, unpriced_requests INTEGER NOT NULL, notified INTEGER NOT NULL, "
    "PRIMARY KEY (budget_id, period_start_s, threshold)) WITHOUT ROWID",
)


def apply(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
