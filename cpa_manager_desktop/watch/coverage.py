"""The coverage ledger: a persisted record of every interval in which collection could not have seen
every event, with its reason. A Ticker on the watch thread (every 15 s, with or without a tray).

Each tick reads the collector's state and spends the time since the previous tick on the timeline
(watch/coverage_timeline.py) as collecting or blind: paused, stopped, failing, unreachable. A gap
opens once a blind spell is older than CPA's queue retention (read by the collector's health check,
60 s until known) and closes when collection resumes. The tick also writes a heartbeat; at start, the
time since the last one is spent as "not_running", and a gap left open is closed at that heartbeat.

Time. Positions on the timeline are wall-clock times, but within a run they advance by a monotonic
clock, never by the wall clock: changing the clock by hand, an NTP step or DST (unix time has none)
neither opens nor lengthens a gap; the timeline takes the wall clock up again while nothing is open.
A system suspend is told apart where the OS has a clock that counts it beside one that does not (Linux,
macOS; see system_clocks): with CPA on this machine (a loopback URL) CPA slept too, and its queue's retention
runs on Go's monotonic clock, which stands still in a suspend, so the sleep costs nothing and is no
gap. With CPA elsewhere, CPA went on serving while we slept: the sleep counts as blind time
("suspended"), a gap when longer than the retention. Where the OS has no such clock, a suspend counts
as awake time in the state seen before it. Between two runs only the wall clock exists, so a clock
moved forward while the app is not running looks like time away (moved back, it counts nothing).
"""

from __future__ import annotations

import ipaddress
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from cpa_manager_desktop.analytics import coverage as coverage_payload
from cpa_manager_desktop.collector.status import CollectorState, CollectorStatus
from cpa_manager_desktop.cpa.upstream import Upstream
from cpa_manager_desktop.store.coverage import CoverageStore, Gap, GapReason, LedgerState, LedgerWrite
from cpa_manager_desktop.store.queries import Window
from cpa_manager_desktop.watch.coverage_timeline import Timeline

log = logging.getLogger(__name__)
DEFAULT_RETENTION_S = 60       # CPA's default redis-usage-queue-retention-seconds
SUSPEND_MIN_S = 10.0           # less than this between the two clocks is scheduling noise, not a suspend
STORE_FAILURE_PREFIX = "Could not save"   # the collector's message for a database refusing its batch


class CollectionView(Protocol):
    """What the ledger reads of the service layer; service.controller.Controller is one."""

    @property
    def is_configured(self) -> bool: ...
    def collector_status(self) -> CollectorStatus: ...
    def current_upstream(self) -> Upstream | None: ...


def _clock(name: str) -> Callable[[], float] | None:
    clock_id = getattr(time, name, None)
    return None if clock_id is None else lambda: time.clock_gettime(clock_id)


def system_clocks() -> tuple[Callable[[], float], Callable[[], float]]:
    """(awake, since_boot): a clock that stands still in a suspend and one that runs through it, where the OS
    has such a pair. Linux: CLOCK_MONOTONIC and CLOCK_BOOTTIME. macOS: CLOCK_UPTIME_RAW and CLOCK_MONOTONIC
    (Apple's runs while asleep). Elsewhere (Windows) both are time.monotonic, which a suspend cannot split."""
    if sys.platform == "darwin":
        awake, since_boot = _clock("CLOCK_UPTIME_RAW"), _clock("CLOCK_MONOTONIC")
    else:
        awake, since_boot = time.monotonic, _clock("CLOCK_BOOTTIME")
    if awake is None or since_boot is None:
        return time.monotonic, time.monotonic
    return awake, since_boot


@dataclass(frozen=True)
class Clocks:
    awake: Callable[[], float]
    since_boot: Callable[[], float]

    @classmethod
    def of_this_system(cls) -> Clocks:
        awake, since_boot = system_clocks()
        return cls(awake, since_boot)


@dataclass(frozen=True)
class Observation:
    """The collector seen at a tick. `keeps` means "no news" (starting up): the state goes on as it was.
    `since_s` is when the state began, when the collector says (a pause)."""

    reason: GapReason | None
    keeps: bool = False
    since_s: float | None = None
    retention_s: int | None = None


def observe(status: CollectorStatus, is_configured: bool) -> Observation:
    retention = status.health.retention_s if status.health.retention_s and status.health.retention_s > 0 else None
    if not is_configured:
        return Observation(None, retention_s=retention)   # no CPA set up: there is nothing to miss
    state = status.state
    if state == CollectorState.RUNNING:
        return Observation(None, retention_s=retention)
    if state == CollectorState.STARTING:
        return Observation(None, keeps=True, retention_s=retention)
    if state == CollectorState.PAUSED:
        since = status.paused_since_ms / 1000 if status.paused_since_ms else None
        return Observation(GapReason.PAUSED, since_s=since, retention_s=retention)
    if state == CollectorState.ERROR:
        # A retry is scheduled for network errors (CPA unreachable); a halt (rejected key, ban) and a
        # database that refuses the batch are failures of their own.
        is_retrying = status.next_retry_ms > 0 and not status.last_error.startswith(STORE_FAILURE_PREFIX)
        return Observation(GapReason.UNREACHABLE if is_retrying else GapReason.FAILING, retention_s=retention)
    return Observation(GapReason.STOPPED, retention_s=retention)


def is_local(upstream: Upstream | None) -> bool:
    host = urlsplit(upstream.base_url).hostname if upstream is not None else None
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class CoverageLedger:
    """Ticks on the watch thread; reads (gaps, gaps_opened_since) from any thread."""

    def __init__(self, store: CoverageStore, view: CollectionView, *, clocks: Clocks | None = None) -> None:
        self._store = store
        self._view = view
        self._clocks = clocks or Clocks.of_this_system()
        self._lock = threading.Lock()
        self._timeline: Timeline | None = None
        self._awake_s = 0.0
        self._boot_s = 0.0

    # ---- the ticker ----

    def tick(self, now_s: float) -> None:
        observation = observe(self._view.collector_status(), self._view.is_configured)
        with self._lock:
            self._step(now_s, observation)

    def close(self, now_s: float | None = None) -> None:
        """The last heartbeat, at shutdown once the collector has stopped: the time since the last tick
        is spent in the state seen then (not as "stopped": the app is quitting, and the next start
        counts the time away from here)."""
        with self._lock:
            if self._timeline is not None:
                self._step(time.time() if now_s is None else now_s, Observation(None, keeps=True))
                self._timeline = None   # closed: a second stop writes nothing

    def _step(self, now_s: float, observation: Observation) -> None:
        awake_s, boot_s = self._clocks.awake(), self._clocks.since_boot()
        timeline = self._timeline
        if timeline is None:
            timeline = self._timeline = self._resume_from_heartbeat(now_s)
            self._spend(timeline, observation, 0.0, now_s, before=timeline.reason)
        else:
            awake_span = max(awake_s - self._awake_s, 0.0)
            boot_span = max(boot_s - self._boot_s, awake_span)
            asleep_s = boot_span - awake_span if boot_span - awake_span >= SUSPEND_MIN_S else 0.0
            if asleep_s:
                self._sleep(timeline, asleep_s, now_s)
            # Woken to a running collector: it resumed on waking (a sleep is placed at the interval's start).
            self._spend(timeline, observation, boot_span - asleep_s, now_s, before=timeline.reason,
                        ended_at_start=bool(asleep_s))
        self._awake_s, self._boot_s = awake_s, boot_s
        if observation.retention_s is not None:
            timeline.retention_s = observation.retention_s
        if timeline.reason is None:
            timeline.position_s = now_s   # nothing open: take up the wall clock again
        self._save(timeline)

    def _resume_from_heartbeat(self, now_s: float) -> Timeline:
        state = self._store.load_state()
        if state is None:
            return Timeline(position_s=now_s, retention_s=DEFAULT_RETENTION_S)
        timeline = Timeline(position_s=state.heartbeat_ms / 1000, retention_s=state.retention_s,
                            reason=state.blind_reason, age_s=state.blind_age_ms / 1000, open_gap=state.open_gap)
        away_s = now_s - timeline.position_s
        if away_s > 0:
            timeline.spend(GapReason.NOT_RUNNING, away_s, now_s=now_s)
            log.info("coverage: app was not running for %.0f s (retention %d s)", away_s, timeline.retention_s)
        return timeline

    def _sleep(self, timeline: Timeline, asleep_s: float, now_s: float) -> None:
        if is_local(self._view.current_upstream()):
            timeline.pass_asleep(asleep_s)
        else:
            timeline.spend(timeline.reason or GapReason.SUSPENDED, asleep_s, now_s=now_s)
        log.info("coverage: the system was suspended for %.0f s", asleep_s)

    @staticmethod
    def _spend(timeline: Timeline, observation: Observation, span_s: float, now_s: float, *,
               before: GapReason | None, ended_at_start: bool = False) -> None:
        """Spend span_s seconds: first in the state seen before, then in the state seen now, split where
        the change happened (when the collector says) or, not knowing, so that the blind part is the
        longer: a spell starts at the previous tick and ends at this one."""
        reason = before if observation.keeps else observation.reason
        if reason == before:
            split_s = span_s
        elif observation.since_s is not None:
            split_s = min(max(span_s - (now_s - observation.since_s), 0.0), span_s)
        else:
            split_s = 0.0 if reason is not None or ended_at_start else span_s
        timeline.spend(before, split_s, now_s=now_s)
        timeline.spend(reason, span_s - split_s, now_s=now_s)

    def _save(self, timeline: Timeline) -> None:
        steps = timeline.take_steps()
        state = LedgerState(heartbeat_ms=round(timeline.position_s * 1000), retention_s=timeline.retention_s,
                            blind_reason=timeline.reason, blind_age_ms=round(timeline.age_s * 1000),
                            open_gap=timeline.open_gap)
        try:
            self._store.apply(LedgerWrite(state, steps))
        except Exception:
            timeline.steps[:0] = steps   # written with the next heartbeat
            raise

    # ---- reading ----

    def gaps(self, start_s: float, end_s: float, now_s: float | None = None) -> list[Gap]:
        """Gaps whose missing requests (event time) overlap [start_s, end_s), oldest first; an open one has
        end_s None."""
        now_ms = round((time.time() if now_s is None else now_s) * 1000)
        return self._store.overlapping(round(start_s * 1000), round(end_s * 1000), now_ms)

    def gaps_opened_since(self, after_s: float) -> list[Gap]:
        """Gaps the ledger recorded after `after_s` (open or closed): what the alerts notify about."""
        return self._store.opened_since(round(after_s * 1000))

    def report(self, window: Window, now_s: float | None = None) -> dict[str, Any]:
        """GET /coverage: the gaps whose missing requests fall in the window, with reason and length."""
        return coverage_payload.report(self._store, window, time.time() if now_s is None else now_s)
