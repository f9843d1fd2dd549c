"""Migration 5: prices with tiers (issue 12 §3): a 1-hour cache-write price, and long-context and
service tiers as JSON (`{"context": [{"aboveTokens", "input", "output", "cacheRead", "cacheWrite"}],
"service": {"priority": {...}, "flex": {...}}}`). Frozen: its SQL is written out here."""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    "ALTER TABLE model_prices ADD COLUMN cache_write_1h_per_1m REAL",
    "ALTER TABLE model_prices ADD COLUMN tiers_json TEXT",
)


def apply(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
