"""Import usage history: our JSONL/CSV-free exports, the Go service's JSONL, JSON arrays, raw CPA queue
records, and legacy CPA snapshots (`usage.apis.*.models.*.details[]`, with or without the
`{"version","usage"}` wrapper).

The whole file is validated before anything is written, so a bad file is rejected whole with its line
numbers and the store is left unchanged; a valid file is then staged in batches and committed in one
transaction, so a record the database refuses still leaves the store unchanged. No input gets a 5xx:
numbers are bounded to what SQLite's int64 holds, nesting too deep to parse is an error of its line,
and anything unexpected while reading the file rejects it with a sentence. A JSON array is read one
element at a time (cpa/jsonarray.py), never whole. Duplicates are skipped by the content key, so
importing the same file twice, or an overlapping newer snapshot, adds only what is new.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from cpa_manager_desktop import redact
from cpa_manager_desktop.cpa.jsonarray import BadElement, NotAnArray, iter_array
from cpa_manager_desktop.ingest import tokens as token_model
from cpa_manager_desktop.ingest.normalise import (
    CONTROL_KEYS,
    MAX_DURATION_MS,
    MAX_STATUS_CODE,
    RecordError,
    event_key,
    normalise_record,
)
from cpa_manager_desktop.ingest.timestamps import parse_timestamp_ns
from cpa_manager_desktop.ingest.tokens import MAX_TOKEN_COUNT
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.rows import EventRow
from cpa_manager_desktop.transfer.export import EXPORT_FIELDS, EXPORT_FORMAT, EXPORT_FORMATS
from cpa_manager_desktop.transfer.legacy import LEGACY_WARNINGS, larger_count, legacy_records, legacy_snapshot
from cpa_manager_desktop.transfer.report import ImportRejected, ImportReport

log = logging.getLogger(__name__)
BATCH_ROWS = 1000
MAX_HEAD_BYTES = 1 << 20
MAX_TEXT_CHARS = 4096
MAX_DIGITS = 20
AGGREGATE_KEYS = frozenset({"total_requests", "success_count", "failure_count", "total_tokens"})
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
RAW_COUNTS = ("input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens", "cache_read_tokens",
              "cache_creation_tokens", "total_tokens")
BUCKET_COUNTS = ("in_uncached", "in_cache_read", "in_cache_write", "in_cache_write_1h", "out_total", "out_reasoning",
                 "unclassified_tokens")
SUMMED_BUCKETS = ("in_uncached", "in_cache_read", "in_cache_write", "out_total", "unclassified_tokens")


# ---- one item to one row ----

def row_from_item(item: Any) -> EventRow | None:
    """A row, or None for an item that carries no usage (a control frame). Raises RecordError."""
    if not isinstance(item, dict):
        raise RecordError(f"expected a JSON object, got a JSON {type(item).__name__}")
    if item and set(item) <= CONTROL_KEYS:
        return None
    if item.get("format") in EXPORT_FORMATS or "in_uncached" in item:
        return row_from_export(item)
    if "event_hash" in item or "timestamp_ms" in item:
        return normalise_record(_from_go_export(item))
    if _is_aggregate_only(item):
        raise RecordError("this object holds aggregate totals, not request details")
    return normalise_record(item)


def _hash_or_none(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _HEX64.match(value):
        raise RecordError(f"{name} must be a sha256 hex string")
    return value


def _int(item: dict[str, Any], name: str, *, optional: bool = False, upper: int = MAX_TOKEN_COUNT) -> int | None:
    value = item.get(name)
    if value in (None, ""):
        if optional:
            return None
        return 0
    text = str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not text.isdigit() or len(text) > MAX_DIGITS or int(text) > upper:
        raise RecordError(f"{name} must be a whole number from 0 to {upper}")
    return int(text)


def _label(item: dict[str, Any], name: str, *, is_key: bool = False) -> str | None:
    value = item.get(name)
    if not value:
        return None
    text = str(value)
    # Our own export carries masked labels: kept as they are, so every source stays distinct.
    return text if redact.is_masked(text) else redact.mask_label(text, is_key=is_key)


def row_from_export(item: dict[str, Any]) -> EventRow:
    """One line of our own export. Labels are re-masked so a hand-edited file cannot plant a key."""
    try:
        ts_ns = parse_timestamp_ns(item.get("timestamp"))
    except ValueError as exc:
        raise RecordError(f"bad timestamp: {exc}") from None
    text = {name: _field_text(item, name) for name in EXPORT_FIELDS}
    counts = {name: _int(item, name) or 0 for name in (*RAW_COUNTS, *BUCKET_COUNTS)}
    failed = item.get("failed")
    if not isinstance(failed, bool):
        raise RecordError("failed must be true or false")
    latency_ms = _int(item, "latency_ms", optional=True, upper=MAX_DURATION_MS)
    status_code = _int(item, "status_code", optional=True, upper=MAX_STATUS_CODE)
    source_hash, api_key_hash = _hash_or_none(item, "source_hash"), _hash_or_none(item, "api_key_hash")
    model = text["model"] or "unknown"
    quality = text["token_quality"] or "derived"
    key = _export_key(item) or event_key((
        text["request_id"], ts_ns, text["endpoint"], model, text["auth_index"], source_hash, api_key_hash,
        counts["input_tokens"], counts["output_tokens"], counts["reasoning_tokens"], counts["cached_tokens"],
        counts["cache_read_tokens"], counts["cache_creation_tokens"], counts["total_tokens"], int(failed),
        latency_ms, status_code,
    ))
    if item.get("format") != EXPORT_FORMAT:
        counts.update(_recomputed(text["provider"], counts, quality, status_code))
    counts["total_tokens"] = sum(counts[name] for name in SUMMED_BUCKETS)
    fail_body = text["fail_body"]
    return EventRow(
        event_key=key, request_id=text["request_id"], ts_ns=ts_ns, provider=text["provider"],
        executor_type=text["executor_type"], model=model, alias=text["alias"], endpoint=text["endpoint"],
        auth_type=text["auth_type"], auth_index=text["auth_index"], source_label=_label(item, "source_label"),
        source_hash=source_hash, api_key_hash=api_key_hash, api_key_label=_label(item, "api_key_label", is_key=True),
        **counts, token_quality=quality, latency_ms=latency_ms,
        ttft_ms=_int(item, "ttft_ms", optional=True, upper=MAX_DURATION_MS), failed=int(failed),
        status_code=status_code,
        fail_body=redact.cap_text(redact.scrub_text(fail_body)) if fail_body else None,
        reasoning_effort=text["reasoning_effort"], service_tier=text["service_tier"],
        response_service_tier=text["response_service_tier"], client_ip=text["client_ip"],
        user_agent=text["user_agent"], access_token_sha256=_hash_or_none(item, "access_token_sha256"),
    )


def _export_key(item: dict[str, Any]) -> bytes | None:
    value = item.get("event_key")
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _HEX32.match(value):
        raise RecordError("event_key must be 32 hex digits")
    return bytes.fromhex(value)


def _recomputed(provider: str | None, counts: dict[str, int], quality: str,
                status_code: int | None) -> dict[str, int]:
    """A line written before the canonical model (format v1): buckets that were derived from the raw
    counts are derived again with today's rules. A status code stands for CPA >= v7.0.0, as in
    migration 4; `total_tokens` still holds the provider's reported total."""
    if quality not in ("derived", token_model.INCONSISTENT):
        return {}
    raw = {"input": counts["input_tokens"], "output": counts["output_tokens"],
           "reasoning": counts["reasoning_tokens"], "cached": counts["cached_tokens"],
           "cache_read": counts["cache_read_tokens"], "cache_creation": counts["cache_creation_tokens"]}
    cache_fields = status_code is not None
    if quality == token_model.INCONSISTENT:
        buckets = token_model.rebuild_inconsistent(provider, raw, counts["total_tokens"], cache_fields=cache_fields)
    else:
        buckets = token_model.derive(provider, raw, cache_fields=cache_fields)
    return {"in_uncached": buckets.uncached_input, "in_cache_read": buckets.cache_read,
            "in_cache_write": buckets.cache_write, "in_cache_write_1h": buckets.cache_write_1h,
            "out_total": buckets.output_total, "out_reasoning": buckets.reasoning,
            "unclassified_tokens": buckets.unclassified}


def _field_text(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str | int | float):
        raise RecordError(f"{name} must be text")
    return str(value)[:MAX_TEXT_CHARS]


def _from_go_export(item: dict[str, Any]) -> dict[str, Any]:
    """A line of the Go Usage Service's export, reshaped as a queue record."""
    record = dict(item)
    if not record.get("timestamp") and record.get("timestamp_ms") is not None:
        record["timestamp"] = record["timestamp_ms"]
    record["tokens"] = {name: item.get(name, 0) for name in (
        "input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens", "total_tokens")}
    record["tokens"]["cache_read_tokens"] = larger_count(item.get("cached_tokens"), item.get("cache_tokens"))
    record.pop("raw_json", None)
    return record


# ---- whole files ----

@dataclass
class ParsedSource:
    format: str
    items: Callable[[ImportReport], Iterator[tuple[int, Any]]]   # a fresh pass over (line, item)
    warnings: tuple[str, ...] = ()


def _first_char(stream: IO[bytes]) -> bytes:
    stream.seek(0)
    while True:
        chunk = stream.read(1)
        if not chunk or not chunk.isspace():
            return chunk


def _jsonl_items(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    stream.seek(0)
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except (ValueError, UnicodeDecodeError) as exc:
            yield number, RecordError(f"not valid JSON: {exc}")
        except RecursionError:
            yield number, RecordError("nested too deeply to read")


def _array_items(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    """(element number, element) of a JSON array, streamed; an element that cannot be decoded is a
    RecordError of its own, a document that is not an array rejects the file."""
    stream.seek(0)
    try:
        for number, item in enumerate(iter_array(stream), 1):
            yield number, RecordError(f"not valid JSON: {item.reason}") if isinstance(item, BadElement) else item
    except NotAnArray as exc:
        raise RecordError(f"the file is not valid JSON: {exc}") from None


def detect(stream: IO[bytes], report: ImportReport) -> ParsedSource:
    first = _first_char(stream)
    if not first:
        raise ImportRejected("the file is empty", report)
    if first == b"[":
        return ParsedSource("json_array", lambda _report: _array_items(stream))
    if first != b"{":
        return ParsedSource("usage_service_jsonl", lambda _report: _jsonl_items(stream))
    stream.seek(0)
    first_line = stream.readline(MAX_HEAD_BYTES)
    try:
        head = json.loads(first_line)
    except (ValueError, UnicodeDecodeError, RecursionError):
        head = None
    if isinstance(head, dict) and legacy_snapshot(head) is None and not _is_aggregate_only(head):
        return ParsedSource("usage_service_jsonl", lambda _report: _jsonl_items(stream))
    stream.seek(0)
    try:
        document = json.load(stream)
    except (ValueError, UnicodeDecodeError, RecursionError):
        # Not one JSON document: JSON Lines whose first line is unusual; each line is judged on its own.
        return ParsedSource("usage_service_jsonl", lambda _report: _jsonl_items(stream))
    return _document_source(document, report)


def _is_aggregate_only(item: dict[str, Any]) -> bool:
    return bool(AGGREGATE_KEYS & set(item)) and "timestamp" not in item


def _document_source(document: Any, report: ImportReport) -> ParsedSource:
    snapshot = legacy_snapshot(document)
    if snapshot is not None:
        version = document.get("version", 1) if "usage" in document else 1
        if isinstance(version, bool) or version not in (0, 1):
            raise ImportRejected(f"unsupported legacy snapshot version {version!r}", report)
        label = "legacy_usage_export" if "usage" in document else "legacy_usage_payload"
        return ParsedSource(label, lambda pass_report: legacy_records(snapshot, pass_report), LEGACY_WARNINGS)
    if isinstance(document, dict) and _is_aggregate_only(document):
        raise ImportRejected("the file holds only aggregate totals; request details are needed to import", report)
    return ParsedSource("usage_service_jsonl", lambda _report: iter([(1, document)]))


def _rows(source: ParsedSource, report: ImportReport) -> Iterator[EventRow]:
    for number, item in source.items(report):
        if isinstance(item, RecordError):
            report.add_error(number, str(item))
            continue
        try:
            row = row_from_item(item)
        except RecordError as exc:
            report.add_error(number, str(exc))
            continue
        except (ArithmeticError, AttributeError, KeyError, RecursionError, TypeError, ValueError) as exc:
            report.add_error(number, f"not a usable record ({type(exc).__name__})")
            continue
        if row is None:
            report.unsupported += 1
            continue
        report.total += 1
        yield row


def import_file(stream: IO[bytes], events: EventStore, *, skip_invalid: bool = False) -> ImportReport:
    """Validate the whole file, then commit it in one transaction. Raises ImportRejected with the report
    (and nothing written) for any file that cannot be imported."""
    report = ImportReport()
    source = detect(stream, report)
    report.format = source.format
    report.warnings = list(source.warnings)
    try:
        for _ in _rows(source, report):
            pass
    except RecordError as exc:
        raise ImportRejected(str(exc), report) from None
    if report.failed and not skip_invalid:
        first = report.errors[0]
        raise ImportRejected(f"line {first['line']}: {first['error']} ({report.failed} bad lines; nothing imported)",
                             report)
    if report.total == 0:
        raise ImportRejected("the file holds no request details to import", report)
    _commit(source, events, report)
    return report


def _commit(source: ParsedSource, events: EventStore, report: ImportReport) -> None:
    counting = ImportReport()  # the second pass re-counts; its errors were already reported
    staging = events.import_staging()
    batch: list[EventRow] = []
    try:
        for row in _rows(source, counting):
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                staging.stage(batch)
                batch.clear()
        if batch:
            staging.stage(batch)
        result = staging.commit()
    except (ArithmeticError, ValueError, sqlite3.IntegrityError, sqlite3.InterfaceError) as exc:
        # A record the database refuses (text it cannot encode, a constraint): the file is rejected
        # whole and nothing of it was written.
        staging.discard()
        log.warning("import refused by the database: %s", exc)
        raise ImportRejected(f"the database refused a record of this file ({type(exc).__name__}); "
                             "nothing imported", report) from None
    except BaseException:
        staging.discard()
        raise
    report.added += result.inserted
    report.skipped += result.skipped
