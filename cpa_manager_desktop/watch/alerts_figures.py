"""The usage figures the spike rules judge: failures per credential and per API key (last hour against
the 7 days before it), and the last hour's cost against the same hour on each of the previous 7 days,
with how many of those days had usage at all (a baseline needs history: watch/alerts_rules.py).

Read from the hourly rollups with raw rows at the partial edges (store/queries.py), so a pass costs a
few small reads; the baseline is read only for keys busy enough to be judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from cpa_manager_desktop.analytics.service import AnalyticsQuery, AnalyticsService, Totals
from cpa_manager_desktop.redact import is_masked, mask_label
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.queries import Filters, Window, aggregate, labels
from cpa_manager_desktop.watch.alerts_rules import BASELINE_DAYS, DAY_S, HOUR_S, Counts, FailureFigures, SpendFigures

NS = 1_000_000_000
# (scope as the monitoring view filters it, rollup column, label kind in the labels table)
_SCOPES = (("account", "auth_index", "account"), ("apiKey", "api_key_hash", "api_key"))


def _display(label: str, *, is_key: bool) -> str:
    """Key labels are stored masked already; an account's name (often an email) is half-masked here."""
    return label if is_masked(label) else mask_label(label, is_key=is_key)


def _window(start_s: float, end_s: float) -> Window:
    return Window(int(start_s * NS), int(end_s * NS))


class UsageFigures:
    def __init__(self, db: Database, analytics: AnalyticsService) -> None:
        self._db = db
        self._analytics = analytics

    def failures(self, now_s: float, min_requests: int) -> list[FailureFigures]:
        """Every credential and API key with at least `min_requests` requests in the last hour."""
        found: list[FailureFigures] = []
        recent_window = _window(now_s - HOUR_S, now_s)
        baseline_window = _window(now_s - HOUR_S - BASELINE_DAYS * DAY_S, now_s - HOUR_S)
        for scope, column, label_kind in _SCOPES:
            recent = {k: c for k, c in self._counts(recent_window, column, ()).items() if c.requests >= min_requests}
            if not recent:
                continue
            keys = tuple(sorted(recent))
            baseline = self._counts(baseline_window, column, keys)
            names = self._db.read(lambda c, kind=label_kind, wanted=keys: labels(c, kind, list(wanted)))
            for key in keys:
                label = _display(names.get(key, ""), is_key=scope == "apiKey") or key[:12]
                found.append(FailureFigures(scope, key, label, recent[key], baseline.get(key, Counts())))
        return found

    def _counts(self, window: Window, column: str, keys: Sequence[str]) -> dict[str, Counts]:
        filters = Filters(auth_indexes=tuple(keys)) if column == "auth_index" else Filters(api_key_hashes=tuple(keys))
        rows = self._db.read(lambda c: aggregate(c, window, [column], filters, measures=("requests", "failures")))
        # Requests without a credential or key are nobody's spike.
        return {row[column]: Counts(row["requests"] or 0, row["failures"] or 0) for row in rows if row[column]}

    def spend(self, now_s: float) -> SpendFigures:
        """The last hour's cost, the same hour's cost on each of the previous 7 days (USD), and how many of
        those days (24-hour slices ending an hour ago) had any request: the baseline's history."""
        def totals(start_s: float, end_s: float) -> Totals:
            return self._analytics.totals(AnalyticsQuery(_window(start_s, end_s), UTC))
        same_hour = tuple(totals(now_s - day * DAY_S - HOUR_S, now_s - day * DAY_S).cost_usd
                          for day in range(1, BASELINE_DAYS + 1))
        slice_ends = [now_s - HOUR_S - day * DAY_S for day in range(BASELINE_DAYS)]
        days_with_usage = sum(1 for end_s in slice_ends if totals(end_s - DAY_S, end_s).sums["requests"] > 0)
        return SpendFigures(totals(now_s - HOUR_S, now_s).cost_usd, same_hour, days_with_usage)
