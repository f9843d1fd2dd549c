"""Quota snapshots on a real SQLite file: written on change or hourly, latest, history, pruning."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.quota import (
    DAILY_AFTER_S,
    HEARTBEAT_S,
    KEEP_S,
    THIN_AFTER_S,
    QuotaStore,
    SnapshotRow,
)

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


def test_pruning_keeps_a_year_at_falling_resolution(store: QuotaStore) -> None:
    now = T0 + 400 * 86400
    store.record([row(now - KEEP_S - 10)])                      # older than a year: gone
    week, month = now - THIN_AFTER_S, now - DAILY_AFTER_S
    six_hours = 6 * HEARTBEAT_S
    recent = [week + 60 + i * 900 for i in range(8)]            # inside the week: all kept
    sixly = [(week // six_hours - 3) * six_hours + i * 1800 for i in range(8)]  # 4 h in one 6-hour bucket
    daily = [(month // 86400 - 5) * 86400 + i * 7200 for i in range(10)]       # 20 h in one day
    rows = [row(at, used) for used, at in enumerate(daily + sixly + recent)]
    rows += [row(daily[3] + 1, state="expired"),                # a state change is kept in any tier
             row(daily[3] + 2, 99)]                             # and so is the change back
    for each in sorted(rows, key=lambda r: r.at_s):
        assert store.record([each]) == 1
    assert store.prune(now) == 1 + 7 + 9  # the year-old row; 7 of the 6-hour bucket; 9 of the day
    kept = [r.at_s for r in store.history("a1", 0, now)]
    assert kept == [daily[0], daily[3] + 1, daily[3] + 2, sixly[0], *recent]


def test_two_readings_in_one_second_keep_the_later(store: QuotaStore) -> None:
    store.record([row(T0, 5)])
    assert store.record([row(T0, 6)]) == 1
    assert store.record([row(T0 - 1, 7)]) == 0  # never behind the last row
    assert store.history("a1", 0, T0 + 1) == [row(T0, 6)]


def test_older_than_a_week_repeats_go_and_the_value_stays_known(store: QuotaStore) -> None:
    now = T0 + 30 * 86400
    start = now - THIN_AFTER_S - 14 * HEARTBEAT_S  # 14 hourly rows older than a week: three 6-hour buckets
    for i in range(15):
        store.record([row(start + i * HEARTBEAT_S, 7)])
    store.prune(now)
    assert [r.at_s - start for r in store.history("a1", 0, now)] == [0, 14 * HEARTBEAT_S]
