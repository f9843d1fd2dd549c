"""A clock for the quota collector that moves only when a test says so, and a CPA client on the double."""

from __future__ import annotations

import threading

from cpa_manager_desktop.cpa.api import CpaApi, make_pool
from cpa_manager_desktop.cpa.upstream import Upstream
from cpa_manager_desktop.quota.source import CpaQuotaSource
from tests.conftest import CPA_KEY


class StepClock:
    """now() is fake; wait() returns when the event is set or advance() has passed the deadline."""

    def __init__(self, start: float) -> None:
        self._now = start
        self._cond = threading.Condition()

    def now(self) -> float:
        with self._cond:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._cond:
            self._now += seconds
            self._cond.notify_all()

    def wait(self, event: threading.Event, timeout_s: float) -> bool:
        with self._cond:
            deadline = self._now + timeout_s
            # Setting the event does not notify this condition, so it is re-checked every 50 ms of real
            # time; fake time itself moves only by advance().
            while not (event.is_set() or self._now >= deadline):
                self._cond.wait(0.05)
            return event.is_set()


def quota_source(double: object) -> CpaQuotaSource:
    upstream = Upstream(f"http://127.0.0.1:{double.port}", CPA_KEY)  # type: ignore[attr-defined]
    return CpaQuotaSource(CpaApi(upstream, make_pool(tls_skip_verify=False, maxsize=8)))
