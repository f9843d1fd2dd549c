"""Row shapes of the events table. The field order is the column order used by every INSERT."""

from __future__ import annotations

from typing import NamedTuple


class EventRow(NamedTuple):
    event_key: bytes            # content hash (16 bytes); the dedup key
    request_id: str | None
    ts_ns: int                  # request start, epoch nanoseconds (UTC)
    provider: str | None
    executor_type: str | None
    model: str
    alias: str | None
    endpoint: str | None
    auth_type: str | None
    auth_index: str | None
    source_label: str | None    # masked credential label, never a raw key
    source_hash: str | None     # sha256 hex of the raw source
    api_key_hash: str | None    # sha256 hex of the client API key
    api_key_label: str | None   # masked client API key
    input_tokens: int
    output_tokens: int
    reasoning_tokens: int
    cached_tokens: int
    cache_read_tokens: int
    cache_creation_tokens: int
    total_tokens: int
    in_uncached: int            # non-overlapping billing buckets, see ingest/tokens.py
    in_cache_read: int
    in_cache_write: int         # all cache writes
    in_cache_write_1h: int      # the 1-hour part of in_cache_write, when the record tells them apart
    out_total: int              # output including reasoning
    out_reasoning: int
    unclassified_tokens: int
    token_quality: str          # complete | unclassified | inconsistent (token_breakdown) | derived
    latency_ms: int | None
    ttft_ms: int | None
    failed: int
    status_code: int | None
    fail_body: str | None       # redacted, capped
    reasoning_effort: str | None
    service_tier: str | None
    response_service_tier: str | None
    client_ip: str | None
    user_agent: str | None
    access_token_sha256: str | None


EVENT_COLUMNS: tuple[str, ...] = EventRow._fields


class DeadLetterRow(NamedTuple):
    received_ns: int
    transport: str
    error: str
    payload: str                # redacted


class DeadLetter(NamedTuple):
    """A queue item that could not be read as a usage record."""

    error: str
    payload: str
