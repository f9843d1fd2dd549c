"""Budgets and their threshold crossings. A crossing row is unique per budget, period start and threshold:
recording is INSERT OR IGNORE, so only a threshold never recorded for that period comes back as new, and
handing notices out flips `notified` in the same transaction that reads them (each is taken once)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cpa_manager_desktop.store.db import Database


@dataclass(frozen=True)
class BudgetRow:
    """A budget as stored: `period` daily|weekly|monthly, `scope_kind` overall|provider|apiKey, thresholds
    in percent, ascending."""

    id: int
    period: str
    limit_usd: float
    scope_kind: str
    scope_value: str
    scope_label: str
    thresholds: tuple[int, ...]
    seen_period_start_s: int | None
    created_s: int
    updated_s: int


@dataclass(frozen=True)
class BudgetFields:
    """What a user sets on a budget."""

    period: str
    limit_usd: float
    scope_kind: str
    scope_value: str
    scope_label: str
    thresholds: tuple[int, ...]


@dataclass(frozen=True)
class CrossingRow:
    budget_id: int
    period_start_s: int
    threshold: int
    crossed_s: int
    spend_usd: float
    unpriced_requests: int


_SELECT = ("SELECT id, period, limit_usd, scope_kind, scope_value, scope_label, thresholds, seen_period_start_s, "
           "created_s, updated_s FROM budgets")


def _budget(row: tuple[Any, ...]) -> BudgetRow:
    thresholds = tuple(int(t) for t in row[6].split(",") if t)
    return BudgetRow(row[0], row[1], row[2], row[3], row[4], row[5], thresholds, row[7], row[8], row[9])


def _text(thresholds: Sequence[int]) -> str:
    return ",".join(str(t) for t in thresholds)


class BudgetStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> list[BudgetRow]:
        return self._db.read(lambda c: [_budget(r) for r in c.execute(f"{_SELECT} ORDER BY id").fetchall()])

    def get(self, budget_id: int) -> BudgetRow | None:
        row = self._db.read(lambda c: c.execute(f"{_SELECT} WHERE id = ?", (budget_id,)).fetchone())
        return _budget(row) if row else None

    def add(self, fields: BudgetFields, now_s: int) -> int:
        def write(c: sqlite3.Connection) -> int:
            cursor = c.execute(
                "INSERT INTO budgets (period, limit_usd, scope_kind, scope_value, scope_label, thresholds, "
                "created_s, updated_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (fields.period, fields.limit_usd, fields.scope_kind, fields.scope_value, fields.scope_label,
                 _text(fields.thresholds), now_s, now_s))
            return int(cursor.lastrowid or 0)
        return self._db.write(write)

    def update(self, budget_id: int, fields: BudgetFields, now_s: int, *, forget_crossings: bool) -> bool:
        """Replace what the user set; with `forget_crossings` (the limit, period or scope changed: in effect
        a new budget) its recorded crossings and seen period go too. False if there is no such budget."""
        def write(c: sqlite3.Connection) -> bool:
            changed = c.execute(
                "UPDATE budgets SET period = ?, limit_usd = ?, scope_kind = ?, scope_value = ?, scope_label = ?, "
                "thresholds = ?, updated_s = ? WHERE id = ?",
                (fields.period, fields.limit_usd, fields.scope_kind, fields.scope_value, fields.scope_label,
                 _text(fields.thresholds), now_s, budget_id)).rowcount
            if changed and forget_crossings:
                c.execute("DELETE FROM budget_crossings WHERE budget_id = ?", (budget_id,))
                c.execute("UPDATE budgets SET seen_period_start_s = NULL WHERE id = ?", (budget_id,))
            return bool(changed)
        return self._db.write(write)

    def delete(self, budget_id: int) -> bool:
        return self._db.write(lambda c: bool(c.execute("DELETE FROM budgets WHERE id = ?", (budget_id,)).rowcount))

    def crossed(self, budget_id: int, period_start_s: int) -> list[int]:
        """Thresholds recorded as crossed in this period, ascending."""
        return self._db.read(lambda c: [r[0] for r in c.execute(
            "SELECT threshold FROM budget_crossings WHERE budget_id = ? AND period_start_s = ? ORDER BY threshold",
            (budget_id, period_start_s)).fetchall()])

    def record(self, crossings: Sequence[CrossingRow], *, seen_period_start_s: int, quiet: bool) -> list[int]:
        """Records the crossings of one budget and period, and raises the budget's seen period to
        `seen_period_start_s` (never lowers it). Returns the thresholds that were new. Quiet ones are
        stored as already notified."""
        if not crossings:
            return []
        budget_id = crossings[0].budget_id

        def write(c: sqlite3.Connection) -> list[int]:
            new = []
            for x in crossings:
                if c.execute("INSERT OR IGNORE INTO budget_crossings (budget_id, period_start_s, threshold, "
                             "crossed_s, spend_usd, unpriced_requests, notified) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (x.budget_id, x.period_start_s, x.threshold, x.crossed_s, x.spend_usd,
                              x.unpriced_requests, int(quiet))).rowcount:
                    new.append(x.threshold)
            _raise_seen(c, budget_id, seen_period_start_s)
            return new
        return self._db.write(write)

    def mark_seen(self, budget_id: int, period_start_s: int) -> int | None:
        """Raises the budget's seen period to period_start_s; returns the one stored before."""
        def write(c: sqlite3.Connection) -> int | None:
            row = c.execute("SELECT seen_period_start_s FROM budgets WHERE id = ?", (budget_id,)).fetchone()
            _raise_seen(c, budget_id, period_start_s)
            return row[0] if row else None
        return self._db.write(write)

    def take_unnotified(self) -> list[CrossingRow]:
        """Every crossing not yet handed out, marked notified in the same transaction (each is taken once)."""
        def write(c: sqlite3.Connection) -> list[CrossingRow]:
            rows = c.execute("SELECT budget_id, period_start_s, threshold, crossed_s, spend_usd, unpriced_requests "
                             "FROM budget_crossings WHERE notified = 0 ORDER BY crossed_s, budget_id, threshold"
                             ).fetchall()
            if rows:
                c.execute("UPDATE budget_crossings SET notified = 1 WHERE notified = 0")
            return [CrossingRow(*r) for r in rows]
        return self._db.write(write)

    def has_unnotified(self) -> bool:
        return self._db.read(lambda c: c.execute(
            "SELECT EXISTS (SELECT 1 FROM budget_crossings WHERE notified = 0)").fetchone()[0] == 1)


def _raise_seen(c: sqlite3.Connection, budget_id: int, period_start_s: int) -> None:
    c.execute("UPDATE budgets SET seen_period_start_s = ? WHERE id = ? "
              "AND (seen_period_start_s IS NULL OR seen_period_start_s < ?)",
              (period_start_s, budget_id, period_start_s))
