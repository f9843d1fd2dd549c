"""QuotaResult ↔ the stored SnapshotRow: windows as compact JSON, times in seconds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cpa_manager_desktop.quota.reading import CredentialProblem, QuotaReading, QuotaResult, Unrecognised, Window
from cpa_manager_desktop.store.quota import SnapshotRow

OK = "ok"
UNRECOGNISED = "unrecognised"
RESET_SLACK_S = 60  # providers recompute reset times; a drift this small is not a new window


def to_row(auth_index: str, provider: str, at_s: int, result: QuotaResult) -> SnapshotRow:
    if isinstance(result, QuotaReading):
        windows = [_compact(w) for w in result.windows]
        value: dict[str, Any] = {"w": windows}
        if result.credits is not None:
            value["c"] = [result.credits.has_credits, result.credits.unlimited, result.credits.balance]
        return SnapshotRow(auth_index, provider, at_s, OK, result.plan, json.dumps(value, separators=(",", ":")))
    if isinstance(result, CredentialProblem):
        return SnapshotRow(auth_index, provider, at_s, result.state.value, None, None, f"HTTP {result.status_code}")
    assert isinstance(result, Unrecognised)
    return SnapshotRow(auth_index, provider, at_s, UNRECOGNISED, None, None,
                       json.dumps({"reason": result.reason, "sample": result.sample}, separators=(",", ":")))


@dataclass(frozen=True)
class WindowView:
    key: str
    used_percent: float
    resets_at_s: int | None
    window_s: int | None


@dataclass(frozen=True)
class SnapshotView:
    """A stored row read back, typed."""

    auth_index: str
    provider: str
    at_s: int
    state: str
    plan: str | None
    windows: tuple[WindowView, ...]
    credits: tuple[bool, bool, float | None] | None
    detail: str | None


# The usual window lengths are implied by their keys; leaving them out keeps a year of rows ~20 % smaller.
IMPLIED_SECONDS = {"five_hour": 18_000, "weekly": 604_800}


def _compact(w: Window) -> list[Any]:
    used = int(w.used_percent) if w.used_percent == int(w.used_percent) else w.used_percent
    out: list[Any] = [w.key, used, w.resets_at_ms // 1000 if w.resets_at_ms else None]
    if w.window_s is not None and IMPLIED_SECONDS.get(w.key) != w.window_s:
        out.append(w.window_s)
    return out


def _window(stored: list[Any]) -> WindowView:
    key, used, resets = stored[0], float(stored[1]), stored[2]
    seconds = stored[3] if len(stored) > 3 else IMPLIED_SECONDS.get(key)
    return WindowView(key, used, resets, seconds)


def from_row(row: SnapshotRow) -> SnapshotView:
    value = json.loads(row.windows) if row.windows else {}
    windows = tuple(_window(w) for w in value.get("w", []))
    credits = tuple(value["c"]) if "c" in value else None
    return SnapshotView(row.auth_index, row.provider, row.at_s, row.state, row.plan, windows,
                        credits, row.detail)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Reset:
    auth_index: str
    window: str
    at_s: int


def detect_resets(views: list[SnapshotView]) -> list[Reset]:
    """A window reset between two consecutive readings of one credential: its used % fell, or its
    reset time moved forward."""
    resets = []
    previous: dict[tuple[str, str], WindowView] = {}
    for view in views:
        for window in view.windows:
            key = (view.auth_index, window.key)
            before = previous.get(key)
            if before is not None and (window.used_percent < before.used_percent or (
                    before.resets_at_s is not None and window.resets_at_s is not None
                    and window.resets_at_s > before.resets_at_s + RESET_SLACK_S)):
                resets.append(Reset(view.auth_index, window.key, view.at_s))
            previous[key] = window
    return resets
