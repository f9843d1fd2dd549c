"""Quota snapshots on a real SQLite file: written on change or hourly, latest, history, pruning."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.quota import HEARTBEAT_S, KEEP_S, THIN_AFTER_S, QuotaStore, SnapshotRow

T0 = 1_796_000_000


@pytest.fixture
def store(tmp_path: Path) -> QuotaStore:
    db = Database(tmp_path / "usage.sqlite")
    yield QuotaStore(db)
    db.close()


def row(at_s: int, used: int = 10, auth_index: str = "a1", state: str = "ok") -> SnapshotRow:
    return SnapshotRow(auth_index, "codex", at_s, state, "plus", f'{{"weekly":[{used},null]}}')


def test_a_row_only_when_the_value_changes_or_an_hour_passed(store: QuotaStore) -> None:
    written = [store.record([row(T0 + t, used)]) for t, used in (
        (0, 10), (900, 10), (1800, 10), (2700, 12), (3600, 12), (2700 + HEARTBEAT_S, 12), (6400, 12))]
    assert written == [1, 0, 0, 1, 0, 1, 0]
    assert [r.at_s - T0 for r in store.history("a1", T0, T0 + 10_000)] == [0, 2700, 2700 + HEARTBEAT_S]


def test_a_state_change_is_a_row_even_within_the_hour(store: QuotaStore) -> None:
    store.record([row(T0)])
    assert store.record([SnapshotRow("a1", "codex", T0 + 60, "expired", None, None, "HTTP 401")]) == 1
    assert store.latest() == [SnapshotRow("a1", "codex", T0 + 60, "expired", None, None, "HTTP 401")]


def test_latest_is_the_newest_row_of_each_credential(store: QuotaStore) -> None:
    store.record([row(T0, 5, "a1"), row(T0, 50, "b2")])
    store.record([row(T0 + 900, 6, "a1")])
    assert store.latest() == [row(T0 + 900, 6, "a1"), row(T0, 50, "b2")]


def test_history_starts_with_the_value_in_force(store: QuotaStore) -> None:
    for i in range(5):
        store.record([row(T0 + i * HEARTBEAT_S, i)])
    rows = store.history("a1", T0 + 2 * HEARTBEAT_S - 1, T0 + 4 * HEARTBEAT_S)
    assert [r.at_s - T0 for r in rows] == [HEARTBEAT_S, 2 * HEARTBEAT_S, 3 * HEARTBEAT_S]
    assert store.history("zz", T0, T0 + 10**6) == []


def test_pruning_keeps_a_year_and_thins_old_heartbeats(store: QuotaStore) -> None:
    now = T0 + KEEP_S + 30 * 86400
    store.record([row(T0 - 10)])  # older than a year
    start = now - THIN_AFTER_S - 4 * HEARTBEAT_S  # rows 0–3 are older than a week
    for i in range(6):
        store.record([row(start + i * HEARTBEAT_S, 7 if i != 1 else 8)])
    assert store.prune(now) == 1 + 1
    kept = [r.at_s - start for r in store.history("a1", 0, now)]
    # 0 (first), 1 (changed), 2 (back: a change), 3 is a repeat older than a week: gone; 4, 5 are recent
    assert kept == [0, HEARTBEAT_S, 2 * HEARTBEAT_S, 4 * HEARTBEAT_S, 5 * HEARTBEAT_S]
