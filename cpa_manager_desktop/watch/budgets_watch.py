"""Budgets on the watch thread and in the tray. tick() evaluates every budget once a minute (at once after
a change, and whenever the clock went back); glance() tints the icon, names the budget closest to its
limit, and hands each crossing to the tray once: the store flips it to notified in the same transaction,
so a restart neither loses nor repeats it. Without a tray, the watch thread still records and logs
every crossing."""

from __future__ import annotations

import threading

from cpa_manager_desktop.service.glance import Glance, Notice, Tint
from cpa_manager_desktop.store.budgets import CrossingRow
from cpa_manager_desktop.watch.budgets import Budget, BudgetService, BudgetStatus
from cpa_manager_desktop.watch.budgets_period import Period

EVALUATE_EVERY_S = 60.0
WARNING_PERCENT = 80.0
ALERT_PERCENT = 100.0
PERIOD_WORDS = {Period.DAILY: "today", Period.WEEKLY: "this week", Period.MONTHLY: "this month"}


class BudgetWatch:
    def __init__(self, budgets: BudgetService, *, every_s: float = EVALUATE_EVERY_S) -> None:
        self._budgets = budgets
        self._every_s = every_s
        self._lock = threading.Lock()
        self._last_s: float | None = None
        self._revision = -1
        self._statuses: tuple[BudgetStatus, ...] = ()

    def tick(self, now_s: float) -> None:
        last = self._last_s
        fresh = last is not None and 0 <= now_s - last < self._every_s
        if fresh and self._revision == self._budgets.revision:
            return
        revision = self._budgets.revision
        statuses = tuple(self._budgets.evaluate(now_s))
        with self._lock:
            self._statuses, self._last_s, self._revision = statuses, now_s, revision

    def glance(self, now_s: float) -> Glance:
        with self._lock:
            statuses = self._statuses
        notices = tuple(crossing_notice(budget, crossing) for budget, crossing in self._budgets.take_crossings()
                        if crossing.period_start_s == self._budgets.bounds(budget, now_s)[0])
        if not statuses:
            return Glance(notices=notices)
        closest = max(statuses, key=lambda s: s.percent)
        return Glance((summary_line(closest),), tint_for(closest.percent), notices)


def tint_for(percent: float) -> Tint:
    if percent >= ALERT_PERCENT:
        return Tint.ALERT
    if percent >= WARNING_PERCENT:
        return Tint.WARNING
    return Tint.NONE


def summary_line(status: BudgetStatus) -> str:
    """"Budget (provider claude): $8.12 of $10.00 today (81%)"."""
    budget = status.budget
    return (f"Budget ({budget.scope.describe()}): {_usd(status.spend.cost_usd)} of {_usd(budget.limit_usd)} "
            f"{PERIOD_WORDS[budget.period]} ({status.percent:.0f}%)")


def crossing_notice(budget: Budget, crossing: CrossingRow) -> Notice:
    message = (f"{budget.describe()}: {_usd(crossing.spend_usd)} of {_usd(budget.limit_usd)} spent "
               f"{PERIOD_WORDS[budget.period]}.")
    if crossing.unpriced_requests:
        count = crossing.unpriced_requests
        message += (f" {count} unpriced request{'s are' if count != 1 else ' is'} not counted"
                    " (add their models' prices on the Model prices page).")
    return Notice(key=f"budget:{budget.id}:{crossing.period_start_s}:{crossing.threshold}",
                  title=f"Budget {crossing.threshold}% reached", message=message)


def _usd(amount: float) -> str:
    return f"${amount:,.2f}"
