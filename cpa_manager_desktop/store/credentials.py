"""Credential snapshots: what CPA's credential list said about each auth_index, and since when."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import NamedTuple

from cpa_manager_desktop.store.db import Database


class CredentialSnapshot(NamedTuple):
    auth_index: str
    at_ms: int
    account: str | None
    label: str | None
    file: str | None
    provider: str | None

    def same_names(self, other: CredentialSnapshot) -> bool:
        return self[2:] == other[2:]


_LATEST = ("SELECT s.auth_index, s.at_ms, s.account, s.label, s.file, s.provider FROM credential_snapshots s "
           "WHERE s.at_ms = (SELECT MAX(at_ms) FROM credential_snapshots t WHERE t.auth_index = s.auth_index)")


class CredentialStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, snapshots: Iterable[CredentialSnapshot]) -> int:
        """Keeps each snapshot whose names differ from the latest one of its credential; returns how many."""
        wanted = list(snapshots)

        def write(conn: sqlite3.Connection) -> int:
            latest = {row[0]: CredentialSnapshot(*row) for row in conn.execute(_LATEST)}
            new = [s for s in wanted if s.auth_index not in latest or not s.same_names(latest[s.auth_index])]
            conn.executemany("INSERT OR REPLACE INTO credential_snapshots VALUES (?, ?, ?, ?, ?, ?)", new)
            return len(new)

        return self._db.write(write)

    def history(self) -> dict[str, list[CredentialSnapshot]]:
        """Every credential's snapshots, oldest first (a handful per credential)."""
        rows = self._db.read(lambda c: c.execute(
            "SELECT auth_index, at_ms, account, label, file, provider FROM credential_snapshots "
            "ORDER BY auth_index, at_ms").fetchall())
        history: dict[str, list[CredentialSnapshot]] = {}
        for row in rows:
            history.setdefault(row[0], []).append(CredentialSnapshot(*row))
        return history
