"""Small typed readers shared by the provider parsers: numbers, times and objects, or ShapeError."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cpa_manager_desktop.quota.reading import ShapeError


def obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ShapeError(f"{what} is not an object")
    return value


def number(value: Any, what: str) -> float:
    """A JSON number, or a numeric string (Kimi and Gemini send counts as strings)."""
    if isinstance(value, bool):
        raise ShapeError(f"{what} is not a number")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise ShapeError(f"{what} is not a number")


def optional_number(value: Any, what: str) -> float | None:
    return None if value is None else number(value, what)


def time_ms(value: Any, what: str) -> int | None:
    """RFC 3339 text or unix seconds → unix ms; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value * 1000)
    if isinstance(value, str):
        try:
            return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
        except ValueError:
            pass
    raise ShapeError(f"{what} is not a time")


def percent(value: float) -> float:
    return round(min(max(value, 0.0), 100.0), 2)
