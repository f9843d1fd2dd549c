"""Full-history export as JSONL or CSV: keyset pages, constant memory, no secrets.

Every line carries the stable field names below; keys never appear, only their sha256 and masked
labels. The same lines import back losslessly (`transfer/importer.py`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from cpa_manager_desktop.ingest.timestamps import format_ns
from cpa_manager_desktop.redact import scrub_if_needed
from cpa_manager_desktop.store.coverage import Gap
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.queries import Window, event_page
from cpa_manager_desktop.store.rows import EVENT_COLUMNS, EventRow

# v2: total_tokens is the sum of the canonical buckets, in_cache_write_1h and event_key were added.
# A v1 line (written before issue 12) has its buckets recomputed on import.
EXPORT_FORMAT = "cpa-manager-event-v2"
EXPORT_FORMATS = ("cpa-manager-event-v1", EXPORT_FORMAT)
COVERAGE_FORMAT = "cpa-manager-coverage-v1"
NOTE_MAX_GAPS = 20     # an HTTP header line stays short; the sidecar file lists them all
HASH_FIELDS = frozenset({"source_hash", "api_key_hash", "access_token_sha256"})
PAGE_ROWS = 2000
EXPORT_FIELDS: tuple[str, ...] = (
    "format", "timestamp", "request_id", "provider", "executor_type", "model", "alias", "endpoint", "auth_type",
    "auth_index", "source_label", "source_hash", "api_key_hash", "api_key_label", "input_tokens", "output_tokens",
    "reasoning_tokens", "cached_tokens", "cache_read_tokens", "cache_creation_tokens", "total_tokens",
    "in_uncached", "in_cache_read", "in_cache_write", "in_cache_write_1h", "out_total", "out_reasoning",
    "unclassified_tokens",
    "token_quality", "latency_ms", "ttft_ms", "failed", "status_code", "fail_body", "reasoning_effort",
    "service_tier", "response_service_tier", "client_ip", "user_agent", "access_token_sha256", "event_key",
)


def export_record(row: EventRow) -> dict[str, Any]:
    """One export line. Text is scrubbed once more on the way out: the Management Key has no telltale
    shape, so only the registered key catches it if it ever reached a stored field."""
    values = row._asdict()
    record: dict[str, Any] = {"format": EXPORT_FORMAT, "timestamp": format_ns(row.ts_ns)}
    for name in EXPORT_FIELDS[2:-1]:
        value = values[name]
        record[name] = scrub_if_needed(value) if isinstance(value, str) and name not in HASH_FIELDS else value
    record["failed"] = bool(row.failed)
    # The dedup key travels with the line: it was made from the provider's own total, which the line
    # no longer carries, and re-importing the file must find the same events.
    record["event_key"] = row.event_key.hex()
    return record


def iter_rows(db: Database, window: Window) -> Iterator[EventRow]:
    """All events in the window, oldest first, read in short pages (no transaction spans pages)."""
    after: tuple[int, int] | None = None
    while True:
        page = db.read(lambda c, a=after: event_page(c, window, ("id", *EVENT_COLUMNS), limit=PAGE_ROWS,
                                                     cursor=a, ascending=True))
        for raw in page:
            yield EventRow(*raw[1:])
        if len(page) < PAGE_ROWS:
            return
        after = (page[-1][3], page[-1][0])


def jsonl_chunks(db: Database, window: Window) -> Iterator[bytes]:
    lines: list[str] = []
    for row in iter_rows(db, window):
        lines.append(json.dumps(export_record(row), ensure_ascii=False, separators=(",", ":")))
        if len(lines) >= PAGE_ROWS:
            yield ("\n".join(lines) + "\n").encode("utf-8")
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8")


def csv_chunks(db: Database, window: Window) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for count, row in enumerate(iter_rows(db, window), 1):
        writer.writerow(export_record(row))
        if count % PAGE_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _rfc3339(seconds: float) -> str:
    return format_ns(round(seconds * 1000) * 1_000_000)


def _missing_to(gap: Gap) -> str | None:
    to_s = gap.missing_to_s
    return None if to_s is None else _rfc3339(to_s)


def coverage_note(gaps: list[Gap]) -> str:
    """One ASCII line naming when the requests missing from an exported range were made:
    `paused 2026-…Z/2026-…Z; not_running …` (an open gap ends `/..`, ISO 8601's open end). Empty when
    there are none."""
    parts = [f"{gap.reason.value} {_rfc3339(gap.missing_from_s)}/{_missing_to(gap) or '..'}"
             for gap in gaps[:NOTE_MAX_GAPS]]
    if len(gaps) > NOTE_MAX_GAPS:
        parts.append(f"and {len(gaps) - NOTE_MAX_GAPS} more")
    return "; ".join(parts)


def coverage_sidecar(gaps: list[Gap], exported_file: str) -> bytes:
    """The file written beside a file export whose range has gaps. A separate file, because the export
    itself must stay importable line for line."""
    body = {"format": COVERAGE_FORMAT, "export": exported_file,
            "note": "Requests made in these intervals are missing from the export: collection could not see "
                    "them before CPA dropped them from its queue (an open interval has no end yet)",
            "gaps": [{"start": _rfc3339(g.missing_from_s), "end": _missing_to(g),
                      "reason": g.reason.value, "retentionSeconds": g.retention_s} for g in gaps]}
    return (json.dumps(body, indent=2) + "\n").encode("utf-8")
