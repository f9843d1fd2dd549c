"""What each credential spent inside its current quota windows (our requests, tokens and cost, joined by
auth_index), and the compact 7-day quota history the Quota page draws as sparklines.

A window's current span is [resets_at − window length, now). A window whose reset time has passed
(the next reading is not in yet) is counted from that reset, at most one window length back: what was
used since is the new window's. Windows without a known length or reset have no span. A model family's
window (Claude's "Weekly (sonnet)", see quota.parsers.model_family) counts only that family's requests, a
model's window (Gemini's and Antigravity's "model:<id>", quota.parsers.window_model) only that model's.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from cpa_manager_desktop.analytics.service import Totals
from cpa_manager_desktop.prices.defaults import effective_prices
from cpa_manager_desktop.prices.tiers import PriceBook, cost_usd, request_cost_usd, tiers_of
from cpa_manager_desktop.quota.parsers import model_family, window_model
from cpa_manager_desktop.quota.snapshot import SnapshotView
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.prices import PriceStore
from cpa_manager_desktop.store.quota_series import BucketPeak, bucket_peaks
from cpa_manager_desktop.store.quota_usage import Span, span_sums, span_tier_candidates

NS = 1_000_000_000
SPARK_POINTS = 28           # 7 days in 6-hour buckets: enough for a 100-pixel line, small for 1,000 cards
MAX_SPARK_DAYS = 31


@dataclass(frozen=True)
class WindowFigures:
    auth_index: str
    window: str
    start_s: int
    end_s: int
    totals: Totals


@dataclass(frozen=True)
class Sparklines:
    start_s: int
    end_s: int
    bucket_s: int
    # auth_index → window key → one value per bucket (None: no successful reading in it)
    series: dict[str, dict[str, list[float | None]]]


def current_span(view: SnapshotView, now_s: int) -> list[Span]:
    """The spans of a reading's windows at `now_s` (see the module docstring)."""
    spans = []
    for window in view.windows:
        if window.resets_at_s is None or not window.window_s:
            continue
        if window.resets_at_s > now_s:
            # A reset more than a window away (clock skew) is a window that has just begun.
            start = min(window.resets_at_s - window.window_s, now_s)
        else:
            start = max(window.resets_at_s, now_s - window.window_s)
        spans.append(Span(view.auth_index, window.key, start * NS, now_s * NS, model_family(window.key),
                          window_model(window.key)))
    return spans


class QuotaUsage:
    def __init__(self, db: Database, prices: PriceStore) -> None:
        self._db = db
        self._prices = prices
        self._ended_lock = threading.Lock()
        self._ended_cache: dict[int, dict[int, list[BucketPeak]]] = {}  # bucket_s → bucket → peaks

    def in_windows(self, views: Iterable[SnapshotView], now_s: int) -> list[WindowFigures]:
        """Requests, tokens and cost per credential and window, priced per model like analytics (tiers
        included). Credentials without requests in a window get zero figures."""
        spans = [span for view in views for span in current_span(view, now_s)]
        book = PriceBook(effective_prices(self._prices))
        totals: dict[tuple[str, str], Totals] = defaultdict(Totals)
        models: set[str] = set()
        for row in self._db.read(lambda c: span_sums(c, spans)):
            totals[(row["auth_index"], row["key"])].add(row, book)
            models.add(row["model"])
        self._add_tiers(spans, models, book, totals)
        return [WindowFigures(s.auth_index, s.key, s.start_ns // NS, s.end_ns // NS,
                              totals.get((s.auth_index, s.key)) or Totals()) for s in spans]

    def _add_tiers(self, spans: list[Span], models: set[str], book: PriceBook,
                   totals: dict[tuple[str, str], Totals]) -> None:
        """What long-context and service tiers add for the requests they bill differently (rollups
        cannot tell those apart, so they are read one by one, as analytics does)."""
        tiered = book.tiered_models(sorted(models))
        if not tiered:
            return
        thresholds = [t for m in tiered.values() if (t := tiers_of(m.price).lowest_threshold) is not None]
        above = min(thresholds) if thresholds else None
        for row in self._db.read(lambda c: span_tier_candidates(c, spans, sorted(tiered), above)):
            price = tiered[row["model"]].price
            totals[(row["auth_index"], row["key"])].cost_usd += request_cost_usd(row, price) - cost_usd(row, price)

    def sparklines(self, days: int, now_s: int) -> Sparklines:
        """Every credential's used % per window over the last `days`, in SPARK_POINTS buckets aligned to the
        epoch (the last one holds now): each bucket holds the highest reading in it. Readings are only ever
        added at the present, so a bucket that has ended never changes: those are read once and kept, and
        a page load reads only the current bucket (a week of 1,000 credentials is ~170,000 rows)."""
        bucket_s = days * 86400 // SPARK_POINTS
        current = now_s // bucket_s
        first = current - SPARK_POINTS + 1
        peaks = [*self._ended(bucket_s, first, current),
                 *bucket_peaks(self._db, current * bucket_s, now_s + 1, bucket_s)]
        series: dict[str, dict[str, list[float | None]]] = {}
        for peak in peaks:
            line = series.setdefault(peak.auth_index, {}).setdefault(peak.window, [None] * SPARK_POINTS)
            line[peak.bucket - first] = peak.used_percent
        return Sparklines(first * bucket_s, now_s + 1, bucket_s, series)

    def _ended(self, bucket_s: int, first: int, current: int) -> list[BucketPeak]:
        """Peaks of the ended buckets [first, current), from the cache; missing ones read in one statement."""
        with self._ended_lock:
            cache = self._ended_cache.setdefault(bucket_s, {})
            for old in [k for k in cache if k < first]:
                del cache[old]
            missing = [k for k in range(first, current) if k not in cache]
            if missing:
                low, high = min(missing), max(missing) + 1
                found: dict[int, list[BucketPeak]] = {k: [] for k in range(low, high)}
                for peak in bucket_peaks(self._db, low * bucket_s, high * bucket_s, bucket_s):
                    found[peak.bucket].append(peak)
                cache.update(found)
            return [peak for k in range(first, current) for peak in cache[k]]
