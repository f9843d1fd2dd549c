"""Codex inspection runs, their results, and the record of who disabled which credential.

Rows carry plain values (actions and reasons as their codes); quota/ turns them into types. Runs are
pruned to the newest KEEP_RUNS. The disable record has one row per disabled credential we know of:
`inspection` when our inspection disabled it, `manual` when we saw it disabled without having done it,
or saw it changed since we disabled it (its modification stamp moved: someone enabled and disabled it
again, or edited it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cpa_manager_desktop.store.db import Database

KEEP_RUNS = 50
INSPECTION = "inspection"
MANUAL = "manual"


@dataclass(frozen=True)
class RunRow:
    id: int
    started_s: int
    finished_s: int | None
    state: str
    settings: str  # JSON made by the caller
    total: int
    error: str | None
    counts: tuple[tuple[str, int], ...] = ()  # (action, results) in action order
    checked: int = 0


@dataclass(frozen=True)
class ResultRow:
    run_id: int
    seq: int
    auth_index: str
    name: str
    account: str  # masked before it is stored
    plan: str | None
    disabled: bool | None
    http_status: int | None
    used_percent: float | None
    action: str
    reason: str
    reason_values: str  # JSON
    executed_s: int | None = None
    execution_error: str | None = None


@dataclass(frozen=True)
class Sighting:
    """A credential as a run saw it in CPA's list; disabled None when CPA gave no status; stamp its
    modification time as CPA lists it (None when it lists none)."""

    auth_index: str
    name: str
    disabled: bool | None
    stamp: str | None = None


_RUN = "SELECT id, started_s, finished_s, state, settings, total, error FROM inspection_runs"
_RESULT = ("SELECT run_id, seq, auth_index, name, account, plan, disabled, http_status, used_percent, action, "
           "reason, reason_values, executed_s, execution_error FROM inspection_results")


class InspectionStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ---- runs ----

    def create_run(self, started_s: int, settings: str) -> int:
        return self._db.write(lambda c: c.execute(
            "INSERT INTO inspection_runs (started_s, state, settings) VALUES (?, 'running', ?)",
            (started_s, settings)).lastrowid)

    def set_total(self, run_id: int, total: int) -> None:
        self._db.write(lambda c: c.execute("UPDATE inspection_runs SET total = ? WHERE id = ?", (total, run_id)))

    def finish_run(self, run_id: int, finished_s: int, state: str, error: str | None = None) -> None:
        self._db.write(lambda c: c.execute(
            "UPDATE inspection_runs SET finished_s = ?, state = ?, error = ? WHERE id = ?",
            (finished_s, state, error, run_id)))

    def interrupt_running(self, now_s: int) -> int:
        """Runs left `running` by a process that ended mid-run; returns how many were closed."""
        return self._db.write(lambda c: c.execute(
            "UPDATE inspection_runs SET state = 'interrupted', finished_s = ? WHERE state = 'running'",
            (now_s,)).rowcount)

    def runs(self, limit: int = KEEP_RUNS) -> list[RunRow]:
        """Newest first, each with its counts per action."""
        def query(c: sqlite3.Connection) -> list[RunRow]:
            rows = c.execute(f"{_RUN} ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
            return [_with_counts(c, RunRow(*r)) for r in rows]
        return self._db.read(query)

    def run(self, run_id: int) -> RunRow | None:
        def query(c: sqlite3.Connection) -> RunRow | None:
            row = c.execute(f"{_RUN} WHERE id = ?", (run_id,)).fetchone()
            return _with_counts(c, RunRow(*row)) if row else None
        return self._db.read(query)

    def newest_run_id(self) -> int | None:
        return self._db.read(lambda c: c.execute("SELECT MAX(id) FROM inspection_runs").fetchone()[0])

    def prune(self, keep: int = KEEP_RUNS) -> int:
        """Drop all but the newest `keep` runs with their results; returns the runs dropped."""
        def run(c: sqlite3.Connection) -> int:
            cut = "SELECT id FROM inspection_runs ORDER BY id DESC LIMIT -1 OFFSET ?"
            c.execute(f"DELETE FROM inspection_results WHERE run_id IN ({cut})", (keep,))
            return c.execute(f"DELETE FROM inspection_runs WHERE id IN ({cut})", (keep,)).rowcount
        return self._db.write(run)

    # ---- results ----

    def add_results(self, rows: Sequence[ResultRow]) -> None:
        if rows:
            self._db.write(lambda c: c.executemany(
                "INSERT INTO inspection_results (run_id, seq, auth_index, name, account, plan, disabled, http_status, "
                "used_percent, action, reason, reason_values) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(r.run_id, r.seq, r.auth_index, r.name, r.account, r.plan, r.disabled, r.http_status,
                  r.used_percent, r.action, r.reason, r.reason_values) for r in rows]))

    def results(self, run_id: int) -> list[ResultRow]:
        return self._db.read(lambda c: [_result(r) for r in c.execute(
            f"{_RESULT} WHERE run_id = ? ORDER BY seq", (run_id,)).fetchall()])

    def result(self, run_id: int, seq: int) -> ResultRow | None:
        row = self._db.read(lambda c: c.execute(f"{_RESULT} WHERE run_id = ? AND seq = ?", (run_id, seq)).fetchone())
        return _result(row) if row else None

    def mark_executed(self, run_id: int, seq: int, at_s: int, error: str | None) -> None:
        self._db.write(lambda c: c.execute(
            "UPDATE inspection_results SET executed_s = ?, execution_error = ? WHERE run_id = ? AND seq = ?",
            (at_s, error, run_id, seq)))

    # ---- who disabled what ----

    def observe(self, seen: Iterable[Sighting], at_s: int, run_id: int) -> dict[str, str]:
        """Bring the disable record in line with what CPA lists, in one transaction: a credential seen
        disabled that we have no record of was disabled by someone else (manual), and so was one of ours
        whose stamp changed since we disabled it; one seen enabled has no disabler any more. Credentials
        without a known status change nothing. Returns the record for the credentials seen
        (auth_index → inspection | manual)."""
        sightings = [s for s in seen if s.auth_index]

        def run(c: sqlite3.Connection) -> dict[str, str]:
            for s in sightings:
                if s.disabled is True:
                    c.execute("INSERT OR IGNORE INTO credential_disables (auth_index, name, disabled_by, at_s, run_id, "
                              "stamp) VALUES (?, ?, ?, ?, ?, ?)", (s.auth_index, s.name, MANUAL, at_s, run_id, s.stamp))
                    if s.stamp is not None:
                        c.execute("UPDATE credential_disables SET disabled_by = ?, at_s = ?, run_id = ?, stamp = ? "
                                  "WHERE auth_index = ? AND disabled_by = ? AND stamp IS NOT NULL AND stamp <> ?",
                                  (MANUAL, at_s, run_id, s.stamp, s.auth_index, INSPECTION, s.stamp))
                elif s.disabled is False:
                    c.execute("DELETE FROM credential_disables WHERE auth_index = ?", (s.auth_index,))
            return _disablers(c, [s.auth_index for s in sightings])
        return self._db.write(run)

    def disabled_by(self, auth_index: str) -> str | None:
        row = self._db.read(lambda c: c.execute(
            "SELECT disabled_by FROM credential_disables WHERE auth_index = ?", (auth_index,)).fetchone())
        return row[0] if row else None

    def record_disable(self, auth_index: str, name: str, by: str, at_s: int, run_id: int | None) -> None:
        self._db.write(lambda c: c.execute(
            "INSERT OR REPLACE INTO credential_disables (auth_index, name, disabled_by, at_s, run_id) "
            "VALUES (?, ?, ?, ?, ?)", (auth_index, name, by, at_s, run_id)))

    def set_stamps(self, stamps: dict[str, str]) -> None:
        """The stamps CPA lists right after our disables, for our records that have none yet."""
        if stamps:
            self._db.write(lambda c: c.executemany(
                "UPDATE credential_disables SET stamp = ? WHERE auth_index = ? AND disabled_by = ? AND stamp IS NULL",
                [(stamp, index, INSPECTION) for index, stamp in stamps.items()]))

    def forget_disable(self, auth_index: str) -> None:
        self._db.write(lambda c: c.execute("DELETE FROM credential_disables WHERE auth_index = ?", (auth_index,)))

    def disables(self) -> dict[str, str]:
        """The whole record: auth_index → inspection | manual."""
        return self._db.read(lambda c: dict(c.execute(
            "SELECT auth_index, disabled_by FROM credential_disables").fetchall()))


def _with_counts(c: sqlite3.Connection, run: RunRow) -> RunRow:
    counts = c.execute("SELECT action, COUNT(*) FROM inspection_results WHERE run_id = ? GROUP BY action "
                       "ORDER BY action", (run.id,)).fetchall()
    return RunRow(run.id, run.started_s, run.finished_s, run.state, run.settings, run.total, run.error,
                  tuple((a, n) for a, n in counts), sum(n for _, n in counts))


def _result(row: tuple) -> ResultRow:  # type: ignore[type-arg]
    values = list(row)
    values[6] = None if values[6] is None else bool(values[6])
    return ResultRow(*values)


def _disablers(c: sqlite3.Connection, indexes: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(indexes), 500):  # SQLite's bound-parameter limit
        chunk = indexes[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(c.execute(f"SELECT auth_index, disabled_by FROM credential_disables WHERE auth_index IN ({marks})",
                               chunk).fetchall())
    return found
