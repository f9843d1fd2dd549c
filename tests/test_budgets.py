"""Budgets on a fake clock over a real SQLite file: one notification per threshold per period, across
ticks, restarts, clock jumps and DST; periods in local time with weeks from Monday; unpriced spend named."""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cpa_manager_desktop.analytics.service import AnalyticsService
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.service.glance import Glance, Tint
from cpa_manager_desktop.store.budgets import BudgetStore, CrossingRow
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.prices import Price, PriceStore
from cpa_manager_desktop.watch.budgets import BudgetDraft, BudgetService
from cpa_manager_desktop.watch.budgets_period import Period, SystemZone, period_bounds
from cpa_manager_desktop.watch.budgets_watch import BudgetWatch
from tests.cpa_double import make_record

ZONE = ZoneInfo("Europe/Berlin")
PRICED = "budget-test-model"        # priced below at $1 per request (1,000 input tokens at $1,000 per 1M)
UNPRICED = "budget-unpriced-model"
MONDAY_10H = datetime(2026, 12, 7, 10, 0, tzinfo=ZONE)
_ids = itertools.count()


class Clock:
    def __init__(self, at: datetime) -> None:
        self.now_s = at.timestamp()

    def __call__(self) -> float:
        return self.now_s

    def set(self, at: datetime) -> None:
        self.now_s = at.timestamp()


class Budgets:
    """The service and its watch over one database file, as build_app wires them."""

    def __init__(self, path: Path, clock: Clock) -> None:
        self.db = Database(path)
        PriceStore(self.db).upsert([Price(PRICED, input_per_1m=1000.0, output_per_1m=0.0)])
        self.clock = clock
        self.service = BudgetService(BudgetStore(self.db), AnalyticsService(self.db, PriceStore(self.db)),
                                     zone=ZONE, clock=clock)
        self.watch = BudgetWatch(self.service)

    def spend(self, usd: int, at: datetime | None = None, *, model: str = PRICED, provider: str = "codex") -> None:
        """`usd` requests of $1 each (or unpriced ones) at `at`, default the clock's now."""
        when = (at or datetime.fromtimestamp(self.clock.now_s, ZONE)).astimezone(UTC)
        rows = [classify(make_record(provider=provider, model=model, timestamp=when, seq=i,
                                     request_id=f"budget-{next(_ids)}", tokens={"input": 1000, "output": 0}))
                for i in range(usd)]
        EventStore(self.db).add_batch(rows)  # type: ignore[arg-type]

    def tick(self, after_s: float = 61) -> Glance:
        """One watch tick `after_s` later (past the minute between evaluations), then the tray's glance."""
        self.clock.now_s += after_s
        self.watch.tick(self.clock.now_s)
        return self.watch.glance(self.clock.now_s)


def titles(glance: Glance) -> list[str]:
    return [notice.title for notice in glance.notices]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "usage.sqlite"


@pytest.fixture
def budgets(path: Path) -> Iterator[Budgets]:
    made = Budgets(path, Clock(MONDAY_10H))
    yield made
    made.db.close()


def daily(limit_usd: float = 10, **fields: object) -> BudgetDraft:
    return BudgetDraft(**{"period": "daily", "limit_usd": limit_usd, "scope_kind": "overall", **fields})


def test_crossing_50_and_80_in_one_tick_gives_two_notices_then_none_until_the_next_day(budgets: Budgets) -> None:
    budgets.service.create(daily())
    budgets.spend(3)
    assert budgets.tick() == Glance(("Budget (all usage): $3.00 of $10.00 today (30%)",), Tint.NONE, ())

    budgets.spend(5)
    crossed = budgets.tick()
    assert titles(crossed) == ["Budget 50% reached", "Budget 80% reached"]
    assert crossed.notices[1].message == "Daily budget for all usage: $8.00 of $10.00 spent today."
    assert (crossed.lines, crossed.tint) == (("Budget (all usage): $8.00 of $10.00 today (80%)",), Tint.WARNING)
    assert budgets.tick().notices == ()
    assert budgets.tick(after_s=3600).notices == ()

    budgets.spend(2)
    full = budgets.tick()
    assert (titles(full), full.tint) == (["Budget 100% reached"], Tint.ALERT)
    assert budgets.service.statuses()[0].crossed == (50, 80, 100)

    budgets.clock.set(MONDAY_10H + timedelta(days=1))
    assert budgets.tick().notices == ()              # a new day starts at $0
    budgets.spend(6)
    assert titles(budgets.tick()) == ["Budget 50% reached"]


def test_a_restart_on_the_same_database_does_not_notify_again(budgets: Budgets, path: Path) -> None:
    budgets.service.create(daily())
    budgets.spend(9)
    assert titles(budgets.tick()) == ["Budget 50% reached", "Budget 80% reached"]
    budgets.spend(1)
    budgets.watch.tick(budgets.clock.now_s + 61)       # 100 % recorded, the app quits before the tray shows it
    budgets.db.close()

    again = Budgets(path, budgets.clock)
    try:
        assert titles(again.tick()) == ["Budget 100% reached"]   # shown after the restart, once
        assert again.tick().notices == ()
    finally:
        again.db.close()


class CountingStore(BudgetStore):
    """Counts the reads the tray's glance could make for crossings."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.crossing_reads = 0

    def has_unnotified(self) -> bool:
        self.crossing_reads += 1
        return super().has_unnotified()

    def take_unnotified(self) -> list[CrossingRow]:
        self.crossing_reads += 1
        return super().take_unnotified()


def test_the_tray_glance_reads_crossings_only_after_one_was_recorded(budgets: Budgets) -> None:
    store = CountingStore(budgets.db)
    budgets.service = BudgetService(store, AnalyticsService(budgets.db, PriceStore(budgets.db)), zone=ZONE,
                                    clock=budgets.clock)
    budgets.watch = BudgetWatch(budgets.service)
    budgets.service.create(daily())
    budgets.spend(3)
    budgets.tick()                                   # the first glance looks for crossings left by a restart
    reads = store.crossing_reads
    for _ in range(5):
        budgets.watch.glance(budgets.clock.now_s)     # the tray's 2-s refresh between evaluations
    budgets.tick()                                   # evaluated, nothing crossed
    assert store.crossing_reads == reads

    budgets.spend(3)
    assert titles(budgets.tick()) == ["Budget 50% reached"]
    assert budgets.tick().notices == ()
    assert store.crossing_reads == reads + 2         # has_unnotified and take_unnotified, once


def test_a_clock_set_back_never_notifies_again(budgets: Budgets) -> None:
    sunday = MONDAY_10H - timedelta(days=1)
    budgets.spend(9, sunday)                          # the day before, while the app was not evaluating
    budgets.service.create(daily())
    budgets.spend(6)
    assert titles(budgets.tick()) == ["Budget 50% reached"]

    budgets.clock.set(MONDAY_10H - timedelta(hours=1))   # back one hour: the same day
    assert budgets.tick().notices == ()
    budgets.clock.set(sunday)                             # back into a period already left behind
    assert budgets.tick().notices == ()
    budgets.clock.set(MONDAY_10H)
    assert budgets.tick().notices == ()
    budgets.clock.set(MONDAY_10H + timedelta(days=3))     # forward into a new period: counts normally
    budgets.spend(5)
    assert titles(budgets.tick()) == ["Budget 50% reached"]


def test_creating_or_redefining_a_budget_already_past_thresholds_records_them_quietly(budgets: Budgets) -> None:
    budgets.spend(9)
    created = budgets.service.create(daily())
    assert created.crossed == (50, 80)
    assert budgets.tick().notices == ()
    budgets.service.update(created.budget.id, daily(limit_usd=15))    # a new limit: crossings start afresh
    assert budgets.service.statuses()[0].crossed == (50,)
    budgets.spend(3)
    assert titles(budgets.tick()) == ["Budget 80% reached"]


def test_a_budget_with_unpriced_spend_says_so(budgets: Budgets) -> None:
    status = budgets.service.create(daily(thresholds=(10,)))
    budgets.spend(2)
    budgets.spend(3, model=UNPRICED)
    notice = budgets.tick().notices[0]
    assert notice.message == ("Daily budget for all usage: $2.00 of $10.00 spent today. 3 unpriced requests "
                              "are not counted (add their models' prices on the Model prices page).")
    spend = budgets.service.status(status.budget.id).spend
    assert (spend.cost_usd, spend.unpriced_requests, spend.unpriced_models) == (2.0, 3, (UNPRICED,))


def test_a_provider_budget_counts_only_that_provider(budgets: Budgets) -> None:
    budgets.spend(1, provider="claude")
    budgets.spend(1)
    created = budgets.service.create(BudgetDraft("weekly", 4, "provider", "claude"))
    budgets.spend(5)
    budgets.spend(1, provider="claude")
    assert titles(budgets.tick()) == ["Budget 50% reached"]
    assert budgets.service.status(created.budget.id).spend.cost_usd == 2.0


@pytest.mark.parametrize(("period", "now", "start", "end"), [
    # Berlin leaves summer time on Sunday 25 October 2026: that day has 25 hours, its week starts at +02:00.
    (Period.DAILY, datetime(2026, 10, 25, 12), "2026-10-24T22:00:00", "2026-10-25T23:00:00"),
    (Period.WEEKLY, datetime(2026, 10, 25, 12), "2026-10-18T22:00:00", "2026-10-25T23:00:00"),
    (Period.WEEKLY, datetime(2026, 10, 26, 0, 30), "2026-10-25T23:00:00", "2026-11-01T23:00:00"),
    (Period.MONTHLY, datetime(2026, 10, 31, 23, 59), "2026-09-30T22:00:00", "2026-10-31T23:00:00"),
    (Period.MONTHLY, datetime(2026, 12, 31, 23, 0), "2026-11-30T23:00:00", "2026-12-31T23:00:00"),
])
def test_periods_run_from_local_midnight_with_weeks_from_monday(period: Period, now: datetime, start: str,
                                                                end: str) -> None:
    start_s, end_s = period_bounds(period, now.replace(tzinfo=ZONE).timestamp(), ZONE)
    utc = [datetime.fromtimestamp(s, UTC).replace(tzinfo=None).isoformat() for s in (start_s, end_s)]
    assert utc == [start, end]


@pytest.mark.skipif(sys.platform == "win32", reason="time.tzset is POSIX only")
def test_the_system_zone_follows_dst_like_the_tz_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        for now in (datetime(2026, 10, 25, 12, tzinfo=ZONE), datetime(2026, 3, 29, 12, tzinfo=ZONE)):
            for period in Period:
                assert period_bounds(period, now.timestamp(), SystemZone()) == \
                    period_bounds(period, now.timestamp(), ZONE)
    finally:
        monkeypatch.undo()
        time.tzset()
