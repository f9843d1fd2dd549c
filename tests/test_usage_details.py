"""The /usage details are written as JSON text (analytics/compat.py DetailWriter) for speed: the text
must be exactly what json.dumps made of the detail dict before."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cpa_manager_desktop import redact
from cpa_manager_desktop.analytics.compat import CredentialNames, DetailWriter
from cpa_manager_desktop.ingest.timestamps import format_ns
from cpa_manager_desktop.store.credentials import CredentialSnapshot

HISTORY = {"acc1": [CredentialSnapshot("acc1", 1_000_000, "ali***@example.com", "Alice \"main\"", "a.json", "codex"),
                    CredentialSnapshot("acc1", 2_000_000, None, "renamed", None, "codex")]}


def reference(row: tuple[Any, ...], names: CredentialNames) -> str:
    """The dict-and-dump path the writer replaced."""
    (_id, ts_ns, _endpoint, _model, source_label, auth_index, latency_ms, uncached, cache_read, cache_write,
     output_total, reasoning, total_tokens, failed) = row
    detail: dict[str, Any] = {"timestamp": format_ns(ts_ns), "source": redact.panel_source(source_label or "")}
    if auth_index:
        detail["auth_index"] = auth_index
    if latency_ms is not None:
        detail["latency_ms"] = latency_ms
    detail["tokens"] = {"input_tokens": uncached + cache_read + cache_write, "output_tokens": output_total,
                        "reasoning_tokens": reasoning, "cached_tokens": cache_read, "cache_tokens": cache_read,
                        "cache_read_tokens": cache_read, "cache_creation_tokens": cache_write,
                        "total_tokens": total_tokens}
    detail["failed"] = bool(failed)
    detail.update(names.fields(auth_index, ts_ns))
    return json.dumps(detail, separators=(",", ":"), ensure_ascii=False)


ROWS = [
    (1, 1_500_000_000_000_000_123, "POST /v1/responses", "gpt-5.4", "sk-a…9f3c", "acc1", 812, 100, 2000, 0, 50, 10,
     2150, 0),
    (2, 1_500_000_000_000_000_123, "e", "m", "ali***@example.com", "acc1", None, 0, 0, 0, 0, 0, 0, 1),
    (3, 2_500_000_000_000_000_000, "e", "m", None, None, 5, 1, 2, 3, 4, 0, 10, 1),
    (4, 2_500_000_059_100_000_000, "e", "m", "ünïcode \"quoted\"", "other", 5, 1, 2, 3, 4, 0, 10, 0),
    (5, 2_500_000_060_000_000_001, "e", "m", "****3f9c", "acc1", 0, 0, 0, 0, 0, 0, 0, 0),
    (6, 999_999_999_999_999_999, "e", "m", "", "", 1, 1, 1, 1, 1, 1, 4, 0),
]


@pytest.mark.parametrize("row", ROWS, ids=[str(r[0]) for r in ROWS])
def test_detail_text_is_what_json_dumps_made(row: tuple[Any, ...]) -> None:
    names = CredentialNames(HISTORY)
    writer = DetailWriter(names)
    for _ in range(2):  # the second time from the writer's caches
        assert writer.json(row) == reference(row, names)


def test_one_writer_across_minutes_and_accounts() -> None:
    names = CredentialNames(HISTORY)
    writer = DetailWriter(names)
    assert [writer.json(row) for row in ROWS] == [reference(row, names) for row in ROWS]
