"""CPA usage records (any version from v6.10 to v7.2) to storable rows.

Everything a record version may carry is optional except the timestamp: a record without a
readable one becomes a dead letter instead of being stamped with "now", which would give it a new
dedup key on every re-delivery.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cpa_manager_desktop import redact
from cpa_manager_desktop.ingest import tokens
from cpa_manager_desktop.ingest.timestamps import parse_timestamp_ns
from cpa_manager_desktop.store.rows import DeadLetter, EventRow

CONTROL_KEYS = frozenset({"refresh", "support_refresh"})
MAX_LABEL = 256
MAX_PAYLOAD_BYTES = 16_384
MAX_PAYLOAD_SCAN = 4 * MAX_PAYLOAD_BYTES
# Bounds that keep a row's numbers and every sum of them inside SQLite's int64 (see tokens.py).
MAX_DURATION_MS = 10**10
MAX_STATUS_CODE = 999


class Control:
    """A CPA control frame such as {"refresh": true}: not usage, not an error."""


CONTROL = Control()
Outcome = EventRow | DeadLetter | Control


class RecordError(ValueError):
    """The item is JSON but not a usable usage record."""


def classify(item: Any) -> Outcome:
    """One queue item (bytes, JSON text or decoded JSON) to a row, a control frame or a dead letter.

    Never raises for any input: a record that breaks an assumption anywhere below (nesting deeper than
    the parser's stack, a number beyond every bound) becomes a dead letter with the reason, so one bad
    record can neither stop the collector nor take its batch down with it.
    """
    try:
        record = _decode(item)
    except RecordError as exc:
        return DeadLetter(str(exc), _redacted_payload(item))
    if _is_control(record):
        return CONTROL
    try:
        return normalise_record(record)
    except RecordError as exc:
        return DeadLetter(str(exc), _redacted_payload(record))
    except (ArithmeticError, RecursionError, TypeError, ValueError) as exc:
        return DeadLetter(f"record could not be read ({type(exc).__name__})", _redacted_payload(record))


MAX_STRING_UNWRAP = 2


def _decode(item: Any) -> dict[str, Any]:
    if isinstance(item, bytes | bytearray):
        try:
            item = bytes(item).decode("utf-8")
        except UnicodeDecodeError:
            raise RecordError("payload is not UTF-8 text") from None
    # CPA embeds a record it could not parse as a JSON string; unwrap that, but only so often.
    for _ in range(MAX_STRING_UNWRAP):
        if not isinstance(item, str):
            break
        item = _loads(item)
    if not isinstance(item, dict):
        raise RecordError(f"payload is a JSON {type(item).__name__}, not an object")
    return item


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"payload is not JSON ({exc.msg} at char {exc.pos})") from None
    except RecursionError:
        raise RecordError("payload is nested too deeply to read") from None


def _is_control(record: Mapping[str, Any]) -> bool:
    return bool(record) and set(record) <= CONTROL_KEYS


def _redacted_payload(item: Any) -> str:
    if isinstance(item, bytes | bytearray):
        item = bytes(item).decode("utf-8", errors="replace")
    if isinstance(item, str):
        try:
            item = json.loads(item)
        except (ValueError, RecursionError):
            return redact.cap_text(redact.scrub_text(item[:MAX_PAYLOAD_SCAN]), MAX_PAYLOAD_BYTES)
    try:
        text = json.dumps(redact.redact_json(item), ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        # Too deep to walk: keep nothing of the values rather than risk keeping a secret.
        text = f"[unreadable {type(item).__name__}; payload not kept]"
    return redact.cap_text(text, MAX_PAYLOAD_BYTES)


def _text(record: Mapping[str, Any], name: str, limit: int = MAX_LABEL) -> str | None:
    value = record.get(name)
    if not value and value != 0:
        return None
    if type(value) is str and len(value) <= limit:
        return value
    return str(value)[:limit]


def _optional_int(record: Mapping[str, Any], name: str, upper: int = MAX_DURATION_MS) -> int | None:
    value = record.get(name)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        raise RecordError(f"field {name} is not a finite number")
    try:
        number = max(int(value), 0)
    except (TypeError, ValueError):
        raise RecordError(f"field {name} is not a number") from None
    if number > upper:
        raise RecordError(f"field {name} is out of range")
    return number


@lru_cache(maxsize=4096)
def _credential(value: str, is_key: bool) -> tuple[str, str]:
    """(sha256 hex, masked label); cached because a handful of keys repeat across millions of rows. A
    record replayed from the raw journal carries a marker with both instead of the key."""
    return redact.unmark(value) or (redact.sha256_hex(value), redact.mask_label(value, is_key=is_key))


def _raw_tokens(record: Mapping[str, Any]) -> tuple[dict[str, int], bool]:
    """The raw provider counts, and whether the record carries `cache_read_tokens` (CPA >= v7.0.3)."""
    source = record.get("tokens")
    if source is None:
        source = record.get("usage")
    if source is not None and not isinstance(source, Mapping):
        raise RecordError("field tokens is not an object")
    get = (source or {}).get
    count = tokens.count
    try:
        # Unrolled on purpose: this runs once per record on the ingestion hot path.
        return {
            "input": count(get("input_tokens", get("prompt_tokens"))),
            "output": count(get("output_tokens", get("completion_tokens"))),
            "reasoning": count(get("reasoning_tokens")),
            "cached": count(get("cached_tokens", get("cache_tokens"))),
            "cache_read": count(get("cache_read_tokens")),
            "cache_creation": count(get("cache_creation_tokens")),
            "cache_5m": count(get("cache_creation_5m_tokens")),
            "cache_1h": count(get("cache_creation_1h_tokens")),
            "total": count(get("total_tokens", get("total"))),
        }, get("cache_read_tokens") is not None
    except ValueError as exc:
        raise RecordError(str(exc)) from None


def _buckets(provider: str | None, raw: dict[str, int], cache_fields: bool, breakdown: Any) -> tokens.Buckets:
    """The canonical buckets: a usable token_breakdown, else the raw counts with the provider's rules."""
    if not isinstance(breakdown, Mapping):
        return tokens.derive(provider, raw, cache_fields=cache_fields)
    try:
        given = tokens.from_breakdown(breakdown)
        if given is not None and given.quality == tokens.INCONSISTENT:
            return tokens.rebuild_inconsistent(provider, raw, tokens.breakdown_total(breakdown),
                                               cache_fields=cache_fields)
    except ValueError as exc:
        raise RecordError(f"token_breakdown: {exc}") from None
    if given is None:
        return tokens.derive(provider, raw, cache_fields=cache_fields)
    return given._replace(cache_write_1h=min(raw["cache_1h"], given.cache_write))


def _failure(record: Mapping[str, Any]) -> tuple[int, int | None, str | None]:
    fail = record.get("fail")
    status = None
    body = None
    if isinstance(fail, Mapping):
        status = _optional_int(fail, "status_code", MAX_STATUS_CODE)
        if fail.get("body"):
            body = redact.cap_text(redact.scrub_text(str(fail["body"])))
    failed = record.get("failed")
    is_failed = failed if isinstance(failed, bool) else status is not None and status >= 400
    return int(is_failed), status, body


def event_key(parts: tuple[Any, ...]) -> bytes:
    """Content-only dedup key: the same record always hashes the same, whenever it arrives."""
    text = "\x1f".join(["" if p is None else str(p) for p in parts])
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


def normalise_record(record: Mapping[str, Any]) -> EventRow:
    """One record to a row. Written for speed (it runs once per collected event): local lookups and a
    positional EventRow, in the column order of store/rows.py."""
    get = record.get
    try:
        ts_ns = parse_timestamp_ns(get("timestamp"))
    except ValueError as exc:
        raise RecordError(f"bad timestamp: {exc}") from None
    provider = _text(record, "provider")
    raw, cache_fields = _raw_tokens(record)
    buckets = _buckets(provider, raw, cache_fields, get("token_breakdown"))
    # The dedup key keeps the provider's own total (rows stored before the canonical model have it).
    total = raw["total"] or buckets.total
    failed, status_code, fail_body = _failure(record)
    source = get("source")
    source_hash, source_label = _credential(str(source), get("auth_type") == "apikey") if source else (None, None)
    api_key = get("api_key")
    api_key_hash, api_key_label = _credential(str(api_key), True) if api_key else (None, None)
    request_id = _text(record, "request_id", 64)
    endpoint = _text(record, "endpoint")
    model = _text(record, "model") or "unknown"
    auth_index = _text(record, "auth_index", 64)
    latency_ms = _optional_int(record, "latency_ms")
    raw_input, raw_output, raw_reasoning = raw["input"], raw["output"], raw["reasoning"]
    raw_cached, raw_cache_read, raw_cache_creation = raw["cached"], raw["cache_read"], raw["cache_creation"]
    key = event_key((
        request_id, ts_ns, endpoint, model, auth_index, source_hash, api_key_hash, raw_input, raw_output,
        raw_reasoning, raw_cached, raw_cache_read, raw_cache_creation, total, failed, latency_ms, status_code,
    ))
    optional = [_text(record, name, limit) for name, limit in _TRAILING_TEXT]
    return EventRow(
        key, request_id, ts_ns, provider, _text(record, "executor_type"), model, _text(record, "alias"), endpoint,
        _text(record, "auth_type", 32), auth_index, source_label, source_hash, api_key_hash, api_key_label,
        raw_input, raw_output, raw_reasoning, raw_cached, raw_cache_read, raw_cache_creation, buckets.total,
        buckets.uncached_input, buckets.cache_read, buckets.cache_write, buckets.cache_write_1h,
        buckets.output_total, buckets.reasoning,
        buckets.unclassified, buckets.quality, latency_ms, _optional_int(record, "ttft_ms") or None,
        failed, status_code, fail_body, *optional,
    )


_TRAILING_TEXT = (("reasoning_effort", 32), ("service_tier", 32), ("response_service_tier", 32),
                  ("client_ip", 64), ("user_agent", 512), ("access_token_sha256", 64))
