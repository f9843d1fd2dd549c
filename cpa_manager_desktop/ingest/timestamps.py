"""Timestamps to integer nanoseconds since the epoch, without losing Go's 9 fractional digits."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|z|[+-]\d{2}:?\d{2})?$"
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NS_PER_S = 1_000_000_000
# Epoch nanoseconds must fit SQLite's int64: 1970 up to 2262. Outside that a record is unreadable
# (1e30, 23 digits and year 9999 once made every write of the batch fail).
MAX_TS_NS = 2**63 - 1


def parse_timestamp_ns(value: object) -> int:
    """Epoch nanoseconds from RFC 3339 text (offset optional, UTC assumed) or a unix number.

    Numbers are read by magnitude: seconds, milliseconds, microseconds or nanoseconds.
    Raises ValueError for anything else, so a record never silently becomes "now".
    """
    if isinstance(value, bool) or value is None:
        raise ValueError("missing timestamp")
    if isinstance(value, int | float):
        return _in_range(_from_number(value))
    text = str(value).strip()
    if re.fullmatch(r"-?\d{1,30}(\.\d{1,30})?", text):
        return _in_range(_from_number(float(text) if "." in text else int(text)))
    return _in_range(_from_iso(text))


def _in_range(ts_ns: int) -> int:
    if not 0 <= ts_ns <= MAX_TS_NS:
        raise ValueError("timestamp out of range (before 1970 or after 2262)")
    return ts_ns


def _from_number(number: float | int) -> int:
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError("timestamp is not a finite number")
    magnitude = abs(number)
    if magnitude < 1e11:
        scale = NS_PER_S
    elif magnitude < 1e14:
        scale = 1_000_000
    elif magnitude < 1e17:
        scale = 1_000
    else:
        scale = 1
    return int(number * scale) if isinstance(number, int) else round(number * scale)


def _from_iso(text: str) -> int:
    match = _ISO.match(text)
    if not match:
        raise ValueError(f"unrecognised timestamp {text[:40]!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    if int(minute) > 59 or int(second) > 59:
        raise ValueError(f"invalid timestamp {text[:40]!r}: minute or second out of range")
    whole_seconds = _hour_start_s(year, month, day, hour, offset) + int(minute) * 60 + int(second)
    nanos = int((fraction or "0").ljust(9, "0"))
    return whole_seconds * NS_PER_S + nanos


@lru_cache(maxsize=4096)
def _hour_start_s(year: str, month: str, day: str, hour: str, offset: str | None) -> int:
    """Epoch seconds of an hour; cached because a batch of records shares a handful of hours."""
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), tzinfo=_zone(offset))
    except ValueError as exc:
        raise ValueError(f"invalid timestamp {year}-{month}-{day}T{hour}: {exc}") from None
    return (moment - _EPOCH) // timedelta(seconds=1)


def _zone(offset: str | None) -> timezone:
    if not offset or offset in ("Z", "z"):
        return UTC
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def format_ns(ts_ns: int) -> str:
    """UTC RFC 3339 with up to 9 fractional digits, trailing zeros trimmed (Go's RFC3339Nano)."""
    seconds, nanos = divmod(ts_ns, NS_PER_S)
    base = (_EPOCH + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S")
    fraction = f"{nanos:09d}".rstrip("0")
    return f"{base}.{fraction}Z" if fraction else f"{base}Z"
