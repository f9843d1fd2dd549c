"""The coverage ledger's tables: the gaps (intervals in which collection could not have seen every event)
and the ledger's state (the last heartbeat and the blind spell in progress). Times are unix ms.

Two clocks of one gap. The ledger books a gap in LEDGER time: it opens when unread records began to
expire from CPA's queue (`retention_s` into a blind spell) and closes when collection resumed. What a
reader needs is EVENT time, when the missing requests were made: CPA keeps a record `retention_s`
seconds, so those are the ones queued one retention earlier, [start − retention, end − retention]
(an open gap: up to now − retention). `Gap.missing_from_s`/`missing_until` are the one conversion every
presenter uses, and `overlapping` selects by the same interval.

Writes come from one place (watch/coverage.py) as a LedgerWrite applied in one transaction, so the
heartbeat, a gap closed and the next one opened are never half-written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from cpa_manager_desktop.store.db import Database


class GapReason(StrEnum):
    PAUSED = "paused"              # the user paused collection
    STOPPED = "stopped"            # the collector was not running although a CPA is set up
    FAILING = "failing"            # stopped by an error: a rejected key, a ban, a database that refuses writes
    UNREACHABLE = "unreachable"    # CPA did not answer (retried with backoff)
    NOT_RUNNING = "not_running"    # the app itself was not running (found at start from the last heartbeat)
    SUSPENDED = "suspended"        # the computer slept while CPA, on another machine, kept serving


@dataclass(frozen=True)
class Gap:
    """One interval in ledger time (see the module doc). `end_s` is None while it is still open. The shape
    alerts consume (gaps_opened_since). Show people `missing_from_s` … `missing_until(now_s)`."""

    start_s: float
    end_s: float | None
    reason: GapReason
    retention_s: int = 60
    opened_s: float = 0.0

    @property
    def missing_from_s(self) -> float:
        """When the first request that was never collected was made (the blind spell's start)."""
        return self.start_s - self.retention_s

    @property
    def missing_to_s(self) -> float | None:
        """When the last request that was never collected was made; None while the gap is open. Requests
        made in the last retention before collection resumed were still queued, and were collected."""
        return None if self.end_s is None else self.end_s - self.retention_s

    def missing_until(self, now_s: float) -> float:
        """`missing_to_s`, or for an open gap what has expired unread by `now_s` (growing until it closes)."""
        if self.end_s is not None:
            return self.end_s - self.retention_s
        return max(now_s - self.retention_s, self.missing_from_s)


@dataclass(frozen=True)
class LedgerState:
    heartbeat_ms: int
    retention_s: int
    blind_reason: GapReason | None
    blind_age_ms: int
    open_gap: Gap | None


@dataclass(frozen=True)
class GapOpen:
    start_ms: int
    reason: GapReason
    retention_s: int
    opened_ms: int


@dataclass(frozen=True)
class LedgerWrite:
    """One tick's changes, applied in order: a GapOpen inserts an open gap, an int closes the open gap
    at that time (ms); then the state row is replaced."""

    state: LedgerState
    steps: tuple[GapOpen | int, ...] = ()   # an int closes the open gap at that time (ms)


_SELECT = "SELECT start_ms, end_ms, reason, retention_s, opened_ms FROM coverage_gaps"


def _gap(row: tuple[int, int | None, str, int, int]) -> Gap:
    start_ms, end_ms, reason, retention_s, opened_ms = row
    return Gap(start_ms / 1000, None if end_ms is None else end_ms / 1000, GapReason(reason), retention_s,
               opened_ms / 1000)


class CoverageStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def load_state(self) -> LedgerState | None:
        """The state the last run left, or None on a database that never ran the ledger."""
        return self._db.read(_load_state)

    def apply(self, write: LedgerWrite) -> None:
        self._db.write(lambda c: _apply(c, write))

    def overlapping(self, start_ms: int, end_ms: int, now_ms: int) -> list[Gap]:
        """Gaps whose missing requests (event time: Gap.missing_from_s … missing_until(now)) overlap
        [start_ms, end_ms), oldest first. The SQL repeats Gap's conversion, in ms."""
        return self._db.read(lambda c: [_gap(r) for r in c.execute(
            f"{_SELECT} WHERE start_ms - retention_s * 1000 < :end "
            "AND COALESCE(end_ms, MAX(:now, start_ms)) - retention_s * 1000 > :start ORDER BY start_ms",
            {"start": start_ms, "end": end_ms, "now": now_ms}).fetchall()])

    def opened_since(self, after_ms: int) -> list[Gap]:
        """Gaps recorded after `after_ms` (by when the ledger found them, not where they start: a gap
        found at start from the heartbeat may begin hours earlier)."""
        return self._db.read(lambda c: [_gap(r) for r in c.execute(
            f"{_SELECT} WHERE opened_ms > ? ORDER BY opened_ms, start_ms", (after_ms,)).fetchall()])


def _load_state(conn: sqlite3.Connection) -> LedgerState | None:
    row = conn.execute("SELECT heartbeat_ms, retention_s, blind_reason, blind_age_ms FROM coverage_state "
                       "WHERE id = 1").fetchone()
    if row is None:
        return None
    open_row = conn.execute(f"{_SELECT} WHERE end_ms IS NULL").fetchone()
    reason = GapReason(row[2]) if row[2] else None
    return LedgerState(row[0], row[1], reason, row[3], _gap(open_row) if open_row else None)


def _apply(conn: sqlite3.Connection, write: LedgerWrite) -> None:
    for step in write.steps:
        if isinstance(step, GapOpen):
            # OR IGNORE: the same gap written twice (a tick replayed after a failed commit) stays one row.
            conn.execute("INSERT OR IGNORE INTO coverage_gaps (start_ms, end_ms, reason, retention_s, opened_ms) "
                         "VALUES (?, NULL, ?, ?, ?)",
                         (step.start_ms, step.reason.value, step.retention_s, step.opened_ms))
        else:
            conn.execute("UPDATE coverage_gaps SET end_ms = MAX(start_ms, ?) WHERE end_ms IS NULL", (step,))
            # A gap closed where it opened (a reason changed in the same instant) holds nothing.
            conn.execute("DELETE FROM coverage_gaps WHERE end_ms IS NOT NULL AND end_ms <= start_ms")
    state = write.state
    conn.execute(
        "INSERT INTO coverage_state (id, heartbeat_ms, retention_s, blind_reason, blind_age_ms) "
        "VALUES (1, :heartbeat, :retention, :reason, :age) ON CONFLICT (id) DO UPDATE SET "
        "heartbeat_ms = :heartbeat, retention_s = :retention, blind_reason = :reason, blind_age_ms = :age",
        {"heartbeat": state.heartbeat_ms, "retention": state.retention_s,
         "reason": state.blind_reason.value if state.blind_reason else None, "age": state.blind_age_ms})
