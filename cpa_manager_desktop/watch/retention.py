"""Retention on the watch thread: each tick folds old raw events and reclaims space for a few seconds at
most (service/maintenance.py), so budgets and alerts on the same thread are never held up for long and
the collector's writes interleave with the short compaction batches."""

from __future__ import annotations

from cpa_manager_desktop.service.maintenance import BUDGET_S, Maintenance


class RetentionTicker:
    def __init__(self, maintenance: Maintenance, *, budget_s: float = BUDGET_S) -> None:
        self._maintenance = maintenance
        self._budget_s = budget_s

    def tick(self, now_s: float) -> None:
        self._maintenance.run(now_s, self._budget_s)
