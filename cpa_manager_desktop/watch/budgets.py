"""Spending budgets: a limit in API-equivalent USD per day, week or month, overall or for one provider or
one client API key, with thresholds in percent of the limit.

Spend is what analytics prices (current prices, unpriced models counted apart, never as $0). evaluate()
records each threshold the first time it is reached in a period; the store keeps that unique per budget,
period and threshold, so a restart, a clock set back or a repeated evaluation never records it twice.
A budget created or changed while already past some thresholds records those quietly: the user is
looking at the figure that moment, a notification would only repeat it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from enum import Enum

from cpa_manager_desktop.analytics.service import AnalyticsQuery, AnalyticsService
from cpa_manager_desktop.errors import AppError, BadRequest, Conflict
from cpa_manager_desktop.store.budgets import BudgetFields, BudgetRow, BudgetStore, CrossingRow
from cpa_manager_desktop.store.queries import Filters, Window
from cpa_manager_desktop.watch.budgets_period import Period, period_bounds

log = logging.getLogger(__name__)
NS = 1_000_000_000
DEFAULT_THRESHOLDS = (50, 80, 100)
MAX_LIMIT_USD = 1_000_000
MAX_THRESHOLD = 1000
MAX_THRESHOLDS = 10
MAX_BUDGETS = 100
# Float sums of per-request costs: $8.00 of $10.00 must count as 80 % even if it sums to 7.999999999.
EPSILON_USD = 1e-9


class ScopeKind(Enum):
    OVERALL = "overall"
    PROVIDER = "provider"
    API_KEY = "apiKey"


class BudgetNotFound(AppError):
    status = 404
    code = "budget_not_found"


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    value: str = ""     # a provider name, or an API key's sha256 hex
    label: str = ""     # an API key's masked label as recorded with its usage

    def describe(self) -> str:
        if self.kind is ScopeKind.PROVIDER:
            return f"provider {self.value}"
        if self.kind is ScopeKind.API_KEY:
            return f"API key {self.label or self.value[:12]}"
        return "all usage"

    def filters(self) -> Filters:
        if self.kind is ScopeKind.PROVIDER:
            return Filters(providers=(self.value,))
        if self.kind is ScopeKind.API_KEY:
            return Filters(api_key_hashes=(self.value,))
        return Filters()


@dataclass(frozen=True)
class Budget:
    id: int
    period: Period
    limit_usd: float
    scope: Scope
    thresholds: tuple[int, ...]

    def describe(self) -> str:
        return f"{self.period.value.capitalize()} budget for {self.scope.describe()}"


@dataclass(frozen=True)
class BudgetDraft:
    """What a client asked for, typed but not yet checked. thresholds None: the defaults."""

    period: str
    limit_usd: float
    scope_kind: str
    scope_value: str = ""
    thresholds: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Spend:
    cost_usd: float
    unpriced_requests: int
    unpriced_models: tuple[str, ...] = ()


@dataclass(frozen=True)
class BudgetStatus:
    budget: Budget
    period_start_s: int
    period_end_s: int
    spend: Spend
    crossed: tuple[int, ...]     # thresholds recorded as crossed in this period

    @property
    def percent(self) -> float:
        return 100 * self.spend.cost_usd / self.budget.limit_usd

    def reached(self) -> tuple[int, ...]:
        """Thresholds the spend has reached now."""
        spend, limit = self.spend.cost_usd + EPSILON_USD, self.budget.limit_usd
        return tuple(t for t in self.budget.thresholds if spend * 100 >= limit * t)


def _budget(row: BudgetRow) -> Budget:
    return Budget(row.id, Period(row.period), row.limit_usd,
                  Scope(ScopeKind(row.scope_kind), row.scope_value, row.scope_label), row.thresholds)


class BudgetService:
    """Budgets CRUD, their spend now, and evaluate() for the watch thread. One lock keeps an evaluation
    from recording, loudly, what a create or edit is about to record quietly."""

    def __init__(self, store: BudgetStore, analytics: AnalyticsService, *, zone: tzinfo,
                 clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._analytics = analytics
        self._zone = zone
        self._clock = clock
        self._lock = threading.Lock()
        # Bumped by every change, so the watch re-evaluates at once instead of at its next minute.
        self.revision = 0
        # Whether the store may hold crossings not yet handed out: true at start (a restart may leave
        # some), then only after a loud recording, so the tray's 2-s glance reads no table in between.
        self._maybe_unnotified = True

    def budgets(self) -> list[Budget]:
        return [_budget(row) for row in self._store.list()]

    def get(self, budget_id: int) -> Budget:
        row = self._store.get(budget_id)
        if row is None:
            raise BudgetNotFound(f"There is no budget {budget_id}")
        return _budget(row)

    def statuses(self, now_s: float | None = None) -> list[BudgetStatus]:
        """Every budget with its spend in the period holding now."""
        at = self._clock() if now_s is None else now_s
        return [self._status(b, at, {}) for b in self.budgets()]

    def status(self, budget_id: int, now_s: float | None = None) -> BudgetStatus:
        return self._status(self.get(budget_id), self._clock() if now_s is None else now_s, {})

    def bounds(self, budget: Budget, now_s: float) -> tuple[int, int]:
        return period_bounds(budget.period, now_s, self._zone)

    def create(self, draft: BudgetDraft) -> BudgetStatus:
        fields = self._checked(draft, replacing=None)
        with self._lock:
            now_s = self._clock()
            budget_id = self._store.add(fields, int(now_s))
            self.revision += 1
            return self._record_quietly(self.get(budget_id), now_s)

    def update(self, budget_id: int, draft: BudgetDraft) -> BudgetStatus:
        before = self.get(budget_id)
        fields = self._checked(draft, replacing=budget_id)
        redefined = (fields.period, fields.limit_usd, fields.scope_kind, fields.scope_value) != (
            before.period.value, before.limit_usd, before.scope.kind.value, before.scope.value)
        with self._lock:
            now_s = self._clock()
            if not self._store.update(budget_id, fields, int(now_s), forget_crossings=redefined):
                raise BudgetNotFound(f"There is no budget {budget_id}")
            self.revision += 1
            return self._record_quietly(self.get(budget_id), now_s)

    def delete(self, budget_id: int) -> None:
        with self._lock:
            if not self._store.delete(budget_id):
                raise BudgetNotFound(f"There is no budget {budget_id}")
            self.revision += 1

    def evaluate(self, now_s: float) -> list[BudgetStatus]:
        """Spend of every budget now; records thresholds reached for the first time in their period.
        A period older than one already evaluated (the clock was set back) is recorded quietly."""
        with self._lock:
            spends: dict[tuple[Scope, int, int], Spend] = {}
            statuses = []
            for budget in self.budgets():
                status = self._status(budget, now_s, spends)
                seen = self._store.mark_seen(budget.id, status.period_start_s)
                went_back = seen is not None and status.period_start_s < seen
                new = self._record(status, now_s, quiet=went_back)
                for threshold in new:
                    log.info("budget threshold crossed budget=%d threshold=%d%% period_start=%d quiet=%s",
                             budget.id, threshold, status.period_start_s, went_back)
                statuses.append(_with_crossed(status, new))
            return statuses

    def take_crossings(self) -> list[tuple[Budget, CrossingRow]]:
        """Crossings not yet announced, each handed out once; a deleted budget's are dropped."""
        if not self._maybe_unnotified:
            return []
        self._maybe_unnotified = False  # cleared before the read: a crossing recorded meanwhile sets it again
        if not self._store.has_unnotified():  # a read, not a write, when evaluate() recorded only quiet ones
            return []
        found = []
        for crossing in self._store.take_unnotified():
            row = self._store.get(crossing.budget_id)
            if row is not None:
                found.append((_budget(row), crossing))
        return found

    def _record_quietly(self, budget: Budget, now_s: float) -> BudgetStatus:
        status = self._status(budget, now_s, {})
        self._store.mark_seen(budget.id, status.period_start_s)
        return _with_crossed(status, self._record(status, now_s, quiet=True))

    def _record(self, status: BudgetStatus, now_s: float, *, quiet: bool) -> list[int]:
        due = [t for t in status.reached() if t not in status.crossed]
        rows = [CrossingRow(status.budget.id, status.period_start_s, t, int(now_s), status.spend.cost_usd,
                            status.spend.unpriced_requests) for t in due]
        new = self._store.record(rows, seen_period_start_s=status.period_start_s, quiet=quiet)
        if new and not quiet:
            self._maybe_unnotified = True
        return new

    def _status(self, budget: Budget, now_s: float, spends: dict[tuple[Scope, int, int], Spend]) -> BudgetStatus:
        start_s, end_s = self.bounds(budget, now_s)
        key = (budget.scope, start_s, end_s)
        if key not in spends:
            spends[key] = self._spend(budget.scope, start_s, end_s)
        crossed = tuple(self._store.crossed(budget.id, start_s))
        return BudgetStatus(budget, start_s, end_s, spends[key], crossed)

    def _spend(self, scope: Scope, start_s: int, end_s: int) -> Spend:
        query = AnalyticsQuery(Window(start_s * NS, end_s * NS), self._zone, scope.filters())
        totals = self._analytics.totals(query)
        return Spend(totals.cost_usd, totals.unpriced_requests, tuple(sorted(totals.unpriced_models)))

    def _checked(self, draft: BudgetDraft, *, replacing: int | None) -> BudgetFields:
        period = _period(draft.period)
        limit_usd = _limit(draft.limit_usd)
        thresholds = _thresholds(draft.thresholds)
        scope = self._scope(draft.scope_kind, draft.scope_value)
        others = [b for b in self.budgets() if b.id != replacing]
        if replacing is None and len(others) >= MAX_BUDGETS:
            raise BadRequest(f"At most {MAX_BUDGETS} budgets can be kept; delete one first", code="too_many_budgets")
        for other in others:
            if other.period is period and (other.scope.kind, other.scope.value) == (scope.kind, scope.value):
                raise Conflict(f"A {period.value} budget for {scope.describe()} already exists (budget {other.id}); "
                               "edit that one instead", code="duplicate_budget")
        return BudgetFields(period.value, limit_usd, scope.kind.value, scope.value, scope.label, thresholds)

    def _scope(self, kind_text: str, value: str) -> Scope:
        try:
            kind = ScopeKind(kind_text)
        except ValueError:
            raise BadRequest("The scope must be overall, provider or apiKey", code="invalid_scope") from None
        if kind is ScopeKind.OVERALL:
            return Scope(kind)
        noun = "a provider" if kind is ScopeKind.PROVIDER else "an API key"
        if not value.strip():
            raise BadRequest(f"Choose {noun} for this budget", code="invalid_scope")
        # The same list the panel's scope picker shows: what the recorded usage holds, all time.
        options = self._analytics.options(AnalyticsQuery(Window(), self._zone))["dimensions"][kind.value]
        labels = {item["key"]: item["label"] for item in options if item["key"]}
        if value not in labels:
            raise BadRequest(f"No usage has been recorded for {noun} {value!r}; choose one from the list",
                             code="unknown_scope")
        return Scope(kind, value, labels[value] if kind is ScopeKind.API_KEY else "")


def _with_crossed(status: BudgetStatus, new: Sequence[int]) -> BudgetStatus:
    crossed = tuple(sorted({*status.crossed, *new}))
    return BudgetStatus(status.budget, status.period_start_s, status.period_end_s, status.spend, crossed)


def _period(text: str) -> Period:
    try:
        return Period(text)
    except ValueError:
        raise BadRequest("The period must be daily, weekly or monthly", code="invalid_period") from None


def _limit(value: float) -> float:
    if not math.isfinite(value):
        raise BadRequest("The limit must be a finite number of US dollars", code="invalid_limit")
    if value < 0:
        raise BadRequest("The limit cannot be negative; give an amount in US dollars above 0", code="invalid_limit")
    if value == 0:
        raise BadRequest("The limit must be more than 0 US dollars", code="invalid_limit")
    if value > MAX_LIMIT_USD:
        raise BadRequest(f"The limit must be at most {MAX_LIMIT_USD:,} US dollars", code="invalid_limit")
    return float(value)


def _thresholds(values: Sequence[float] | None) -> tuple[int, ...]:
    if values is None:
        return DEFAULT_THRESHOLDS
    if not values:
        raise BadRequest("Give at least one threshold, in percent of the limit", code="invalid_thresholds")
    if len(values) > MAX_THRESHOLDS:
        raise BadRequest(f"Give at most {MAX_THRESHOLDS} thresholds", code="invalid_thresholds")
    if any(not math.isfinite(v) or v != int(v) for v in values):
        raise BadRequest("Thresholds must be whole percentages, such as 50, 80 and 100", code="invalid_thresholds")
    if any(not 1 <= v <= MAX_THRESHOLD for v in values):
        raise BadRequest(f"Each threshold must be between 1 and {MAX_THRESHOLD} percent", code="invalid_thresholds")
    whole = tuple(int(v) for v in values)
    if list(whole) != sorted(set(whole)):
        raise BadRequest("Thresholds must be in ascending order, each once", code="invalid_thresholds")
    return whole
