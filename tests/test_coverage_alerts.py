"""The real coverage ledger feeds the real alert watcher, as build_app wires them: one SQLite file, fake
clocks, ticks driven by hand. A pause longer than CPA's retention is exactly one data-gap alert, worded
in event time (when the missing requests were made), cleared when collection resumes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from cpa_manager_desktop.analytics.service import AnalyticsService
from cpa_manager_desktop.app import App
from cpa_manager_desktop.service.glance import Notice
from cpa_manager_desktop.store.alerts import AlertStore
from cpa_manager_desktop.store.coverage import CoverageStore
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.prices import PriceStore
from cpa_manager_desktop.store.settings import SettingsStore
from cpa_manager_desktop.watch.alerts import AlertWatch
from cpa_manager_desktop.watch.alerts_figures import UsageFigures
from cpa_manager_desktop.watch.alerts_settings import AlertSettingsStore
from cpa_manager_desktop.watch.coverage import CoverageLedger
from tests.test_alerts import RUNNING
from tests.test_coverage_ledger import T0, FakeClock, FakeCollection, pause, resume

STEP_S = 15.0   # the watch thread's pace


def local_minute(at_s: float) -> str:
    return datetime.fromtimestamp(at_s).strftime("%Y-%m-%d %H:%M")


class Watched:
    """The ledger and the alert watch on one database, ticked in the order build_app lists them."""

    def __init__(self, db: Database) -> None:
        self.clock = FakeClock()
        self.collection = FakeCollection(status=replace(RUNNING, last_pop_ms=int(T0 * 1000)))
        self.ledger = CoverageLedger(CoverageStore(db), self.collection, clocks=self.clock.clocks())
        figures = UsageFigures(db, AnalyticsService(db, PriceStore(db)))
        self.alerts = AlertWatch(AlertStore(db), AlertSettingsStore(SettingsStore(db)),
                                 self.collection.collector_status, figures, self.ledger, clock=lambda: self.clock.wall)

    def tick(self) -> list[Notice]:
        if self.collection.status.state == RUNNING.state:   # a running collector keeps popping
            self.collection.status = replace(self.collection.status, last_pop_ms=int(self.clock.wall * 1000))
        self.ledger.tick(self.clock.wall)
        self.alerts.tick(self.clock.wall)
        return list(self.alerts.glance(self.clock.wall).notices)

    def run(self, seconds: float) -> list[Notice]:
        notices: list[Notice] = []
        for _ in range(int(seconds // STEP_S)):
            self.clock.run(STEP_S)
            notices += self.tick()
        return notices


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[Watched]:
    db = Database(tmp_path / "usage.sqlite")
    yield Watched(db)
    db.close()


def test_a_pause_past_retention_is_one_data_gap_alert_in_event_time_cleared_on_resume(watched: Watched) -> None:
    assert watched.run(60) == []
    paused_at = T0 + 60
    pause(watched.collection, paused_at)
    notices = watched.run(600)
    # Retention is 60 s: the gap opens a minute into the pause; the missing requests were made since it began.
    assert [(n.key, n.title) for n in notices] == [(f"alert:data_gap:{paused_at + 60:.3f}", "Usage data gap")]
    assert notices[0].message == (f"Requests made since {local_minute(paused_at)} are missing from the statistics: "
                                  "usage could not be collected (paused).")
    [view] = watched.alerts.listing()
    assert (view.kind, view.cleared_s, view.facts["start"], view.facts["end"]) == ("data_gap", None, paused_at, None)

    resume(watched.collection)
    assert watched.tick() == []       # seen at the moment of the resume, T0 + 660
    assert watched.run(120) == []
    [view] = watched.alerts.listing()
    # Resumed at T0 + 660: requests made in its last minute were still queued and were collected.
    assert (view.kind, view.cleared_s) == ("data_gap", int(T0 + 660))
    assert (view.facts["start"], view.facts["end"], view.facts["reason"]) == (paused_at, T0 + 600, "paused")
    assert (view.evidence.start_s, view.evidence.end_s) == (paused_at, T0 + 600)
    assert view.message == (f"Requests made from {local_minute(paused_at)} to {local_minute(T0 + 600)} are missing "
                            "from the statistics: usage could not be collected (paused).")


def test_the_app_gives_its_own_ledger_to_its_alert_watch(start_app: Callable[..., App]) -> None:
    app = start_app()
    [alerts] = [w for w in app.watchers if isinstance(w, AlertWatch)]
    assert app.coverage is not None and alerts._gaps is app.coverage
