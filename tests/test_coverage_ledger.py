"""The coverage ledger on a fake clock and a real SQLite file: which intervals it records, with which
reason and length, across pauses, errors, restarts, clock jumps and suspends."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from cpa_manager_desktop.collector.health import HealthReport
from cpa_manager_desktop.collector.status import CollectorState, CollectorStatus
from cpa_manager_desktop.cpa.upstream import Upstream
from cpa_manager_desktop.store.coverage import CoverageStore, Gap, GapReason
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.watch.coverage import Clocks, CoverageLedger

T0 = 1_800_000_000.0   # a fixed wall-clock start
REMOTE = Upstream("http://cpa.example.net:8317", "k")
LOCAL = Upstream("http://127.0.0.1:8317", "k")


@dataclass
class FakeClock:
    """Wall, awake (monotonic) and since-boot clocks moved by hand."""

    wall: float = T0
    awake: float = 1000.0
    boot: float = 1000.0

    def run(self, seconds: float) -> None:
        self.wall += seconds
        self.awake += seconds
        self.boot += seconds

    def clocks(self) -> Clocks:
        return Clocks(awake=lambda: self.awake, since_boot=lambda: self.boot)


@dataclass
class FakeCollection:
    status: CollectorStatus = field(default_factory=lambda: CollectorStatus(state=CollectorState.RUNNING))
    upstream: Upstream | None = REMOTE
    is_configured: bool = True

    def collector_status(self) -> CollectorStatus:
        return self.status

    def current_upstream(self) -> Upstream | None:
        return self.upstream


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "usage.sqlite")
    yield database
    database.close()


def ledger(db: Database, clock: FakeClock, collection: FakeCollection) -> CoverageLedger:
    return CoverageLedger(CoverageStore(db), collection, clocks=clock.clocks())


def run_for(led: CoverageLedger, clock: FakeClock, seconds: float, step_s: float = 15.0) -> None:
    """Tick every step_s seconds (the watch thread's pace) for `seconds`."""
    spent = 0.0
    while spent < seconds:
        step = min(step_s, seconds - spent)
        clock.run(step)
        spent += step
        led.tick(clock.wall)


def pause(collection: FakeCollection, at_s: float) -> None:
    collection.status = replace(collection.status, state=CollectorState.PAUSED, paused_since_ms=int(at_s * 1000))


def resume(collection: FakeCollection) -> None:
    collection.status = replace(collection.status, state=CollectorState.RUNNING, paused_since_ms=0)


def all_gaps(led: CoverageLedger) -> list[Gap]:
    return [replace(g, opened_s=0.0) for g in led.gaps(0, 4_000_000_000)]


def test_ten_minute_pause_gives_one_nine_minute_gap(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection()
    led = ledger(db, clock, collection)
    led.tick(clock.wall)
    run_for(led, clock, 120)
    paused_at = clock.wall
    pause(collection, paused_at)
    run_for(led, clock, 600)
    resume(collection)
    led.tick(clock.wall)
    run_for(led, clock, 60)
    # The ledger books it from when records began to expire unread until the resume…
    assert all_gaps(led) == [Gap(paused_at + 60, paused_at + 600, GapReason.PAUSED, 60)]
    # …and shows when the missing requests were made: from the pause until one retention before the resume.
    [gap] = all_gaps(led)
    assert (gap.missing_from_s, gap.missing_to_s, gap.missing_until(clock.wall)) == (
        paused_at, paused_at + 540, paused_at + 540)


def test_an_open_gap_is_missing_up_to_one_retention_before_now() -> None:
    gap = Gap(T0 + 60, None, GapReason.UNREACHABLE, 60)
    assert (gap.missing_from_s, gap.missing_to_s) == (T0, None)
    assert gap.missing_until(T0 + 300) == T0 + 240
    assert gap.missing_until(T0 + 30) == T0    # never before it began


def test_gaps_are_selected_by_when_the_missing_requests_were_made(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection()
    led = ledger(db, clock, collection)
    led.tick(clock.wall)
    pause(collection, T0)
    run_for(led, clock, 600)
    resume(collection)
    led.tick(clock.wall)
    later = T0 + 3600
    # Missing requests: [T0, T0 + 540). Ledger time [T0 + 60, T0 + 600) no longer decides.
    assert [g.reason for g in led.gaps(T0 - 60, T0 + 1, later)] == [GapReason.PAUSED]
    assert led.gaps(T0 - 60, T0, later) == []
    assert [g.reason for g in led.gaps(T0 + 539, T0 + 900, later)] == [GapReason.PAUSED]
    assert led.gaps(T0 + 540, T0 + 900, later) == []


def test_an_open_gap_is_selected_up_to_one_retention_before_now(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection()
    led = ledger(db, clock, collection)
    led.tick(clock.wall)
    pause(collection, T0)
    run_for(led, clock, 300)
    assert [g.end_s for g in led.gaps(T0 + 200, T0 + 400, now_s=T0 + 300)] == [None]
    assert led.gaps(T0 + 240, T0 + 400, now_s=T0 + 300) == []   # requests made since then are still queued


def test_a_pause_shorter_than_retention_leaves_no_gap(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection()
    led = ledger(db, clock, collection)
    led.tick(clock.wall)
    pause(collection, clock.wall)
    run_for(led, clock, 45)
    resume(collection)
    run_for(led, clock, 30)
    assert all_gaps(led) == []


def test_an_open_gap_is_listed_open_and_closed_on_resume(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection()
    led = ledger(db, clock, collection)
    led.tick(clock.wall)
    pause(collection, clock.wall)
    run_for(led, clock, 300)
    assert all_gaps(led) == [Gap(T0 + 60, None, GapReason.PAUSED, 60)]
    assert [g.reason for g in led.gaps_opened_since(T0)] == [GapReason.PAUSED]
    resume(collection)
    led.tick(clock.wall)
    assert all_gaps(led) == [Gap(T0 + 60, T0 + 300, GapReason.PAUSED, 60)]
    assert led.gaps_opened_since(T0 + 300) == []


def test_retention_read_from_cpa_sets_the_grace(db: Database) -> None:
    clock = FakeClock()
    collection = FakeCollection(CollectorStatus(state=CollectorState.RUNNING, health=HealthReport(retention_s=300)))
    led = ledger(db, clock, collection)
    led.tick(clock.wall)
    collection.status = replace(collection.status, state=CollectorState.ERROR, last_error="connection refused",
                                next_retry_ms=1)
    run_for(led, clock, 600)
    collection.status = replace(collection.status, state=CollectorState.RUNNING, next_retry_ms=0, last_error="")
    led.tick(clock.wall)
    # An error seen at a tick counts from the tick before it (it began some time in between).
    assert all_gaps(led) == [Gap(T0 + 300, T0 + 600, GapReason.UNREACHABLE, 300)]


@pytest.mark.parametrize(("status", "reason"), [
    (CollectorStatus(state=CollectorState.ERROR, last_error="CPA rejected the Management Key"), GapReason.FAILING),
    (CollectorStatus(state=CollectorState.ERROR, last_error="Could not save usage (disk full)", next_retry_ms=5),
     GapReason.FAILING),
    (CollectorStatus(state=CollectorState.ERROR, last_error="timed out", next_retry_ms=5), GapReason.UNREACHABLE),
    (CollectorStatus(state=CollectorState.STOPPED), GapReason.STOPPED),
])
def test_each_blind_state_has_its_reason(db: Database, status: CollectorStatus, reason: GapReason) -> None:
    clock, collection = FakeClock(), FakeCollection()
    led = ledger(db, clock, collection)
    led.tick(clock.wall)
    collection.status = status
    run_for(led, clock, 90)
    assert all_gaps(led) == [Gap(T0 + 60, None, reason, 60)]


def test_nothing_is_missed_before_setup(db: Database) -> None:
    clock = FakeClock()
    collection = FakeCollection(CollectorStatus(state=CollectorState.STOPPED), upstream=None, is_configured=False)
    led = ledger(db, clock, collection)
    run_for(led, clock, 900)
    assert all_gaps(led) == []


def test_app_not_running_is_found_from_the_heartbeat(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection()
    first = ledger(db, clock, collection)
    run_for(first, clock, 300)
    last_heartbeat = clock.wall
    clock.wall += 3600            # the app is not running for an hour (a new boot: other monotonic values)
    clock.awake, clock.boot = 5.0, 5.0
    second = ledger(db, clock, collection)
    second.tick(clock.wall)
    run_for(second, clock, 60)
    assert all_gaps(second) == [Gap(last_heartbeat + 60, last_heartbeat + 3600, GapReason.NOT_RUNNING, 60)]
    [gap] = all_gaps(second)
    assert (gap.missing_from_s, gap.missing_to_s) == (last_heartbeat, last_heartbeat + 3540)


def test_a_quick_restart_is_no_gap(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection()
    first = ledger(db, clock, collection)
    run_for(first, clock, 300)
    first.close(clock.wall + 5)
    clock.wall += 40
    second = ledger(db, clock, collection)
    second.tick(clock.wall)
    assert all_gaps(second) == []


def test_restart_closes_an_open_gap_at_the_last_heartbeat(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection()
    first = ledger(db, clock, collection)
    first.tick(clock.wall)
    pause(collection, clock.wall)
    run_for(first, clock, 120)
    last_heartbeat = clock.wall
    clock.wall += 600
    resume(collection)
    second = ledger(db, clock, collection)
    second.tick(clock.wall)
    second.tick(clock.wall)   # a second tick at the same moment adds nothing
    assert all_gaps(second) == [Gap(T0 + 60, last_heartbeat, GapReason.PAUSED, 60),
                                Gap(last_heartbeat, last_heartbeat + 600, GapReason.NOT_RUNNING, 60)]


def test_restarting_twice_never_duplicates_a_gap(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection()
    run_for(ledger(db, clock, collection), clock, 30)
    clock.wall += 600
    for _ in range(3):
        led = ledger(db, clock, collection)
        led.tick(clock.wall)
    assert len(all_gaps(led)) == 1


@pytest.mark.parametrize("jump_s", [3600.0, -3600.0, 86400.0])
def test_a_wall_clock_jump_creates_no_gap(db: Database, jump_s: float) -> None:
    clock, collection = FakeClock(), FakeCollection()
    led = ledger(db, clock, collection)
    run_for(led, clock, 120)
    clock.wall += jump_s          # a manual change or an NTP step: the monotonic clocks do not move
    run_for(led, clock, 120)
    assert all_gaps(led) == []


def test_a_wall_clock_jump_during_a_pause_does_not_lengthen_it(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection()
    led = ledger(db, clock, collection)
    led.tick(clock.wall)
    pause(collection, clock.wall)
    run_for(led, clock, 300)
    clock.wall += 7200
    run_for(led, clock, 300)
    resume(collection)
    led.tick(clock.wall)
    [gap] = all_gaps(led)
    assert (gap.start_s, gap.end_s, gap.reason) == (T0 + 60, T0 + 600, GapReason.PAUSED)


def test_a_suspend_with_cpa_on_this_machine_is_no_gap(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection(upstream=LOCAL)
    led = ledger(db, clock, collection)
    run_for(led, clock, 60)
    clock.wall += 8 * 3600        # asleep: wall and boot clocks move, the awake clock does not
    clock.boot += 8 * 3600
    run_for(led, clock, 60)
    assert all_gaps(led) == []


def test_a_suspend_with_a_remote_cpa_is_a_gap(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection(upstream=REMOTE)
    led = ledger(db, clock, collection)
    run_for(led, clock, 60)
    slept_at = clock.wall
    clock.wall += 3600
    clock.boot += 3600
    run_for(led, clock, 60)
    assert all_gaps(led) == [Gap(slept_at + 60, slept_at + 3600, GapReason.SUSPENDED, 60)]


def test_a_pause_across_a_local_suspend_counts_awake_time_only(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection(upstream=LOCAL)
    led = ledger(db, clock, collection)
    led.tick(clock.wall)
    pause(collection, clock.wall)
    run_for(led, clock, 120)
    clock.wall += 3600
    clock.boot += 3600
    run_for(led, clock, 120)
    resume(collection)
    led.tick(clock.wall)
    assert all_gaps(led) == [Gap(T0 + 60, T0 + 120, GapReason.PAUSED, 60),
                             Gap(T0 + 3720, T0 + 3840, GapReason.PAUSED, 60)]


def test_a_reason_change_keeps_the_spell_and_splits_the_gap(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection()
    led = ledger(db, clock, collection)
    led.tick(clock.wall)
    collection.status = CollectorStatus(state=CollectorState.ERROR, last_error="timeout", next_retry_ms=1)
    run_for(led, clock, 120)
    collection.status = CollectorStatus(state=CollectorState.ERROR, last_error="CPA rejected the Management Key")
    run_for(led, clock, 120)
    collection.status = CollectorStatus(state=CollectorState.RUNNING)
    led.tick(clock.wall)
    assert all_gaps(led) == [Gap(T0 + 60, T0 + 120, GapReason.UNREACHABLE, 60),
                             Gap(T0 + 120, T0 + 240, GapReason.FAILING, 60)]


def test_waking_to_an_unreachable_cpa_continues_the_spell(db: Database) -> None:
    clock, collection = FakeClock(), FakeCollection(upstream=REMOTE)
    led = ledger(db, clock, collection)
    run_for(led, clock, 60)
    slept_at = clock.wall
    clock.wall += 3600
    clock.boot += 3600
    collection.status = CollectorStatus(state=CollectorState.ERROR, last_error="network down", next_retry_ms=1)
    run_for(led, clock, 120)
    collection.status = CollectorStatus(state=CollectorState.RUNNING)
    led.tick(clock.wall)
    assert all_gaps(led) == [Gap(slept_at + 60, slept_at + 3600, GapReason.SUSPENDED, 60),
                             Gap(slept_at + 3600, slept_at + 3720, GapReason.UNREACHABLE, 60)]
