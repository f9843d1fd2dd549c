"""Every analytics total a surface shows, read through the real services, for comparing a database before
and after retention compacted it (tests/test_retention.py, the kill test, bench/retention.py)."""

from __future__ import annotations

import json
import math
from datetime import UTC
from pathlib import Path
from typing import Any

from cpa_manager_desktop.analytics.compat import UsageSnapshot
from cpa_manager_desktop.analytics.service import AnalyticsQuery, AnalyticsService
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.prices import Price, PriceStore
from cpa_manager_desktop.store.queries import Filters, Window
from cpa_manager_desktop.store.rollups import NS_PER_HOUR

DIMENSIONS = ("model", "provider", "account", "apiKey", "endpoint")
# A long-context tier low enough that synthetic codex prompts (up to 120k tokens) cross it, so cost by tier
# is part of the comparison.
TIERED = Price("gpt-5.4", 1.25, 10.0, 0.125, tiers_json=json.dumps(
    {"context": [{"aboveTokens": 100_000, "input": 2.5, "output": 15.0, "cacheRead": 0.25}]}))


def add_tiered_price(db: Database) -> None:
    PriceStore(db).upsert([TIERED])


def windows(now_ns: int, days: int) -> dict[str, Window]:
    """All time, and whole-hour windows reaching into the compacted range."""
    hour_now = now_ns // NS_PER_HOUR * NS_PER_HOUR
    day_ns = 24 * NS_PER_HOUR
    return {"all": Window(), f"{days}d": Window(hour_now - days * day_ns, hour_now + NS_PER_HOUR),
            "old-week": Window(hour_now - 80 * day_ns, hour_now - 73 * day_ns)}


def totals(db: Database, now_ns: int, days: int = 90) -> dict[str, Any]:
    """Summary, series by day and hour, breakdowns, filtered breakdowns (raw paths), failures, /usage."""
    service = AnalyticsService(db, PriceStore(db))
    result: dict[str, Any] = {}
    for name, window in windows(now_ns, days).items():
        query = AnalyticsQuery(window, UTC)
        result[f"{name}/summary"] = service.summary(query)
        result[f"{name}/series/day"] = service.timeseries(query, "day")
        for by in DIMENSIONS:
            result[f"{name}/by/{by}"] = service.breakdown(query, by)
        # Filters no narrow rollup family keys read raw rows throughout: the archive must answer them.
        mixed = AnalyticsQuery(window, UTC, Filters(endpoints=("POST /v1/chat/completions",), failed=False))
        result[f"{name}/by/account?endpoint&success"] = service.breakdown(mixed, "account")
        codes = AnalyticsQuery(window, UTC, Filters(extra_raw=(("status_code IN (?)", (429,)),)))
        result[f"{name}/by/apiKey?status=429"] = service.breakdown(codes, "apiKey")
        # Where raw events end is the one thing that should change: it is checked on its own.
        result[f"{name}/failures"] = {k: v for k, v in service.failures(query).items() if k != "aggregatedBefore"}
        usage = json.loads("".join(UsageSnapshot(db, window, 0, UTC).chunks()))
        result[f"{name}/usage"] = {k: v for k, v in usage.items() if k != "aggregated_before_ms"}
    return result


def differences(before: Any, after: Any, path: str = "") -> list[str]:
    """Paths where two totals differ. Floats (cost, rates, averages) are compared to 1e-9 relative or
    1e-5 absolute: per-request tier surcharges are summed in another order once some come from the archive."""
    if isinstance(before, dict) and isinstance(after, dict):
        if before.keys() != after.keys():
            return [f"{path}: keys {sorted(before.keys() ^ after.keys())}"]
        return [d for k in before for d in differences(before[k], after[k], f"{path}/{k}")]
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return [f"{path}: {len(before)} items != {len(after)}"]
        pairs = enumerate(zip(before, after, strict=True))
        return [d for i, (b, a) in pairs for d in differences(b, a, f"{path}[{i}]")]
    if isinstance(before, float) and isinstance(after, float):
        return [] if math.isclose(before, after, rel_tol=1e-9, abs_tol=1e-5) else [f"{path}: {before} != {after}"]
    return [] if before == after else [f"{path}: {str(before)[:80]} != {str(after)[:80]}"]


def save(path: Path, value: dict[str, Any]) -> None:
    path.write_text(json.dumps(value, sort_keys=True))


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())
