"""Analytics for our panel: summary KPIs, time series, breakdowns, failure analysis, event pages.

Everything is served from hourly rollups where the question allows (whole hours, rollup dimensions,
whole-hour time zones) and from indexed raw rows otherwise. Cost is computed from current prices
at query time, so editing a price re-costs history at once; models without a price are reported
as unpriced rather than costed at $0.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from cpa_manager_desktop.analytics.coverage import gaps_in, gaps_payload
from cpa_manager_desktop.analytics.window import zone_has_whole_hour_offsets
from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.ingest.timestamps import format_ns
from cpa_manager_desktop.prices.defaults import effective_prices
from cpa_manager_desktop.prices.tiers import Match, PriceBook, cost_usd, match_payload, request_cost_usd, tiers_of
from cpa_manager_desktop.store.coverage import CoverageStore
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.prices import PriceStore
from cpa_manager_desktop.store.queries import (
    MAX_NS,
    MEASURES,
    SUMMARY_MEASURES,
    Filters,
    Window,
    aggregate,
    event_page,
    failure_groups,
    labels,
    last_hours_by_account,
    tier_candidates,
)
from cpa_manager_desktop.store.retention import aggregated_before_ms
from cpa_manager_desktop.store.rollups import NS_PER_HOUR
from cpa_manager_desktop.store.schema import HISTOGRAM_BOUNDS_MS, LATENCY_BUCKETS

NS_PER_MINUTE = 60_000_000_000
QUARTER_HOUR_NS = 15 * NS_PER_MINUTE
MAX_POINTS = 5000
BREAKDOWN_DIMENSIONS = {"model": "model", "provider": "provider", "account": "auth_index",
                        "apiKey": "api_key_hash", "endpoint": "endpoint"}
EMPTY_LABELS = {"model": "unknown", "provider": "unknown", "account": "(no account)", "apiKey": "(no API key)",
                "endpoint": "unknown"}
SUMMED = ("requests", "failures", "in_uncached", "in_cache_read", "in_cache_write", "in_cache_write_1h", "out_total",
          "out_reasoning", "unclassified_tokens", "total_tokens", "inconsistent", "latency_ms_sum", "latency_count",
          "ttft_ms_sum", "ttft_count", *LATENCY_BUCKETS)


# What pricing a row needs: the buckets, and the requests an unpriced model leaves uncosted.
PRICED_MEASURES = ("requests", "in_uncached", "in_cache_read", "in_cache_write", "in_cache_write_1h", "out_total",
                   "unclassified_tokens")


def token_payload(s: Mapping[str, Any]) -> dict[str, int]:
    """The canonical buckets (ingest/tokens.py) as the API shows them, for every provider alike: input is
    uncached + cache read + cache write, output is output + reasoning, total is the sum of the buckets."""
    uncached, read, write = s.get("in_uncached") or 0, s.get("in_cache_read") or 0, s.get("in_cache_write") or 0
    write_1h, output, reasoning = s.get("in_cache_write_1h") or 0, s.get("out_total") or 0, s.get("out_reasoning") or 0
    unclassified = s.get("unclassified_tokens") or 0
    return {"input": uncached + read + write, "output": output, "reasoning": reasoning,
            "outputWithoutReasoning": output - reasoning, "uncachedInput": uncached, "cacheRead": read,
            "cacheWrite": write, "cacheWrite5m": write - write_1h, "cacheWrite1h": write_1h,
            "unclassified": unclassified, "total": uncached + read + write + output + unclassified}


@dataclass(frozen=True)
class AnalyticsQuery:
    window: Window
    zone: tzinfo
    filters: Filters = field(default_factory=Filters)


@dataclass
class Totals:
    """Measures summed over rows, with cost, unpriced requests and price matches tracked per model."""

    sums: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    cost_usd: float = 0.0
    unpriced_requests: int = 0
    unpriced_models: set[str] = field(default_factory=set)
    matches: dict[str, Match] = field(default_factory=dict)

    def add(self, row: Mapping[str, Any], book: PriceBook) -> None:
        """Adds a row of one model's sums, priced at the base rates (tiers are added by the caller)."""
        self.add_sums(row)
        self.add_cost(row, book)

    def add_sums(self, row: Mapping[str, Any]) -> None:
        for name in SUMMED:
            self.sums[name] += row.get(name) or 0

    def add_cost(self, row: Mapping[str, Any], book: PriceBook) -> None:
        model = row.get("model") or "unknown"
        match = book.match(row.get("model"))
        if match is not None:
            self.cost_usd += cost_usd(row, match.price)
            self.matches[model] = match
        elif row.get("requests"):
            self.unpriced_requests += row["requests"]
            self.unpriced_models.add(model)

    @property
    def requests(self) -> int:
        return self.sums["requests"]

    def payload(self, *, pricing: bool = True) -> dict[str, Any]:
        """The API shape; `pricing` (each model's price match) is left out of series points, where it
        would repeat the summary's list at every point."""
        s = self.sums
        requests = s["requests"]
        payload = {
            "requests": requests,
            "successes": requests - s["failures"],
            "failures": s["failures"],
            "successRate": (requests - s["failures"]) / requests if requests else None,
            "tokens": token_payload(s),
            # Events whose token_breakdown CPA flagged inconsistent: their buckets were rebuilt from the
            # raw counts and what they leave unexplained is counted as unclassified.
            "inconsistentEvents": s["inconsistent"],
            "costUsd": round(self.cost_usd, 6),
            "unpriced": {"requests": self.unpriced_requests, "models": sorted(self.unpriced_models)},
            "latencyMs": _latency(s, "latency_ms_sum", "latency_count", LATENCY_BUCKETS),
            "ttftMs": {"avg": round(s["ttft_ms_sum"] / s["ttft_count"], 1) if s["ttft_count"] else None,
                       "samples": s["ttft_count"]},
        }
        if pricing:
            payload["pricing"] = [match_payload(model, match) for model, match in sorted(self.matches.items())]
        return payload


def _latency(sums: Mapping[str, int], total: str, count: str, buckets: tuple[str, ...]) -> dict[str, Any]:
    n = sums[count]
    histogram = [sums[b] for b in buckets]
    return {"avg": round(sums[total] / n, 1) if n else None, "p50": percentile(histogram, 0.50),
            "p95": percentile(histogram, 0.95), "samples": n}


def percentile(histogram: list[int], fraction: float) -> float | None:
    """Percentile from bucket counts, interpolated within the bucket (accurate to the bucket width)."""
    total = sum(histogram)
    if not total:
        return None
    target = fraction * total
    seen = 0
    for index, count in enumerate(histogram):
        if count and seen + count >= target:
            lower = HISTOGRAM_BOUNDS_MS[index - 1] if index else 0
            upper = HISTOGRAM_BOUNDS_MS[index] if index < len(HISTOGRAM_BOUNDS_MS) else lower * 2
            return round(lower + (upper - lower) * (target - seen) / count, 1)
        seen += count
    return float(HISTOGRAM_BOUNDS_MS[-1])


class AnalyticsService:
    def __init__(self, db: Database, prices: PriceStore, *, coverage: CoverageStore | None = None) -> None:
        self._db = db
        self._prices = prices
        self._coverage = coverage

    def _book(self) -> PriceBook:
        return PriceBook(effective_prices(self._prices))

    def _aggregate(self, query: AnalyticsQuery, group: list[str], slot_ns: int = NS_PER_HOUR,
                   measures: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        wanted = measures or MEASURES
        return self._db.read(lambda c: aggregate(c, query.window, group, query.filters, slot_ns=slot_ns,
                                                 measures=wanted))

    def _priced(self, query: AnalyticsQuery, group: list[str], key_of: Callable[[Mapping[str, Any]], Any],
                book: PriceBook, *, slot_ns: int = NS_PER_HOUR, measures: tuple[str, ...] | None = None,
                split_sums: bool = False) -> dict[Any, Totals]:
        """Totals per key, priced per model (so each model gets its own price), plus what price tiers
        add for the requests they bill differently (read from raw rows, see tier_candidates). With
        `split_sums`, the measures are summed per key and only the buckets split by model: cheaper when
        the measures are many (a series' latency histograms) and the keys few per model."""
        grouping = group if "model" in group else [*group, "model"]
        totals: dict[Any, Totals] = defaultdict(Totals)
        models: set[str] = set()
        if grouping is group or not split_sums:
            for row in self._aggregate(query, grouping, slot_ns, measures):
                totals[key_of(row)].add(row, book)
                models.add(row["model"])
        else:
            for row in self._aggregate(query, group, slot_ns, measures):
                totals[key_of(row)].add_sums(row)
            for row in self._aggregate(query, grouping, slot_ns, PRICED_MEASURES):
                totals[key_of(row)].add_cost(row, book)
                models.add(row["model"])
        tiered = book.tiered_models(sorted(models))
        if tiered:
            thresholds = [t for m in tiered.values() if (t := tiers_of(m.price).lowest_threshold) is not None]
            above = min(thresholds) if thresholds else None
            candidates = self._db.read(lambda c: tier_candidates(c, query.window, query.filters, grouping,
                                                                  sorted(tiered), above, slot_ns=slot_ns))
            for candidate in candidates:
                row = {**candidate, **{g: candidate[f"g_{g}"] for g in grouping}}
                price = tiered[row["model"]].price
                totals[key_of(row)].cost_usd += request_cost_usd(row, price) - cost_usd(row, price)
        return totals

    def totals(self, query: AnalyticsQuery) -> Totals:
        return self._priced(query, ["model"], lambda _row: None, self._book()).get(None) or Totals()

    def summary(self, query: AnalyticsQuery) -> dict[str, Any]:
        return {"window": _window_payload(query.window), **self.totals(query).payload()}

    def timeseries(self, query: AnalyticsQuery, bucket: str) -> dict[str, Any]:
        group, slot_ns, slot_of = self._series_plan(query, bucket)
        points = self._priced(query, group, slot_of, self._book(), slot_ns=slot_ns, split_sums=True)
        series = [{"t": start_ns // 1_000_000, "label": _label(start_ns, query.zone, bucket),
                   **totals.payload(pricing=False)}
                  for start_ns, totals in sorted(points.items())]
        return {"window": _window_payload(query.window), "bucket": bucket, "points": series,
                "coverage": self.coverage(query.window)}

    def coverage(self, window: Window) -> list[dict[str, Any]]:
        """The coverage ledger's gaps whose missing requests fall in the window, for the charts to shade."""
        if self._coverage is None:
            return []
        now_s = time.time()
        return gaps_payload(gaps_in(self._coverage, window, now_s), now_s)

    def _series_plan(self, query: AnalyticsQuery, bucket: str) -> tuple[list[str], int, Callable[..., int]]:
        window, zone = query.window, query.zone
        if bucket == "minute":
            span_ns = min(window.end_ns, time.time_ns()) - window.start_ns
            if span_ns // NS_PER_MINUTE > MAX_POINTS:
                raise BadRequest(f"minute buckets need a window of at most {MAX_POINTS} minutes",
                                 code="window_too_long")
            return ["slot"], NS_PER_MINUTE, lambda r: r["slot"] * NS_PER_MINUTE
        if bucket not in ("hour", "day"):
            raise BadRequest("bucket must be minute, hour or day", code="invalid_bucket")
        if zone_has_whole_hour_offsets(zone, window):
            if bucket == "hour":
                return ["hour"], NS_PER_HOUR, lambda r: r["hour"] * NS_PER_HOUR
            starts = _BucketStarts(zone, bucket)
            return ["hour"], NS_PER_HOUR, lambda r: starts(r["hour"] * NS_PER_HOUR)
        # Zones with :30/:45 offsets cut hours in half: fold quarter-hours from raw rows instead.
        starts = _BucketStarts(zone, bucket)
        return ["slot"], QUARTER_HOUR_NS, lambda r: starts(r["slot"] * QUARTER_HOUR_NS)

    def breakdown(self, query: AnalyticsQuery, by: str) -> dict[str, Any]:
        column = BREAKDOWN_DIMENSIONS.get(by)
        if column is None:
            raise BadRequest(f"by must be one of {', '.join(BREAKDOWN_DIMENSIONS)}", code="invalid_dimension")
        # Breakdown tables show average latency; percentiles per group would need the histograms,
        # which only the model family keeps. Rows are split by model so every group lists its
        # unpriced models and price matches.
        groups = self._priced(query, [column], lambda r: r[column] or "", self._book(), measures=SUMMARY_MEASURES)
        labels = self._labels(by, groups)
        items = [{"key": key, "label": labels.get(key, key or EMPTY_LABELS[by]), **totals.payload()}
                 for key, totals in groups.items()]
        items.sort(key=lambda item: item["requests"], reverse=True)
        for item in items:
            item["failureRate"] = item["failures"] / item["requests"] if item["requests"] else None
        if by == "account":
            self._add_last_hours(query.window, items)
        return {"window": _window_payload(query.window), "by": by, "items": items}

    def _add_last_hours(self, window: Window, items: list[dict[str, Any]]) -> None:
        """Each account's `lastHourAt`: the start (unix ms) of its last hour with a request in the window,
        so a credential list can say when an account was last used without reading raw events."""
        keys = [item["key"] for item in items if item["key"]]
        hours = self._db.read(lambda c: last_hours_by_account(c, window, keys))
        for item in items:
            hour = hours.get(item["key"])
            item["lastHourAt"] = hour * NS_PER_HOUR // 1_000_000 if hour is not None else None

    def options(self, query: AnalyticsQuery) -> dict[str, Any]:
        """What the filter drop-downs list: each dimension's values in the window with their request
        counts, most used first. Counts only (no cost, no latency), so it is several times cheaper than
        the five breakdowns it replaces on a long window."""
        dimensions: dict[str, list[dict[str, Any]]] = {}
        for by, column in BREAKDOWN_DIMENSIONS.items():
            requests: dict[str, int] = defaultdict(int)
            for row in self._aggregate(query, [column], measures=("requests",)):
                requests[row[column] or ""] += row["requests"]
            labels = self._labels(by, requests)
            items = [{"key": key, "label": labels.get(key, key or EMPTY_LABELS[by]), "requests": count}
                     for key, count in requests.items()]
            items.sort(key=lambda item: (-item["requests"], item["label"]))
            dimensions[by] = items
        return {"window": _window_payload(query.window), "dimensions": dimensions}

    def _labels(self, by: str, keys: Iterable[str]) -> dict[str, str]:
        kind = {"apiKey": "api_key", "account": "account"}.get(by)
        wanted = [k for k in keys if k]
        if kind is None or not wanted:
            return {}
        return self._db.read(lambda c: labels(c, kind, wanted))

    def failures(self, query: AnalyticsQuery) -> dict[str, Any]:
        """Failures by status code and by reason, with a few redacted sample bodies per reason."""
        window = query.window
        rows = self._db.read(lambda c: failure_groups(c, window, query.filters))
        by_status: dict[int | None, int] = defaultdict(int)
        reasons: dict[tuple[int | None, str], dict[str, Any]] = {}
        for status, body, count, last_ns in rows:
            by_status[status] += count
            key = (status, failure_reason(body, status))
            entry = reasons.setdefault(key, {"status": status, "reason": key[1], "count": 0, "lastSeen": 0,
                                             "samples": []})
            entry["count"] += count
            entry["lastSeen"] = max(entry["lastSeen"], last_ns // 1_000_000)
            if body and len(entry["samples"]) < 3:
                entry["samples"].append(body)
        return {
            "window": _window_payload(window),
            # Failures before this instant come from the hourly archive: counts and bodies, no single events.
            "aggregatedBefore": self._db.read(aggregated_before_ms),
            "total": sum(by_status.values()),
            "byStatus": [{"status": s, "count": c} for s, c in sorted(by_status.items(), key=lambda i: -i[1])],
            "byReason": sorted(reasons.values(), key=lambda e: -e["count"]),
        }

    def events(self, query: AnalyticsQuery, *, before: tuple[int, int] | None, after: tuple[int, int] | None,
               limit: int) -> dict[str, Any]:
        """A page of events, newest first. `after` returns only events newer than a cursor (polling)."""
        cursor = after if after is not None else before
        rows = self._db.read(lambda c: event_page(c, query.window, EVENT_FIELDS, limit=limit, cursor=cursor,
                                                  ascending=after is not None, filters=query.filters))
        if after is not None:
            rows.reverse()
        book = self._book()
        events = [_event_payload(dict(zip(EVENT_FIELDS, row, strict=True)), book) for row in rows]
        return {"events": events,
                # Raw events before this instant were folded into hourly totals: the list ends there.
                "aggregatedBefore": self._db.read(aggregated_before_ms),
                "nextBefore": _cursor(rows[-1]) if len(rows) == limit and after is None else None,
                "newest": _cursor(rows[0]) if rows else (f"{after[0]}:{after[1]}" if after else None)}


EVENT_FIELDS = ("id", "ts_ns", "request_id", "provider", "model", "alias", "endpoint", "auth_type", "auth_index",
                "source_label", "api_key_hash", "api_key_label", "in_uncached", "in_cache_read", "in_cache_write",
                "in_cache_write_1h", "out_total", "out_reasoning", "unclassified_tokens", "token_quality",
                "latency_ms", "ttft_ms", "failed", "status_code", "reasoning_effort", "service_tier",
                "response_service_tier")


def _cursor(row: tuple[Any, ...]) -> str:
    return f"{row[1]}:{row[0]}"


def parse_cursor(text: str | None, name: str) -> tuple[int, int] | None:
    if not text:
        return None
    ts_text, _, id_text = text.partition(":")
    if not ts_text.isdigit() or not id_text.isdigit():
        raise BadRequest(f"{name} must be a cursor returned by this endpoint", code="invalid_cursor")
    return int(ts_text), int(id_text)


def _event_payload(row: dict[str, Any], book: PriceBook) -> dict[str, Any]:
    match = book.match(row["model"])
    return {
        "id": row["id"], "timestamp": format_ns(row["ts_ns"]), "requestId": row["request_id"],
        "provider": row["provider"], "model": row["model"], "alias": row["alias"], "endpoint": row["endpoint"],
        "authType": row["auth_type"], "account": row["auth_index"], "accountLabel": row["source_label"],
        "apiKeyHash": row["api_key_hash"], "apiKeyLabel": row["api_key_label"],
        "tokens": token_payload(row), "tokenQuality": row["token_quality"],
        "latencyMs": row["latency_ms"], "ttftMs": row["ttft_ms"], "failed": bool(row["failed"]),
        "statusCode": row["status_code"], "reasoningEffort": row["reasoning_effort"],
        "serviceTier": row["service_tier"], "responseServiceTier": row["response_service_tier"],
        "costUsd": round(request_cost_usd(row, match.price), 8) if match else None,
        "pricing": match_payload(row["model"], match) if match else None,
    }


def failure_reason(body: str | None, status: int | None = None) -> str:
    """A short reason from a (redacted) failure body: the provider's error type/code, else its first words.

    The panel shows the reason beside the HTTP status, so a field that only repeats the status (Gemini's
    `"code": 429`) is skipped and a leading status number is cut ("429 429" said nothing new)."""
    if not body:
        return "(no body)"
    try:
        value = json.loads(body)
    except ValueError:
        first = body.strip().splitlines()[0] if body.strip() else ""
        return _without_status(first, status)[:80] or "(no body)"
    error = value.get("error", value) if isinstance(value, dict) else value
    if isinstance(error, dict):
        for name in ("type", "code", "status", "message"):
            text = str(error.get(name, "")).strip() if isinstance(error.get(name), str | int) else ""
            if text and _without_status(text, status):
                return _without_status(text, status)[:80]
    if isinstance(error, str):
        return _without_status(error, status)[:80] or body[:80]
    return body[:80]


def _without_status(text: str, status: int | None) -> str:
    """text without a leading HTTP status number ("429 Too Many Requests" -> "Too Many Requests")."""
    if status is None:
        return text
    code = str(status)
    if text == code:
        return ""
    return text[len(code):].lstrip(" :-") if text.startswith(code + " ") or text.startswith(code + ":") else text


def _window_payload(window: Window) -> dict[str, Any]:
    return {"start": window.start_ns // 1_000_000 if window.start_ns else None,
            "end": window.end_ns // 1_000_000 if window.end_ns != MAX_NS else None}


class _BucketStarts:
    """Local bucket start per slot start, computed once per distinct slot (rows repeat per model)."""

    def __init__(self, zone: tzinfo, bucket: str) -> None:
        self._zone = zone
        self._bucket = bucket
        self._cache: dict[int, int] = {}

    def __call__(self, slot_ns: int) -> int:
        start = self._cache.get(slot_ns)
        if start is None:
            start = self._cache[slot_ns] = _bucket_start(slot_ns, self._zone, self._bucket)
        return start


def _bucket_start(start_ns: int, zone: tzinfo, bucket: str) -> int:
    local = datetime.fromtimestamp(start_ns / 1e9, zone)
    local = local.replace(minute=0, second=0, microsecond=0)
    if bucket == "day":
        local = local.replace(hour=0)
    return int(local.timestamp()) * 1_000_000_000


def _label(start_ns: int, zone: tzinfo, bucket: str) -> str:
    local = datetime.fromtimestamp(start_ns / 1e9, zone)
    return local.strftime({"minute": "%Y-%m-%d %H:%M", "hour": "%Y-%m-%d %H:00", "day": "%Y-%m-%d"}[bucket])

