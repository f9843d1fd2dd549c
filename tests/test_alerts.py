"""The alert system on a fake clock: collector alerts (stalled, unreachable, stopped, publishing off, idle),
one notification per incident with the rate limit and grouping, clock jumps, data gaps, switches, the tray."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from cpa_manager_desktop.collector.health import HealthReport
from cpa_manager_desktop.collector.status import CollectorState, CollectorStatus
from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.service.glance import Notice, Tint
from cpa_manager_desktop.store.alerts import AlertStore, NewAlert
from cpa_manager_desktop.store.coverage import Gap, GapReason
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.settings import SettingsStore
from cpa_manager_desktop.watch.alerts import AlertNotFound, AlertWatch
from cpa_manager_desktop.watch.alerts_rules import Counts, FailureFigures, SpendFigures
from cpa_manager_desktop.watch.alerts_settings import AlertKind, AlertSettingsStore

START_S = 1_800_000_000.0
RUNNING = CollectorStatus(state=CollectorState.RUNNING, last_pop_ms=int(START_S * 1000),
                          health=HealthReport(usage_statistics_enabled=True, retention_s=60))


class Figures:
    def __init__(self) -> None:
        self.failing: list[FailureFigures] = []
        self.spend_usd = SpendFigures(0.0, (0.0,) * 7, 0)

    def failures(self, now_s: float, min_requests: int) -> list[FailureFigures]:
        return [f for f in self.failing if f.recent.requests >= min_requests]

    def spend(self, now_s: float) -> SpendFigures:
        return self.spend_usd


class Gaps:
    def __init__(self) -> None:
        self.gaps: list[Gap] = []

    def gaps_opened_since(self, after_s: float) -> list[Gap]:
        return [g for g in self.gaps if g.start_s > after_s]


class Harness:
    """An AlertWatch on a real database, a settable collector status and a clock moved by hand."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.now = START_S
        self.status = RUNNING
        self.figures = Figures()
        self.gaps = Gaps()
        self.watch = self.new_watch()

    def new_watch(self) -> AlertWatch:
        return AlertWatch(AlertStore(self.db), AlertSettingsStore(SettingsStore(self.db)), lambda: self.status,
                          self.figures, self.gaps, clock=lambda: self.now)

    def tick(self, advance_s: float = 10.0) -> list[Notice]:
        self.now += advance_s
        self.watch.tick(self.now)
        return list(self.watch.glance(self.now).notices)

    def run(self, seconds: float, step_s: float = 10.0, *, popping: bool = True) -> list[Notice]:
        """Ticks for `seconds`; with `popping`, the collector pops (empty or not) before every tick."""
        notices: list[Notice] = []
        for _ in range(int(seconds // step_s)):
            if popping:
                self.popped()
            notices += self.tick(step_s)
        return notices

    def popped(self) -> None:
        self.status = replace(self.status, last_pop_ms=int(self.now * 1000))

    def alerts(self) -> list[tuple[str, str, bool]]:
        return [(a.kind, a.subject, a.cleared_s is None) for a in self.watch.listing()]


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    db = Database(tmp_path / "usage.sqlite")
    yield Harness(db)
    db.close()


def titles(notices: list[Notice]) -> list[str]:
    return [n.title for n in notices]


def spike(key: str, label: str, scope: str = "account") -> FailureFigures:
    return FailureFigures(scope, key, label, Counts(40, 20), Counts(1000, 10))


def test_a_stall_alerts_once_after_the_retention_and_clears_when_popping_resumes(h: Harness) -> None:
    h.tick()
    assert h.run(60, popping=False) == []
    notices = h.tick()
    assert titles(notices) == ["Usage collection stalled"]
    assert "CPA drops usage after 60 s" in notices[0].message
    assert h.run(600, popping=False) == []
    assert h.alerts() == [("stalled", "", True)]
    assert h.watch.glance(h.now).tint == Tint.ALERT
    h.popped()
    assert h.tick() == []
    assert h.alerts() == [("stalled", "", False)]
    assert h.watch.listing()[0].cleared_s == int(h.now)
    assert h.watch.glance(h.now).tint == Tint.NONE


def test_no_stall_while_paused_or_unreachable(h: Harness) -> None:
    h.status = replace(RUNNING, state=CollectorState.PAUSED)
    assert h.run(600) == []
    h.status = replace(RUNNING, state=CollectorState.ERROR, next_retry_ms=1, last_error="Cannot reach CPA")
    assert titles(h.run(600)) == ["CPA unreachable"]
    assert h.alerts() == [("unreachable", "", True)]


def test_a_store_that_refuses_batches_is_a_stall_not_an_unreachable_cpa(h: Harness) -> None:
    h.status = replace(RUNNING, state=CollectorState.ERROR, next_retry_ms=1, pending_items=5,
                       last_error="Could not save usage to the database (disk I/O error)")
    notices = h.run(100, popping=False)
    assert titles(notices) == ["Usage collection stalled"]
    assert "disk I/O error" in notices[0].message


def test_a_clock_jump_forward_raises_no_stall(h: Harness) -> None:
    h.tick()
    assert h.tick(3600) == []          # the laptop slept for an hour
    h.popped()
    assert h.run(50) == []
    assert h.alerts() == []


def test_unreachable_only_after_a_minute(h: Harness) -> None:
    h.status = replace(RUNNING, state=CollectorState.ERROR, next_retry_ms=1,
                       last_error="Cannot reach CPA at http://x: connection refused")
    h.tick()
    assert h.run(50) == []
    notices = h.tick()
    assert titles(notices) == ["CPA unreachable"] and "Cannot reach CPA" in notices[0].message
    assert h.run(600) == []


def test_stopped_by_error_notifies_once_and_again_only_after_clearing_and_the_rate_limit(h: Harness) -> None:
    stopped = replace(RUNNING, state=CollectorState.ERROR, last_error="CPA rejected the Management Key")
    h.status = stopped
    notices = h.tick()
    assert titles(notices) == ["Usage collection stopped"]
    assert notices[0].message == "CPA rejected the Management Key"
    assert h.run(120) == []
    h.status = RUNNING
    h.popped()
    h.tick()
    h.status = stopped
    assert h.tick() == []              # back within 30 minutes: the same incident, reopened silently
    assert h.alerts() == [("stopped", "", True)]
    h.status = RUNNING
    h.run(31 * 60)
    h.status = stopped
    assert titles(h.tick()) == ["Usage collection stopped"]
    assert h.alerts() == [("stopped", "", True), ("stopped", "", False)]


def test_publishing_off_alerts_once_and_clears_when_turned_on(h: Harness) -> None:
    h.status = replace(RUNNING, health=HealthReport(usage_statistics_enabled=False))
    notices = h.tick()
    assert titles(notices) == ["CPA is not publishing usage"]
    h.popped()
    assert h.tick() == []
    h.status = RUNNING
    h.popped()
    h.tick()
    assert h.alerts() == [("publishing_off", "", False)]


def test_idle_while_reachable_and_publishing_but_not_when_publishing_is_unknown_or_paused(h: Harness) -> None:
    h.watch.update_settings({"thresholds": {"idle_after_hours": 1}})

    def quiet_hour() -> list[Notice]:
        notices = []
        for _ in range(3600 // 15 + 1):
            h.popped()                 # popping (empty) all along: collection runs, nothing arrives
            notices += h.tick(15)
        return notices

    h.status = replace(RUNNING, health=HealthReport(usage_statistics_enabled=None))
    assert quiet_hour() == []
    h.status = replace(RUNNING, state=CollectorState.PAUSED)
    assert quiet_hour() == []
    h.status = RUNNING
    assert titles(quiet_hour()) == ["No usage for a while"]
    h.status = replace(RUNNING, last_inserted_ms=int(h.now * 1000))
    h.popped()
    h.tick()
    assert h.alerts() == [("idle", "", False)]


def test_failure_spikes_in_one_tick_make_one_notification_and_one_alert_each(h: Harness) -> None:
    h.figures.failing = [spike("a1", "ali***@example.com"), spike("b2", "bob***@example.com"),
                         spike("c3", "cat***@example.com")]
    h.popped()
    notices = h.tick()
    assert [(n.key, n.title) for n in notices] == [("alert:failure_spike", "3 credentials failing more than usual")]
    assert notices[0].message == "ali***@example.com, bob***@example.com, cat***@example.com. See Alerts in the panel."
    assert sorted(h.alerts()) == [("failure_spike", "account:a1", True), ("failure_spike", "account:b2", True),
                                  ("failure_spike", "account:c3", True)]
    h.popped()
    assert h.run(300) == []
    h.figures.failing = [spike("a1", "ali***@example.com")]
    h.run(70)
    assert sorted(h.alerts()) == [("failure_spike", "account:a1", True), ("failure_spike", "account:b2", False),
                                  ("failure_spike", "account:c3", False)]


def test_one_spiking_credential_notifies_about_itself(h: Harness) -> None:
    h.figures.failing = [spike("a1", "ali***@example.com")]
    notices = h.tick()
    assert [(n.key, n.title) for n in notices] == [
        ("alert:failure_spike:account:a1", "Credential ali***@example.com failing more than usual")]
    assert notices[0].message == ("Credential ali***@example.com: 50% of 40 requests failed in the last hour, "
                                  "against 1.0% over the previous 7 days.")
    view = h.watch.listing()[0]
    assert (view.evidence.account, view.evidence.api_key) == ("a1", "")
    assert view.evidence.end_s is not None and view.evidence.end_s - view.evidence.start_s == 3600


def test_spend_spike_with_a_floor(h: Harness) -> None:
    h.figures.spend_usd = SpendFigures(0.90, (0.01,) * 7, 7)     # 90 times usual, but under a dollar: pennies
    assert h.tick() == []
    h.figures.spend_usd = SpendFigures(12.0, (1.0,) * 5 + (0.0,) * 2, 7)
    h.popped()
    notices = h.run(70)
    assert titles(notices) == ["Spend spike"]
    assert notices[0].message == ("The last hour cost $12.00 at API prices, against $0.71 on average in the same "
                                  "hour on the previous days with usage (7 of 7).")


def test_a_spend_spike_needs_three_days_of_history(h: Harness) -> None:
    # Two days of use, nothing at this hour: "against $0.00 on average" would be no baseline at all.
    h.figures.spend_usd = SpendFigures(50.0, (0.0,) * 7, 2)
    assert h.tick() == []
    assert h.run(70) == []
    h.figures.spend_usd = SpendFigures(50.0, (0.0,) * 7, 3)
    assert titles(h.run(70)) == ["Spend spike"]


def test_a_failure_spike_needs_enough_baseline_requests(h: Harness) -> None:
    # A credential first used this hour: 50 % failing against a "0 %" that is no history at all.
    h.figures.failing = [FailureFigures("account", "n1", "new***@example.com", Counts(40, 20), Counts(19, 0))]
    assert h.tick() == []
    h.figures.failing = [FailureFigures("account", "n1", "new***@example.com", Counts(40, 20), Counts(20, 0))]
    assert titles(h.run(70)) == ["Credential new***@example.com failing more than usual"]


def test_a_clock_set_backwards_does_not_notify_again(h: Harness) -> None:
    h.figures.failing = [spike("a1", "ali***@example.com")]
    h.status = replace(RUNNING, health=HealthReport(usage_statistics_enabled=False))
    assert sorted(titles(h.tick())) == ["CPA is not publishing usage",
                                        "Credential ali***@example.com failing more than usual"]
    h.figures.failing = []
    h.status = RUNNING
    h.run(40 * 60)                    # forty minutes: both clear, and the rate limit has passed
    assert [open_ for _, _, open_ in h.alerts()] == [False, False]
    # Someone sets the clock back half an hour: the spike's hour is "the last hour" again.
    h.now -= 1800
    h.figures.failing = [spike("a1", "ali***@example.com")]
    assert h.run(20 * 60) == []
    assert len(h.alerts()) == 2


def local_minute(at_s: float) -> str:
    return datetime.fromtimestamp(at_s).strftime("%Y-%m-%d %H:%M")


def test_a_data_gap_is_one_notification_and_clears_when_the_ledger_closes_it(h: Harness) -> None:
    h.tick()
    # Booked from START_S + 10 (retention 60 s into a pause at START_S - 50); still open.
    h.gaps.gaps = [Gap(START_S + 10, None, GapReason.PAUSED, 60)]
    notices = h.tick()
    assert titles(notices) == ["Usage data gap"]
    # Worded in event time: the requests missing were made since the pause began.
    assert notices[0].message == (f"Requests made since {local_minute(START_S - 50)} are missing from the "
                                  "statistics: usage could not be collected (paused).")
    assert h.tick() == []
    assert h.now == START_S + 30
    h.gaps.gaps = [Gap(START_S + 10, START_S + 30, GapReason.PAUSED, 60)]   # resumed at START_S + 30
    assert h.tick() == []
    view = h.watch.listing()[0]
    # Cleared when the watch saw the gap closed, not at the ledger's (or the requests') time.
    assert (view.kind, view.opened_s, view.cleared_s) == ("data_gap", int(START_S + 20), int(START_S + 40))
    assert (view.facts["start"], view.facts["end"], view.facts["reason"]) == (START_S - 50, START_S - 30, "paused")
    assert (view.evidence.start_s, view.evidence.end_s) == (START_S - 50, START_S - 30)
    assert view.message == (f"Requests made from {local_minute(START_S - 50)} to {local_minute(START_S - 30)} are "
                            "missing from the statistics: usage could not be collected (paused).")
    h.gaps.gaps += [Gap(START_S + 32, START_S + 36, GapReason.UNREACHABLE, 60),
                    Gap(START_S + 38, None, GapReason.NOT_RUNNING, 60)]
    assert [(n.key, n.title) for n in h.tick()] == [("alert:data_gap", "2 usage data gaps")]


def test_a_kind_switched_off_clears_at_once_and_stays_silent(h: Harness) -> None:
    h.status = replace(RUNNING, health=HealthReport(usage_statistics_enabled=False))
    h.tick()
    h.watch.update_settings({"kinds": {"publishing_off": False}})
    assert h.alerts() == [("publishing_off", "", False)]
    assert h.watch.glance(h.now).tint == Tint.NONE
    h.popped()
    assert h.run(3600, 15) == []
    assert AlertSettingsStore(SettingsStore(h.db)).load().is_on(AlertKind.PUBLISHING_OFF) is False


def test_the_tray_is_tinted_until_acknowledged_and_lists_the_alert(h: Harness) -> None:
    h.status = replace(RUNNING, health=HealthReport(usage_statistics_enabled=False))
    h.tick()
    glance = h.watch.glance(h.now)
    assert (glance.lines, glance.tint, glance.notices) == (("Alert: CPA is not publishing usage",), Tint.ALERT, ())
    view = h.watch.acknowledge(h.watch.listing()[0].id)
    assert view.acknowledged_s == int(h.now)
    assert h.watch.glance(h.now).tint == Tint.WARNING
    with pytest.raises(AlertNotFound):
        h.watch.acknowledge(999)


def test_a_restart_with_the_condition_still_there_does_not_notify_again(h: Harness) -> None:
    h.status = replace(RUNNING, health=HealthReport(usage_statistics_enabled=False))
    assert len(h.tick()) == 1
    h.watch = h.new_watch()
    assert h.tick() == []
    assert h.alerts() == [("publishing_off", "", True)]


@pytest.mark.parametrize(("body", "sentence"), [
    ([], "Alert settings must be a JSON object with kinds and thresholds"),
    ({"kinds": {"stalled": "yes"}}, "kinds.stalled must be true or false"),
    ({"kinds": {"sunspots": True}}, "There is no alert kind 'sunspots'"),
    ({"thresholds": {"failure_factor": 0.5}}, "failure_factor must be a number from 1 to 100"),
    ({"thresholds": {"spend_floor_usd": float("nan")}}, "spend_floor_usd must be a number from 0.01 to 1e+06"),
    ({"thresholds": {"failure_min_requests": 2.5}}, "failure_min_requests must be a whole number"),
    ({"thresholds": {"renotify_minutes": True}}, "renotify_minutes must be a number from 1 to 1440"),
    ({"volume": 11}, "Unknown alert setting 'volume'; use kinds and thresholds"),
])
def test_bad_settings_are_refused_with_a_sentence(h: Harness, body: object, sentence: str) -> None:
    with pytest.raises(BadRequest) as refused:
        h.watch.update_settings(body)
    assert refused.value.message.startswith(sentence)
    assert h.watch.settings == AlertSettingsStore(SettingsStore(h.db)).load()


def test_a_tray_that_appears_late_is_not_shown_stale_notices(h: Harness) -> None:
    h.status = replace(RUNNING, health=HealthReport(usage_statistics_enabled=False))
    h.watch.tick(h.now)
    glance = h.watch.glance(h.now + 601)
    assert (glance.notices, glance.tint) == ((), Tint.ALERT)


def test_a_data_gap_already_closed_when_first_seen_opens_and_clears_when_noticed(h: Harness) -> None:
    # The app starts (or the ledger reports) hours after a pause that ended before it: the alert's life is
    # the moment it was noticed, never "cleared" before it "opened".
    h.gaps.gaps = [Gap(START_S - 6 * 3600, START_S - 3 * 3600, GapReason.PAUSED, 60)]
    assert titles(h.tick()) == ["Usage data gap"]
    [view] = h.watch.listing()
    assert (view.opened_s, view.cleared_s) == (int(h.now), int(h.now))
    assert (view.evidence.start_s, view.evidence.end_s) == (START_S - 6 * 3600 - 60, START_S - 3 * 3600 - 60)


def test_a_data_gap_whose_ledger_end_predates_the_opening_clears_no_earlier_than_it_opened(h: Harness) -> None:
    h.tick()
    h.gaps.gaps = [Gap(START_S - 3600, None, GapReason.NOT_RUNNING, 60)]
    h.tick()
    h.gaps.gaps = [Gap(START_S - 3600, START_S - 1800, GapReason.NOT_RUNNING, 60)]
    h.tick()
    [view] = h.watch.listing()
    assert view.cleared_s is not None and view.cleared_s >= view.opened_s
    assert view.cleared_s == int(h.now)


def test_the_list_shows_open_alerts_then_the_latest_cleared_first(h: Harness) -> None:
    store = AlertStore(h.db)
    now = int(START_S)

    def add(subject: str, opened: int, cleared: int | None) -> None:
        store.add(NewAlert("idle", subject, "", "t", "m", "{}", "{}", opened, cleared))

    add("cleared-long-ago-opened-late", now - 100, now - 90)
    add("cleared-just-now-opened-early", now - 5000, now - 10)
    add("open", now - 9000, None)
    assert [row.subject for row in store.listing(now - 86400, 10)] == [
        "open", "cleared-just-now-opened-early", "cleared-long-ago-opened-late"]
