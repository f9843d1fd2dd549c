"""CPA's quota-fetch answer → QuotaResult. Pure.

The answer's shape is not specified; plugins agree on roughly (cpa-v8 §6.3, inferred)
  {subscription?: {plan, tierName, tierId}, summary?: [...],
   groups?: [{displayName, buckets: [{window, remainingFraction, resetTime, description}]}]}
so it is read defensively: every bucket that says how much is used or left becomes a window (its reset
time when it has one). A plugin that passes the provider's own answer through is read by that
provider's parser. Anything else is "unrecognised quota format" with a redacted sample, as for api-call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cpa_manager_desktop.quota.fields import number, percent, time_ms
from cpa_manager_desktop.quota.native import NOT_AVAILABLE
from cpa_manager_desktop.quota.parsers import FIVE_HOURS_S, WEEK_S
from cpa_manager_desktop.quota.reading import (
    CredentialProblem,
    CredentialState,
    QuotaReading,
    QuotaResult,
    ShapeError,
    Unrecognised,
    Window,
    redacted_sample,
)

WINDOW_KEYS = {
    **dict.fromkeys(("5h", "5-hour", "five_hour", "fivehour", "5_hour", "primary"), ("five_hour", FIVE_HOURS_S)),
    **dict.fromkeys(("7d", "7-day", "seven_day", "weekly", "week", "secondary"), ("weekly", WEEK_S)),
}
USED_PERCENT_FIELDS = ("used_percent", "usedPercent", "utilization", "percent_used", "percentUsed")
REMAINING_FRACTION_FIELDS = ("remainingFraction", "remaining_fraction")
RESET_FIELDS = ("resetTime", "reset_time", "resetsAt", "resets_at", "resetAt", "reset_at")
ENVELOPES = ("quota", "data", "result")
MS_THRESHOLD = 100_000_000_000  # a unix time above this is in milliseconds (seconds reach it in year 5138)
_NOT_SLUG = re.compile(r"[^a-z0-9.]+")


@dataclass(frozen=True)
class NativeAnswer:
    """CPA's answer to a quota fetch: its HTTP status and, on success, the decoded JSON."""

    status_code: int
    body: Any = None


def native_result(provider: str, answer: NativeAnswer,
                  own_parser: Callable[[str], QuotaResult] | None = None) -> QuotaResult | None:
    """None when CPA has no quota provider for the credential after all (404/501): read it through
    api-call. 502 (the plugin failed) and other errors are the credential's state, never an exception."""
    if answer.status_code in NOT_AVAILABLE:
        return None
    if not 200 <= answer.status_code < 300:
        return CredentialProblem(CredentialState.FAILED, answer.status_code)
    body = _unwrapped(answer.body)
    text = json.dumps(answer.body, separators=(",", ":"), sort_keys=True)
    try:
        return _normalised(provider, body)
    except ShapeError as exc:
        reason = str(exc)
    if own_parser is not None:
        passed_through = own_parser(json.dumps(body))
        if isinstance(passed_through, QuotaReading):
            return passed_through
    return Unrecognised(f"unrecognised {provider} quota format (CPA quota fetch): {reason}", redacted_sample(text))


def _unwrapped(body: Any) -> Any:
    if isinstance(body, dict) and "groups" not in body:
        for name in ENVELOPES:
            if isinstance(body.get(name), dict):
                return body[name]
    return body


def _normalised(provider: str, body: Any) -> QuotaReading:
    if not isinstance(body, dict):
        raise ShapeError("the answer is not an object")
    groups = body.get("groups")
    if not isinstance(groups, list) or not groups:
        raise ShapeError("no groups")
    windows: list[Window] = []
    keys: set[str] = set()
    for g_index, group in enumerate(groups):
        if not isinstance(group, dict) or not isinstance(group.get("buckets"), list):
            continue
        prefix = _slug(group.get("displayName") or group.get("name") or f"group{g_index}") if len(groups) > 1 \
            else ""
        for b_index, bucket in enumerate(group["buckets"]):
            window = _window(bucket, prefix, b_index)
            if window is None:
                continue
            key, n = window.key, 2
            while key in keys:
                key, n = f"{window.key}#{n}", n + 1
            keys.add(key)
            windows.append(Window(key, window.used_percent, window.resets_at_ms, window.window_s))
    if not windows:
        raise ShapeError("no bucket says how much is used or left")
    return QuotaReading(provider, _plan(body.get("subscription")), tuple(windows))


def _window(bucket: Any, prefix: str, index: int) -> Window | None:
    if not isinstance(bucket, dict):
        return None
    used = _used_percent(bucket)
    if used is None:
        return None
    name = bucket.get("window") or bucket.get("description") or f"bucket{index}"
    known = WINDOW_KEYS.get(str(name).strip().lower())
    key, seconds = known if known else (_slug(name), None)
    if prefix:
        key = f"{prefix}:{key}"
    explicit = bucket.get("window_seconds", bucket.get("windowSeconds"))
    if isinstance(explicit, int | float) and not isinstance(explicit, bool) and explicit > 0:
        seconds = int(explicit)
    return Window(key, percent(used), _reset_ms(bucket), seconds)


def _used_percent(bucket: dict[str, Any]) -> float | None:
    for name in REMAINING_FRACTION_FIELDS:
        value = _number(bucket.get(name))
        if value is not None:
            return (1 - value) * 100
    for name in USED_PERCENT_FIELDS:
        value = _number(bucket.get(name))
        if value is not None:
            return value
    return None


def _reset_ms(bucket: dict[str, Any]) -> int | None:
    for name in RESET_FIELDS:
        value = bucket.get(name)
        if value not in (None, ""):
            if isinstance(value, int | float) and not isinstance(value, bool) and value > MS_THRESHOLD:
                return int(value)  # already milliseconds
            try:
                return time_ms(value, name)
            except ShapeError:
                return None  # a reset we cannot read does not make the window unreadable
    return None


def _number(value: Any) -> float | None:
    """fields.number, but a field that is missing or not a number is None: the next field name is tried."""
    try:
        return number(value, "a quota field")
    except ShapeError:
        return None


def _plan(subscription: Any) -> str | None:
    if not isinstance(subscription, dict):
        return None
    for name in ("plan", "tierName", "tierId"):
        if isinstance(subscription.get(name), str) and subscription[name]:
            return subscription[name]
    return None


def _slug(value: Any) -> str:
    return _NOT_SLUG.sub("_", str(value).strip().lower()).strip("_")[:40] or "window"
