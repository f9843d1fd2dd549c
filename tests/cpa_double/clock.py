"""Deterministic time for the CPA double, plus a poll-with-deadline helper for tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class FakeClock:
    """Wall clock that only moves when a test says so.

    Retention and ban expiry are decided from this clock, so a test can jump 30 minutes
    ahead instead of waiting, and two runs of the same test see the same outcome.
    """

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a FakeClock never goes backwards")
        with self._lock:
            self._now += seconds
            return self._now


def wait_for(predicate: Callable[[], T], timeout: float = 5.0, interval: float = 0.005) -> T:
    """Return the first truthy value of ``predicate`` or raise ``TimeoutError``.

    Threads in the double react asynchronously (a subscriber's writer, a closing socket),
    so tests must poll for the observable outcome rather than guess a sleep length.
    """
    deadline = time.monotonic() + timeout
    waiter = threading.Event()
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"condition not met within {timeout}s")
        waiter.wait(interval)
