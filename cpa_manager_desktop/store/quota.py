"""Quota snapshots: change points per credential, the latest per credential, history over a range,
and pruning. A year is kept, at falling resolution so 1,000 credentials stay small: every row for a
week (what the 7-day sparkline shows); older, the hourly rows that only repeat the row before them go
(the value stays known), and of the changes the first of each 6 hours, after 30 days of each day,
plus every row whose state changed (ok → expired …), so credential states are never thinned away."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from cpa_manager_desktop.store.db import Database

HEARTBEAT_S = 3600
KEEP_S = 366 * 86400
THIN_AFTER_S = 7 * 86400
DAILY_AFTER_S = 30 * 86400
_REPEATS = (
    "DELETE FROM quota_snapshots WHERE (credential_id, at_s) IN (SELECT credential_id, at_s FROM ("
    "SELECT credential_id, at_s, state IS LAG(state) OVER w AND plan IS LAG(plan) OVER w "
    "AND windows IS LAG(windows) OVER w AND detail IS LAG(detail) OVER w AS same "
    "FROM quota_snapshots WHERE at_s < :cut WINDOW w AS (PARTITION BY credential_id ORDER BY at_s)) WHERE same)"
)
_THIN = (
    "DELETE FROM quota_snapshots WHERE (credential_id, at_s) IN (SELECT credential_id, at_s FROM ("
    "SELECT credential_id, at_s, state IS LAG(state) OVER (PARTITION BY credential_id ORDER BY at_s) AS same, "
    "ROW_NUMBER() OVER (PARTITION BY credential_id, CASE WHEN at_s < :daily THEN -1 - at_s / 86400 "
    "ELSE at_s / 21600 END ORDER BY at_s) AS nth FROM quota_snapshots WHERE at_s < :cut) "
    "WHERE nth > 1 AND same)"
)


@dataclass(frozen=True)
class SnapshotRow:
    """One snapshot as stored. `windows` is compact JSON made by the caller; the store compares it as text."""

    auth_index: str
    provider: str
    at_s: int
    state: str
    plan: str | None = None
    windows: str | None = None
    detail: str | None = None

    def same_value(self, other: SnapshotRow) -> bool:
        return (self.state, self.plan, self.windows, self.detail) == (
            other.state, other.plan, other.windows, other.detail)


_SELECT = ("SELECT c.auth_index, c.provider, s.at_s, s.state, s.plan, s.windows, s.detail "
           "FROM quota_snapshots s JOIN quota_credentials c ON c.id = s.credential_id")


class QuotaStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, rows: Iterable[SnapshotRow]) -> int:
        """Store each row whose value differs from its credential's last row, or whose last row is an
        hour old or more. One transaction; returns how many rows were written."""
        batch = list(rows)
        return self._db.write(lambda c: sum(_record_one(c, row) for row in batch)) if batch else 0

    def latest(self) -> list[SnapshotRow]:
        """The newest row of every credential (SQLite returns the MAX row's other columns)."""
        return self._db.read(lambda c: [SnapshotRow(*r) for r in c.execute(
            "SELECT c.auth_index, c.provider, MAX(s.at_s), s.state, s.plan, s.windows, s.detail "
            "FROM quota_snapshots s JOIN quota_credentials c ON c.id = s.credential_id "
            "GROUP BY s.credential_id ORDER BY c.auth_index").fetchall()])

    def history(self, auth_index: str, start_s: int, end_s: int) -> list[SnapshotRow]:
        """Rows in [start_s, end_s), plus the last row before start_s: the value in force at the start."""
        def query(c: sqlite3.Connection) -> list[SnapshotRow]:
            before = c.execute(f"{_SELECT} WHERE c.auth_index = ? AND s.at_s < ? ORDER BY s.at_s DESC LIMIT 1",
                               (auth_index, start_s)).fetchall()
            inside = c.execute(f"{_SELECT} WHERE c.auth_index = ? AND s.at_s >= ? AND s.at_s < ? ORDER BY s.at_s",
                               (auth_index, start_s, end_s)).fetchall()
            return [SnapshotRow(*r) for r in (*before, *inside)]
        return self._db.read(query)

    def prune(self, now_s: int) -> int:
        """Drop rows older than a year; older than a week, drop repeats, then thin the changes to one per 6
        hours (one per day after 30 days), state changes kept."""
        def run(c: sqlite3.Connection) -> int:
            old = c.execute("DELETE FROM quota_snapshots WHERE at_s < ?", (now_s - KEEP_S,)).rowcount
            repeats = c.execute(_REPEATS, {"cut": now_s - THIN_AFTER_S}).rowcount
            thinned = c.execute(_THIN, {"cut": now_s - THIN_AFTER_S, "daily": now_s - DAILY_AFTER_S}).rowcount
            return old + repeats + thinned
        return self._db.write(run)

    def count(self) -> int:
        return self._db.read(lambda c: c.execute("SELECT COUNT(*) FROM quota_snapshots").fetchone()[0])


def _credential_id(c: sqlite3.Connection, auth_index: str, provider: str) -> int:
    c.execute("INSERT INTO quota_credentials (auth_index, provider) VALUES (?, ?) "
              "ON CONFLICT (auth_index) DO UPDATE SET provider = excluded.provider", (auth_index, provider))
    return c.execute("SELECT id FROM quota_credentials WHERE auth_index = ?", (auth_index,)).fetchone()[0]


def _record_one(c: sqlite3.Connection, row: SnapshotRow) -> int:
    credential = _credential_id(c, row.auth_index, row.provider)
    last = c.execute("SELECT at_s, state, plan, windows, detail FROM quota_snapshots WHERE credential_id = ? "
                     "ORDER BY at_s DESC LIMIT 1", (credential,)).fetchone()
    if last is not None:
        previous = SnapshotRow(row.auth_index, row.provider, *last)
        if row.at_s < previous.at_s or (row.same_value(previous) and row.at_s - previous.at_s < HEARTBEAT_S):
            return 0
    # Two readings in one second (a refresh right after a pass): the later one stands.
    c.execute("INSERT OR REPLACE INTO quota_snapshots (credential_id, at_s, state, plan, windows, detail) "
              "VALUES (?, ?, ?, ?, ?, ?)", (credential, row.at_s, row.state, row.plan, row.windows, row.detail))
    return 1
