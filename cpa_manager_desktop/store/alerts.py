"""The alert list: one row per incident, opened, cleared (or reopened while it flaps), acknowledged.

`facts` and `evidence` are compact JSON made by the caller; the store keeps them as text. Times are unix
seconds of the wall clock the watch thread was given.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from cpa_manager_desktop.store.db import Database

KEEP_CLEARED_S = 90 * 86400
_COLUMNS = ("id, kind, subject, subject_label, title, message, facts, evidence, opened_s, cleared_s, acknowledged_s, "
            "notified_s")


@dataclass(frozen=True)
class NewAlert:
    kind: str
    subject: str
    subject_label: str
    title: str
    message: str
    facts: str
    evidence: str
    opened_s: int
    cleared_s: int | None = None
    notified_s: int | None = None


@dataclass(frozen=True)
class AlertRow:
    id: int
    kind: str
    subject: str
    subject_label: str
    title: str
    message: str
    facts: str
    evidence: str
    opened_s: int
    cleared_s: int | None
    acknowledged_s: int | None
    notified_s: int | None


class AlertStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, alert: NewAlert) -> int:
        """Store a new incident; returns its id."""
        return self._db.write(lambda c: c.execute(
            "INSERT INTO alerts (kind, subject, subject_label, title, message, facts, evidence, opened_s, "
            "cleared_s, notified_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (alert.kind, alert.subject, alert.subject_label, alert.title, alert.message, alert.facts, alert.evidence,
             alert.opened_s, alert.cleared_s, alert.notified_s)).lastrowid or 0)

    def clear(self, ids: list[int], at_s: int) -> None:
        if ids:
            self._db.write(lambda c: c.executemany(
                "UPDATE alerts SET cleared_s = ? WHERE id = ? AND cleared_s IS NULL", [(at_s, i) for i in ids]))

    def clear_restated(self, alert_id: int, at_s: int, message: str, facts: str, evidence: str) -> None:
        """Clear an alert whose wording changes once it is over (a data gap now has an end)."""
        self._db.write(lambda c: c.execute(
            "UPDATE alerts SET cleared_s = ?, message = ?, facts = ?, evidence = ? WHERE id = ? AND cleared_s IS NULL",
            (at_s, message, facts, evidence, alert_id)))

    def reopen(self, alert_id: int) -> None:
        """The condition came back soon after clearing: the same incident again, not a new one."""
        self._db.write(lambda c: c.execute("UPDATE alerts SET cleared_s = NULL WHERE id = ?", (alert_id,)))

    def acknowledge(self, alert_id: int, at_s: int) -> AlertRow | None:
        """Marks the alert acknowledged (the first time counts); None when there is no such alert."""
        def run(c: sqlite3.Connection) -> AlertRow | None:
            c.execute("UPDATE alerts SET acknowledged_s = COALESCE(acknowledged_s, ?) WHERE id = ?", (at_s, alert_id))
            rows = _rows(c, "WHERE id = ?", (alert_id,))
            return rows[0] if rows else None
        return self._db.write(run)

    def open_alerts(self) -> list[AlertRow]:
        return self._select("WHERE cleared_s IS NULL ORDER BY id", ())

    def latest(self, kind: str, subject: str) -> AlertRow | None:
        """The newest incident about this subject, open or cleared."""
        rows = self._select("WHERE kind = ? AND subject = ? ORDER BY id DESC LIMIT 1", (kind, subject))
        return rows[0] if rows else None

    def listing(self, cleared_since_s: int, limit: int) -> list[AlertRow]:
        """Open alerts first (newest opened first), then those cleared at or after `cleared_since_s`
        (most recently cleared first)."""
        return self._select("WHERE cleared_s IS NULL OR cleared_s >= ? "
                            "ORDER BY cleared_s IS NULL DESC, COALESCE(cleared_s, opened_s) DESC, opened_s DESC, "
                            "id DESC LIMIT ?",
                            (cleared_since_s, limit))

    def newest_time_s(self) -> int:
        """The latest opening or clearing recorded: a clock now behind it has been set back."""
        return self._db.read(lambda c: c.execute(
            "SELECT MAX(COALESCE(MAX(opened_s), 0), COALESCE(MAX(cleared_s), 0)) FROM alerts").fetchone()[0])

    def prune(self, now_s: int) -> int:
        return self._db.write(lambda c: c.execute(
            "DELETE FROM alerts WHERE cleared_s IS NOT NULL AND cleared_s < ?", (now_s - KEEP_CLEARED_S,)).rowcount)

    def _select(self, where: str, params: tuple[object, ...]) -> list[AlertRow]:
        return self._db.read(lambda c: _rows(c, where, params))


def _rows(c: sqlite3.Connection, where: str, params: tuple[object, ...]) -> list[AlertRow]:
    """The alerts matching `where`, read on a connection the caller holds (a read, or inside a write)."""
    return [AlertRow(*r) for r in c.execute(f"SELECT {_COLUMNS} FROM alerts {where}", params).fetchall()]
