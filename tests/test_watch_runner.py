"""The watch thread: every ticker is called with the injected clock, a failing one does not stop the rest,
and stop() ends the thread."""

from __future__ import annotations

from cpa_manager_desktop.watch.runner import WatchRunner
from tests.conftest import wait_until


class Recording:
    def __init__(self) -> None:
        self.ticks: list[float] = []

    def tick(self, now_s: float) -> None:
        self.ticks.append(now_s)


class Failing:
    def tick(self, now_s: float) -> None:
        raise RuntimeError("a ticker bug")


def test_tick_once_calls_every_ticker_with_the_clock_despite_a_failing_one() -> None:
    recording = Recording()
    runner = WatchRunner((Failing(), recording), clock=lambda: 1_000.0)
    runner.tick_once()
    runner.tick_once()
    assert recording.ticks == [1_000.0, 1_000.0]


def test_the_thread_ticks_until_stopped() -> None:
    recording = Recording()
    runner = WatchRunner((recording,), interval_s=0.01)
    runner.start()
    wait_until(lambda: len(recording.ticks) >= 3, 5, "three ticks")
    assert runner.stop(timeout_s=5)
    count = len(recording.ticks)
    assert runner.stop(timeout_s=5)
    assert len(recording.ticks) == count


def test_without_tickers_no_thread_is_started() -> None:
    runner = WatchRunner(())
    runner.start()
    assert runner.stop(timeout_s=0)
