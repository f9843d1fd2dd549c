"""Exponential backoff with jitter: 1 s doubling to 30 s, reset on success."""

from __future__ import annotations

import random
from collections.abc import Callable


class Backoff:
    def __init__(self, base_s: float = 1.0, cap_s: float = 30.0,
                 rand: Callable[[float, float], float] = random.uniform) -> None:
        self.base_s = base_s
        self.cap_s = cap_s
        self._rand = rand
        self.failures = 0

    def next_delay_s(self) -> float:
        """Delay before the next attempt. Jitter of ±20% keeps many clients from retrying in step."""
        delay = min(self.cap_s, self.base_s * (2 ** min(self.failures, 30)))
        self.failures += 1
        return min(self.cap_s, delay * self._rand(0.8, 1.2))

    def reset(self) -> None:
        self.failures = 0
