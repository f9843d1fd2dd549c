"""Migration 14: retention (issue 17 §4). Raw events older than the retention cutoff are folded into
`archive_hours` (one row per hour and every dimension a raw read can filter or group by, with every
measure), `archive_failures` (failure counts per status and redacted body) and `archive_tier_events`
(the few requests a price tier may bill differently), then deleted, in one transaction per batch.

The archive tables key by a small integer (archive_keys); views with the archive's read names put the
text columns back. The narrow rollups already hold every event (written at insert) and are never touched; the archive
stands in for the deleted raw rows only where a query read raw rows. `retention_state` holds the cutoff
of the last compaction; the trigger on the packed events table (migration 13) skips inserts older than
it (an import of the aggregated range), since their event keys are gone and they would be counted
twice. Frozen."""

from __future__ import annotations

import sqlite3

_DIMENSIONS = "endpoint, model, provider, auth_index, api_key_hash"
_SUMS = ("requests", "input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens", "cache_read_tokens",
         "cache_creation_tokens", "total_tokens", "in_uncached", "in_cache_read", "in_cache_write",
         "in_cache_write_1h", "out_total", "out_reasoning", "unclassified_tokens", "inconsistent",
         "latency_ms_sum", "latency_count", "ttft_ms_sum", "ttft_count",
         *(f"lat_h{i:02d}" for i in range(16)))


def _view(name: str, table: str) -> str:
    """The archive table with its key's text columns, as the read queries filter and group by them."""
    return (f"CREATE VIEW {name} AS SELECT t.*, k.endpoint, k.model, k.provider, k.auth_index, k.api_key_hash "
            f"FROM {table} AS t JOIN archive_keys AS k ON k.id = t.key_id")


STATEMENTS = (
    # One small integer per (endpoint, model, provider, account, API key): a 64-character key hash in every
    # archive row cost more than the row's measures.
    "CREATE TABLE archive_keys (id INTEGER PRIMARY KEY, endpoint TEXT NOT NULL, model TEXT NOT NULL, "
    f"provider TEXT NOT NULL, auth_index TEXT NOT NULL, api_key_hash TEXT NOT NULL, UNIQUE ({_DIMENSIONS}))",
    "CREATE TABLE archive_hour_sums (hour INTEGER NOT NULL, key_id INTEGER NOT NULL, failed INTEGER NOT NULL, "
    "status_code INTEGER NOT NULL, " + ", ".join(f"{m} INTEGER NOT NULL DEFAULT 0" for m in _SUMS)
    + ", PRIMARY KEY (hour, key_id, failed, status_code)) WITHOUT ROWID",
    "CREATE TABLE archive_failure_counts (hour INTEGER NOT NULL, key_id INTEGER NOT NULL, "
    "status_code INTEGER NOT NULL, fail_body TEXT NOT NULL, failures INTEGER NOT NULL, "
    "last_ts_ns INTEGER NOT NULL, PRIMARY KEY (hour, key_id, status_code, fail_body)) WITHOUT ROWID",
    "CREATE TABLE archive_tier_requests (id INTEGER PRIMARY KEY, hour INTEGER NOT NULL, key_id INTEGER NOT NULL, "
    "failed INTEGER NOT NULL, status_code INTEGER NOT NULL, response_service_tier TEXT, "
    "in_uncached INTEGER NOT NULL, in_cache_read INTEGER NOT NULL, in_cache_write INTEGER NOT NULL, "
    "in_cache_write_1h INTEGER NOT NULL, out_total INTEGER NOT NULL, unclassified_tokens INTEGER NOT NULL)",
    "CREATE INDEX idx_archive_tier_hour ON archive_tier_requests (hour)",
    _view("archive_hours", "archive_hour_sums"),
    _view("archive_failures", "archive_failure_counts"),
    _view("archive_tier_events", "archive_tier_requests"),
    "CREATE TABLE retention_state (id INTEGER PRIMARY KEY CHECK (id = 1), archived_before_ns INTEGER NOT NULL, "
    "archived_events INTEGER NOT NULL)",
    "INSERT INTO retention_state (id, archived_before_ns, archived_events) VALUES (1, 0, 0)",
    # On the packed table (migration 13), where inserts go: usage_events is a view, which takes no
    # BEFORE trigger.
    "CREATE TRIGGER skip_archived_events BEFORE INSERT ON usage_event_rows "
    "WHEN NEW.ts_ns < (SELECT archived_before_ns FROM retention_state WHERE id = 1) "
    "BEGIN SELECT RAISE(IGNORE); END",
)


def apply(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
