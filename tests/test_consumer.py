"""The collector loop against a scripted source and a real store: the never-lose-a-batch rules."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from cpa_manager_desktop.collector.consumer import Collector
from cpa_manager_desktop.collector.health import HealthReport
from cpa_manager_desktop.collector.status import CollectorOptions, CollectorStatus
from cpa_manager_desktop.cpa.errors import AuthRejected, QueueUnsupported, SourceUnavailable
from cpa_manager_desktop.cpa.upstream import Upstream
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import BatchResult, EventStore
from cpa_manager_desktop.store.rows import DeadLetterRow, EventRow
from tests.fixtures.spec_records import CODEX_OAUTH, record

UPSTREAM = Upstream("http://cpa.test:8317", "key-123")
FAST = CollectorOptions(mode="auto", batch_size=10, poll_interval_s=0.01, backoff_base_s=0.01, backoff_cap_s=0.05)


def records(n: int, start: int = 0) -> list[str]:
    return [json.dumps(record(CODEX_OAUTH, request_id=f"req{i:05d}")) for i in range(start, start + n)]


class ScriptedSource:
    """Serves a list of steps: a list of items to return, or an exception to raise; then empty pops."""

    def __init__(self, transport: str, steps: list[Any], log: list[str]) -> None:
        self.transport = transport
        self._steps = steps
        self._log = log

    def pop(self, count: int) -> list[Any]:
        self._log.append(self.transport)
        if not self._steps:
            return []
        step = self._steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    def close(self) -> None:
        pass


@pytest.fixture
def store(tmp_path: Path):
    db = Database(tmp_path / "usage.sqlite")
    yield EventStore(db)
    db.close()


def make_collector(sink: Callable[..., BatchResult], scripts: dict[str, list[Any]], pops: list[str],
                   options: CollectorOptions = FAST) -> Collector:
    return Collector(
        sink=sink,
        make_source=lambda transport, upstream: ScriptedSource(transport, scripts.setdefault(transport, []), pops),
        health_check=lambda upstream: HealthReport(),
        options=options,
    )


def test_failed_write_keeps_batch_and_pops_nothing_until_committed(store: EventStore) -> None:
    failures = {"left": 3}
    pops: list[str] = []
    pops_during_failures: list[int] = []

    def flaky_sink(rows: Sequence[EventRow], dead: Sequence[DeadLetterRow]) -> BatchResult:
        if failures["left"]:
            failures["left"] -= 1
            pops_during_failures.append(len(pops))
            raise OSError("disk full")
        return store.add_batch(rows, dead)

    collector = make_collector(flaky_sink, {"http": [records(5), records(5, 5)]}, pops)
    collector.start(UPSTREAM)
    try:
        assert collector.wait_for(lambda s: s.total_inserted == 10, 10)
    finally:
        collector.stop()
    assert pops_during_failures == [1, 1, 1]
    assert store.counts().events == 10
    assert collector.status().resolved_error.startswith("Could not save usage to the database (disk full)")


def test_auth_rejection_halts_after_one_attempt(store: EventStore) -> None:
    pops: list[str] = []
    collector = make_collector(store.add_batch, {"http": [AuthRejected("CPA rejected the Management Key")]}, pops)
    collector.start(UPSTREAM)
    try:
        assert collector.wait_for(lambda s: s.state == "error", 5)
        paused = collector.pause()
        collector.resume()
        status = collector.status()
    finally:
        collector.stop()
    assert pops == ["http"]
    assert paused.state == "paused"
    assert (status.state, status.last_error) == ("error", "CPA rejected the Management Key")


def test_restart_after_auth_error_polls_again(store: EventStore) -> None:
    pops: list[str] = []
    collector = make_collector(store.add_batch, {"http": [AuthRejected("bad key"), records(3)]}, pops)
    collector.start(UPSTREAM)
    try:
        assert collector.wait_for(lambda s: s.state == "error", 5)
        assert collector.restart()
        assert collector.wait_for(lambda s: s.total_inserted == 3 and s.state == "running", 5)
    finally:
        collector.stop()
    assert collector.status().resolved_error == "bad key"


def test_transient_errors_back_off_then_recover(store: EventStore) -> None:
    pops: list[str] = []
    steps: list[Any] = [SourceUnavailable("Cannot reach CPA")] * 3 + [records(4)]
    collector = make_collector(store.add_batch, {"http": steps}, pops)
    seen_error = threading.Event()
    collector.start(UPSTREAM)
    try:
        assert collector.wait_for(lambda s: s.state == "error" and s.next_retry_ms > 0, 5)
        seen_error.set()
        assert collector.wait_for(lambda s: s.total_inserted == 4 and s.state == "running", 5)
    finally:
        collector.stop()
    assert seen_error.is_set() and collector.status().last_error == ""


def test_auto_mode_falls_back_to_resp_and_reprobes_http(store: EventStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from cpa_manager_desktop.collector import transport

    monkeypatch.setattr(transport, "REPROBE_HTTP_S", 0.05)
    pops: list[str] = []
    scripts = {"http": [QueueUnsupported("no HTTP queue"), records(2, 100)], "resp": [records(3)]}
    collector = make_collector(store.add_batch, scripts, pops)
    collector.start(UPSTREAM)
    try:
        assert collector.wait_for(lambda s: s.total_inserted == 5 and s.transport == "http", 5)
    finally:
        collector.stop()
    assert pops[:2] == ["http", "resp"] and "http" in pops[2:]


def test_forced_http_mode_halts_when_queue_unsupported(store: EventStore) -> None:
    pops: list[str] = []
    options = CollectorOptions(mode="http", poll_interval_s=0.01, backoff_base_s=0.01)
    collector = make_collector(store.add_batch, {"http": [QueueUnsupported("CPA has no HTTP usage queue")]}, pops,
                               options)
    collector.start(UPSTREAM)
    try:
        assert collector.wait_for(lambda s: s.state == "error", 5)
    finally:
        collector.stop()
    assert pops == ["http"] and "USAGE_COLLECTOR_MODE=auto" in collector.status().last_error


def test_pause_stops_pops_and_resume_restarts_them(store: EventStore) -> None:
    pops: list[str] = []
    collector = make_collector(store.add_batch, {"http": [records(2)]}, pops)
    collector.start(UPSTREAM)
    try:
        assert collector.wait_for(lambda s: s.total_inserted == 2, 5)
        status: CollectorStatus = collector.pause()
        assert status.state == "paused" and status.paused_since_ms > 0
        pops_when_paused = len(pops)
        assert not collector.wait_for(lambda s: len(pops) > pops_when_paused, 0.2)
        collector.resume()
        assert collector.wait_for(lambda s: s.state == "running" and len(pops) > pops_when_paused, 5)
    finally:
        collector.stop()


def test_pause_right_after_start_pauses(store: EventStore) -> None:
    # Seen under load: the HTTP pause answered "stopped" because the new thread had not run yet.
    pops: list[str] = []
    collector = make_collector(store.add_batch, {"http": [records(2)]}, pops)
    collector.start(UPSTREAM)
    try:
        assert collector.status().state == "starting"
        assert collector.pause().state == "paused"
    finally:
        collector.stop()
    assert collector.status().state == "stopped"


def test_stop_commits_the_batch_it_holds(store: EventStore) -> None:
    release = threading.Event()
    pops: list[str] = []

    def slow_sink(rows: Sequence[EventRow], dead: Sequence[DeadLetterRow]) -> BatchResult:
        release.wait(5)
        return store.add_batch(rows, dead)

    collector = make_collector(slow_sink, {"http": [records(7)]}, pops)
    collector.start(UPSTREAM)
    assert collector.wait_for(lambda s: s.pending_items == 7, 5)
    stopper = threading.Thread(target=collector.stop)
    stopper.start()
    release.set()
    stopper.join(10)
    assert store.counts().events == 7 and pops == ["http"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


def test_publishing_turned_off_is_noticed_within_a_minute_of_an_empty_queue(store: EventStore) -> None:
    clock = FakeClock()
    publishing = {"on": True}
    full_checks: list[float] = []
    light_checks: list[float] = []

    def health_check(upstream: Upstream) -> HealthReport:
        full_checks.append(clock())
        return HealthReport(checked_ms=int(clock() * 1000), usage_statistics_enabled=publishing["on"])

    def publishing_check(upstream: Upstream) -> bool:
        light_checks.append(clock())
        return publishing["on"]

    pops: list[str] = []
    collector = Collector(sink=store.add_batch,
                          make_source=lambda transport, upstream: ScriptedSource(transport, [], pops),
                          health_check=health_check, options=FAST, clock=clock, publishing_check=publishing_check)

    def after_pops(count: int) -> None:
        target = len(pops) + count
        assert collector.wait_for(lambda s: len(pops) >= target, 5)

    collector.start(UPSTREAM)
    try:
        assert collector.wait_for(lambda s: s.health.usage_statistics_enabled is True, 5)
        clock.advance(30)
        after_pops(5)
        assert light_checks == []                 # empty for under a minute: no extra read
        clock.advance(31)
        after_pops(5)
        assert len(light_checks) == 1 and len(full_checks) == 1   # one light read, and nothing changed
        after_pops(20)
        assert len(light_checks) == 1             # at most one a minute, however often the queue is popped
        publishing["on"] = False
        clock.advance(60)
        # Noticed a minute later, not at the five-minute full check: the full check reruns on the change.
        assert collector.wait_for(lambda s: s.health.usage_statistics_enabled is False, 5)
        assert (len(light_checks), len(full_checks)) == (2, 2)
    finally:
        collector.stop()
