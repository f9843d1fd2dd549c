"""A budget's period in the user's local time: a day, a week starting Monday, or a calendar month.

Bounds are computed from the wall clock in a tzinfo. The system's own zone is SystemZone, which asks the
operating system for the offset at each moment, so a period that spans a DST change still starts at
local midnight (analytics' local_zone() is the offset of *now*, an hour off across a change).
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, tzinfo
from enum import Enum


class Period(Enum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


def period_bounds(period: Period, now_s: float, zone: tzinfo) -> tuple[int, int]:
    """[start, end) in unix seconds of the period holding now_s."""
    today = datetime.fromtimestamp(now_s, zone).date()
    if period is Period.DAILY:
        first, after = today, today + timedelta(days=1)
    elif period is Period.WEEKLY:
        first = today - timedelta(days=today.weekday())
        after = first + timedelta(days=7)
    else:
        first = today.replace(day=1)
        after = (first + timedelta(days=32)).replace(day=1)
    return _midnight(first, zone), _midnight(after, zone)


def _midnight(day: date, zone: tzinfo) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())


class SystemZone(tzinfo):
    """The operating system's local time zone with its DST rules (the tzinfo recipe of Python's docs,
    using tm_gmtoff, available on every platform since 3.6)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(seconds=self._local(dt).tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return self._local(dt).tm_zone

    def fromutc(self, dt: datetime) -> datetime:
        stamp = (dt.replace(tzinfo=None) - datetime(1970, 1, 1)).total_seconds()
        return dt + timedelta(seconds=time.localtime(stamp).tm_gmtoff)

    @staticmethod
    def _local(dt: datetime | None) -> time.struct_time:
        if dt is None:
            return time.localtime()
        fields = (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.weekday(), 0, -1)
        return time.localtime(time.mktime(fields))
