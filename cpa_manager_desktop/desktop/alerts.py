"""When to tell the user something is wrong: each kind of incident notifies once, and again only after
it has cleared and come back. Fed with collector snapshots; knows nothing about trays or logs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cpa_manager_desktop.service.status import CollectorState, CollectorStatus

UNREACHABLE_AFTER_S = 60.0
IDLE_AFTER_S = 6 * 3600.0


@dataclass(frozen=True)
class Alert:
    kind: str
    title: str
    message: str


class AlertPolicy:
    def __init__(self, clock: Callable[[], float], *, unreachable_after_s: float = UNREACHABLE_AFTER_S,
                 idle_after_s: float = IDLE_AFTER_S) -> None:
        self._clock = clock
        self._unreachable_after_s = unreachable_after_s
        self._idle_after_s = idle_after_s
        self._active: set[str] = set()
        self._unreachable_since: float | None = None
        self._running_since: float | None = None

    def observe(self, collector: CollectorStatus) -> list[Alert]:
        """The alerts this snapshot newly raises."""
        now = self._clock()
        conditions = {
            "stopped": self._stopped_by_error(collector),
            "unreachable": self._unreachable(collector, now),
            "publishing_off": self._publishing_off(collector),
            "idle": self._idle(collector, now),
        }
        raised = []
        for kind, alert in conditions.items():
            if alert is None:
                self._active.discard(kind)
            elif kind not in self._active:
                self._active.add(kind)
                raised.append(alert)
        return raised

    @staticmethod
    def _stopped_by_error(collector: CollectorStatus) -> Alert | None:
        if collector.state != CollectorState.ERROR or collector.next_retry_ms:
            return None
        return Alert("stopped", "Usage collection stopped", collector.last_error or "See the panel for details")

    def _unreachable(self, collector: CollectorStatus, now: float) -> Alert | None:
        retrying = collector.state == CollectorState.ERROR and bool(collector.next_retry_ms)
        if not retrying:
            self._unreachable_since = None
            return None
        if self._unreachable_since is None:
            self._unreachable_since = now
        if now - self._unreachable_since < self._unreachable_after_s:
            return None
        minutes = int((now - self._unreachable_since) // 60)
        return Alert("unreachable", "CPA unreachable",
                     f"{collector.last_error or 'CPA does not answer'} (for {minutes} min). "
                     "Usage CPA holds longer than its queue retention is lost.")

    @staticmethod
    def _publishing_off(collector: CollectorStatus) -> Alert | None:
        if collector.health.usage_statistics_enabled is not False:
            return None
        return Alert("publishing_off", "CPA is not publishing usage",
                     "usage-statistics-enabled is off on CPA, so nothing can be collected. Turn it on in the panel.")

    def _idle(self, collector: CollectorStatus, now: float) -> Alert | None:
        if collector.state != CollectorState.RUNNING or collector.health.usage_statistics_enabled is not True:
            self._running_since = None
            return None
        if self._running_since is None:
            self._running_since = now
        last_ms = max(collector.last_inserted_ms, collector.last_consumed_ms)
        quiet_since = max(last_ms / 1000, self._running_since)
        if now - quiet_since < self._idle_after_s:
            return None
        hours = int((now - quiet_since) // 3600)
        return Alert("idle", "No usage for a while",
                     f"No request has been recorded for {hours} h although CPA is reachable and publishing. "
                     "Is another program consuming CPA's usage queue?")
