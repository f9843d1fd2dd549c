"""The coverage ledger's gaps as the panel reads them, beside the series they shade. An open gap runs
to `now` (it is still growing); `lengthS` is its length so far."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cpa_manager_desktop.store.coverage import CoverageStore, Gap
from cpa_manager_desktop.store.queries import MAX_NS, Window


def gap_payload(gap: Gap, now_s: float) -> dict[str, Any]:
    end_s = gap.end_s if gap.end_s is not None else max(now_s, gap.start_s)
    return {"start": round(gap.start_s * 1000), "end": round(end_s * 1000), "open": gap.end_s is None,
            "reason": gap.reason.value, "lengthS": round(end_s - gap.start_s), "retentionS": gap.retention_s}


def gaps_payload(gaps: Iterable[Gap], now_s: float) -> list[dict[str, Any]]:
    return [gap_payload(gap, now_s) for gap in gaps]


def gaps_in(store: CoverageStore, window: Window) -> list[Gap]:
    """Gaps overlapping the window (whole, not clipped to it)."""
    end_ms = window.end_ns // 1_000_000 if window.end_ns != MAX_NS else 2**62
    return store.overlapping(window.start_ns // 1_000_000, end_ms)


def report(store: CoverageStore, window: Window, now_s: float) -> dict[str, Any]:
    """GET /coverage: the gaps overlapping the window and how much of the window they cover."""
    gaps = gaps_payload(gaps_in(store, window), now_s)
    start_ms = window.start_ns // 1_000_000
    end_ms = window.end_ns // 1_000_000 if window.end_ns != MAX_NS else round(now_s * 1000)
    covered_ms = sum(max(0, min(g["end"], end_ms) - max(g["start"], start_ms)) for g in gaps)
    return {"window": {"start": start_ms or None, "end": None if window.end_ns == MAX_NS else end_ms},
            "gaps": gaps, "totalS": round(covered_ms / 1000)}
