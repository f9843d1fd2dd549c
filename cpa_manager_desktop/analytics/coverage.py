"""The coverage ledger's gaps as the panel reads them, beside the series they shade. Every interval is
in event time, when the missing requests were made (Gap.missing_from_s … missing_until): what a chart's
x axis means. An open gap runs to now − retention (still growing); `lengthS` is its length so far."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cpa_manager_desktop.store.coverage import CoverageStore, Gap
from cpa_manager_desktop.store.queries import MAX_NS, Window


def gap_payload(gap: Gap, now_s: float) -> dict[str, Any]:
    start_s, end_s = gap.missing_from_s, gap.missing_until(now_s)
    return {"start": round(start_s * 1000), "end": round(end_s * 1000), "open": gap.end_s is None,
            "reason": gap.reason.value, "lengthS": round(end_s - start_s), "retentionS": gap.retention_s}


def gaps_payload(gaps: Iterable[Gap], now_s: float) -> list[dict[str, Any]]:
    return [gap_payload(gap, now_s) for gap in gaps]


def gaps_in(store: CoverageStore, window: Window, now_s: float) -> list[Gap]:
    """Gaps whose missing requests overlap the window (whole, not clipped to it)."""
    end_ms = window.end_ns // 1_000_000 if window.end_ns != MAX_NS else 2**62
    return store.overlapping(window.start_ns // 1_000_000, end_ms, round(now_s * 1000))


def report(store: CoverageStore, window: Window, now_s: float) -> dict[str, Any]:
    """GET /coverage: the gaps whose missing requests fall in the window and how much of it they cover."""
    gaps = gaps_payload(gaps_in(store, window, now_s), now_s)
    start_ms = window.start_ns // 1_000_000
    end_ms = window.end_ns // 1_000_000 if window.end_ns != MAX_NS else round(now_s * 1000)
    covered_ms = sum(max(0, min(g["end"], end_ms) - max(g["start"], start_ms)) for g in gaps)
    return {"window": {"start": start_ms or None, "end": None if window.end_ns == MAX_NS else end_ms},
            "gaps": gaps, "totalS": round(covered_ms / 1000)}
