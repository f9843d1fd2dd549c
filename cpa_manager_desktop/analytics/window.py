"""Time ranges and time zones from query parameters."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.ingest.timestamps import parse_timestamp_ns
from cpa_manager_desktop.store.queries import MAX_NS, Filters, Window


def parse_window(query: Mapping[str, str]) -> Window:
    """`start`/`end` as RFC 3339 or unix milliseconds (seconds accepted too); both optional."""
    start_ns = _bound(query, "start", 0)
    end_ns = _bound(query, "end", MAX_NS)
    if start_ns >= end_ns:
        raise BadRequest("start must be before end", code="invalid_range")
    return Window(start_ns, end_ns)


def _bound(query: Mapping[str, str], name: str, default: int) -> int:
    text = (query.get(name) or "").strip()
    if not text:
        return default
    try:
        return parse_timestamp_ns(text)
    except ValueError as exc:
        raise BadRequest(f"{name} must be RFC 3339 or unix milliseconds: {exc}", code="invalid_time") from None


def _values(query: Mapping[str, str], name: str) -> tuple[str, ...]:
    text = query.get(name) or ""
    return tuple(v.strip() for v in text.split(",") if v.strip())


def parse_filters(query: Mapping[str, str]) -> Filters:
    """model, provider, account (auth_index), apiKey (sha256), endpoint: comma-separated lists;
    status: success, failed, or HTTP status codes; q: free text over model, alias, endpoint, account label
    and request id (read from raw rows)."""
    extra: list[tuple[str, tuple[object, ...]]] = []
    failed: bool | None = None
    status = _values(query, "status")
    codes = tuple(int(s) for s in status if s.isdigit())
    words = {s.lower() for s in status if not s.isdigit()}
    if words - {"success", "failed"}:
        raise BadRequest("status must be success, failed or HTTP status codes", code="invalid_status")
    if words == {"success"}:
        failed = False
    elif words == {"failed"}:
        failed = True
    if codes:
        extra.append((f"status_code IN ({', '.join('?' for _ in codes)})", codes))
    text = (query.get("q") or "").strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        columns = ("model", "alias", "endpoint", "source_label", "request_id", "provider")
        extra.append(("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns) + ")",
                      (pattern,) * len(columns)))
    return Filters(models=_values(query, "model"), providers=_values(query, "provider"),
                   auth_indexes=_values(query, "account"), api_key_hashes=_values(query, "apiKey"),
                   endpoints=_values(query, "endpoint"), failed=failed, extra_raw=tuple(extra))


def parse_limit(query: Mapping[str, str], default: int, maximum: int) -> int:
    text = (query.get("limit") or "").strip()
    if not text:
        return min(default, maximum)
    if not text.isdigit() or int(text) < 1:
        raise BadRequest("limit must be a positive whole number", code="invalid_limit")
    return min(int(text), maximum)


def parse_zone(query: Mapping[str, str]) -> tzinfo:
    """`tz` as an IANA name (Europe/Berlin) or a fixed offset (+08:00); the server's zone if absent."""
    name = (query.get("tz") or "").strip()
    if not name:
        return local_zone()
    if name[0] in "+-" and len(name) in (5, 6):
        digits = name[1:].replace(":", "")
        if digits.isdigit() and len(digits) == 4:
            sign = -1 if name[0] == "-" else 1
            return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadRequest(f"unknown time zone {name!r}; use an IANA name or an offset like +08:00",
                         code="invalid_tz") from None


def local_zone() -> tzinfo:
    zone = datetime.now().astimezone().tzinfo
    return zone or UTC


def zone_has_whole_hour_offsets(zone: tzinfo, window: Window) -> bool:
    """Hourly rollups can be re-bucketed into this zone's days only if its offsets are whole hours."""
    probes = [window.start_ns, window.end_ns if window.end_ns != MAX_NS else None]
    for ns in probes:
        moment = datetime.now(UTC) if ns is None or ns == 0 else datetime.fromtimestamp(ns / 1e9, UTC)
        offset = moment.astimezone(zone).utcoffset() or timedelta(0)
        if offset.total_seconds() % 3600:
            return False
    return True
