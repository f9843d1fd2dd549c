"""One background thread for everything that watches: budgets, alerts, the coverage ledger.

Each registers a Ticker; the runner calls every ticker's tick(now_s) in turn, every `interval_s`, with
and without a tray (headless users get the ledger and the alert list too). A ticker that raises is
logged and the others still run. The clock is injected so tests drive time by hand with tick_once().
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

log = logging.getLogger(__name__)
INTERVAL_S = 15.0


class Ticker(Protocol):
    def tick(self, now_s: float) -> None: ...


class WatchRunner:
    def __init__(self, tickers: Sequence[Ticker], *, clock: Callable[[], float] = time.time,
                 interval_s: float = INTERVAL_S) -> None:
        self._tickers = tuple(tickers)
        self._clock = clock
        self._interval_s = interval_s
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="watch", daemon=True)

    def start(self) -> None:
        if self._tickers:
            self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> bool:
        """True when the thread has ended (or never started)."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def tick_once(self) -> None:
        now_s = self._clock()
        for ticker in self._tickers:
            if self._stopping.is_set():
                return
            try:
                ticker.tick(now_s)
            except Exception:
                log.exception("watch ticker failed ticker=%s", type(ticker).__name__)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.tick_once()
            self._stopping.wait(self._interval_s)
