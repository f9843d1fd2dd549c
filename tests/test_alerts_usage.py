"""Failure and spend spikes judged from real stored events (the rollups and raw edges), on a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cpa_manager_desktop.analytics.service import AnalyticsService
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.store.alerts import AlertStore
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.prices import PriceStore
from cpa_manager_desktop.store.settings import SettingsStore
from cpa_manager_desktop.watch.alerts import AlertWatch, NoGaps
from cpa_manager_desktop.watch.alerts_figures import UsageFigures
from cpa_manager_desktop.watch.alerts_settings import AlertSettingsStore
from tests.cpa_double import make_record
from tests.cpa_double.schema import auth_index_for
from tests.test_alerts import RUNNING

NOW = datetime(2026, 11, 30, 12, 30, tzinfo=UTC)
ALICE, BOB = "alice@example.com", "bob@example.com"


class Events:
    def __init__(self, db: Database) -> None:
        self._store = EventStore(db)
        self._seq = 0

    def add(self, when: datetime, count: int, *, failures: int = 0, source: str = ALICE, **fields: Any) -> None:
        rows = []
        for n in range(count):
            self._seq += 1
            record = make_record(seq=self._seq, request_id=f"r{self._seq:06d}", source=source,
                                 failed=n < failures, timestamp=when + timedelta(seconds=n), **fields)
            rows.append(classify(record))
        self._store.add_batch(rows)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "usage.sqlite")
    yield database
    database.close()


def watch(db: Database) -> AlertWatch:
    figures = UsageFigures(db, AnalyticsService(db, PriceStore(db)))
    return AlertWatch(AlertStore(db), AlertSettingsStore(SettingsStore(db)), lambda: RUNNING, figures, NoGaps(),
                      clock=NOW.timestamp)


def test_a_failure_spike_on_one_credential_alerts_for_that_credential_only(db: Database) -> None:
    events = Events(db)
    for day in range(1, 7):                    # the usual week: about 1 % failures for both
        events.add(NOW - timedelta(days=day), 50, failures=1, source=ALICE)
        events.add(NOW - timedelta(days=day, hours=2), 50, failures=1, source=BOB)
    events.add(NOW - timedelta(minutes=40), 30, failures=15, source=ALICE)
    # Bob is busy and healthy on the same client key, so the key's own rate (15 of 230) stays usual.
    events.add(NOW - timedelta(minutes=30), 200, source=BOB)

    alerts = watch(db)
    alerts.update_settings({"kinds": {"spend_spike": False}})   # the made-up tokens cost more than the week's
    alerts.tick(NOW.timestamp())
    notices = alerts.glance(NOW.timestamp()).notices
    assert [(n.title, n.message) for n in notices] == [(
        "Credential ali***@example.com failing more than usual",
        "Credential ali***@example.com: 50% of 30 requests failed in the last hour, against 2.0% over the "
        "previous 7 days.")]
    [alert] = alerts.listing()
    alice = auth_index_for("codex", ALICE)
    assert (alert.kind, alert.subject, alert.subject_label) == ("failure_spike", f"account:{alice}",
                                                                 "ali***@example.com")
    assert (alert.evidence.account, alert.evidence.api_key) == (alice, "")
    assert dict(alert.facts) == {"scope": "account", "requests": 30, "failures": 15, "rate": 0.5,
                                 "baseline_rate": 0.02, "baseline_requests": 300}


def test_too_few_requests_are_not_judged(db: Database) -> None:
    events = Events(db)
    events.add(NOW - timedelta(minutes=10), 10, failures=10)
    alerts = watch(db)
    alerts.tick(NOW.timestamp())
    assert alerts.listing() == []


def test_an_expensive_hour_is_a_spend_spike_and_a_cheap_one_is_not(db: Database) -> None:
    events = Events(db)
    big = {"input": 100_000, "output": 50_000}     # gpt-5.4: $0.25 + $0.75 a request
    for day in range(1, 8):
        events.add(NOW - timedelta(days=day, minutes=20), 1, tokens=big)
    events.add(NOW - timedelta(minutes=20), 2, tokens=big)
    quiet = watch(db)
    quiet.tick(NOW.timestamp())
    assert quiet.listing() == []               # $2 against $1 a day: under three times usual

    events.add(NOW - timedelta(minutes=10), 8, tokens=big)
    alerts = watch(db)
    alerts.tick(NOW.timestamp())
    [notice] = alerts.glance(NOW.timestamp()).notices
    assert (notice.title, notice.message) == (
        "Spend spike", "The last hour cost $10.00 at API prices, against $1.00 on average in the same hour on "
        "the previous days with usage (7 of 7).")


def test_a_fresh_install_with_one_busy_hour_raises_no_spend_spike(db: Database) -> None:
    events = Events(db)
    big = {"input": 100_000, "output": 50_000}     # $1 a request
    events.add(NOW - timedelta(hours=5), 1, tokens=big)      # today, earlier: still no history before today
    events.add(NOW - timedelta(minutes=20), 20, tokens=big)
    alerts = watch(db)
    alerts.tick(NOW.timestamp())
    assert alerts.listing() == []


def test_seven_days_of_steady_spend_then_five_times_that_is_a_spike(db: Database) -> None:
    events = Events(db)
    big = {"input": 100_000, "output": 50_000}     # $1 a request
    for day in range(1, 8):
        events.add(NOW - timedelta(days=day, minutes=20), 2, tokens=big)
    events.add(NOW - timedelta(minutes=20), 10, tokens=big)
    alerts = watch(db)
    alerts.tick(NOW.timestamp())
    [alert] = alerts.listing()
    assert (alert.kind, alert.facts["cost_usd"], alert.facts["baseline_usd"], alert.facts["baseline_days"]) == (
        "spend_spike", 10.0, 2.0, 7)
