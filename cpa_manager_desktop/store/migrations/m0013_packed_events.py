"""Migration 13: raw events packed to under half their size (issue 17 §4).

Measured on 1 M synthetic events (bench/storage.py): a row cost ~530 bytes, and ~300 of them were a
handful of repeated strings (two sha256 hex digests, labels, endpoint, user agent, executor, model...)
written out again on every row. They now live once in `event_texts` and a row holds small integer ids.
idx_events_request went too: no query looks a request id up (the monitoring search is a LIKE '%…%',
which no index serves), and it cost ~19 bytes per event.

- `usage_event_rows` is the packed table, same ids and same order as before;
- `usage_events` becomes a view with the columns and names the table had, so every reader (and a
  `DELETE FROM usage_events WHERE …`, through an INSTEAD OF trigger) keeps working;
- the unique event_key index is built after the copy: sorting once beats inserting 5 M random keys.

Each hourly rollup family also gets a daily (UTC) copy, summed from its hours: a 30-day breakdown then
reads 30 days of rows instead of 720 hours of them. A fourth family, rollup_series, keys the hour by
model alone (summed from rollup_model): an hourly series read ~3 times as many rows from rollup_model.

`response_service_tier` stays text: the partial tier index (migration 7) names its values, and a
partial index cannot look an id up. Frozen: today's layout lives in store/schema.py.
"""

from __future__ import annotations

import logging
import sqlite3
import time

log = logging.getLogger(__name__)

TEXT_COLUMNS = (
    "provider", "executor_type", "model", "alias", "endpoint", "auth_type", "auth_index", "source_label",
    "source_hash", "api_key_hash", "api_key_label", "token_quality", "fail_body", "reasoning_effort",
    "service_tier", "client_ip", "user_agent", "access_token_sha256",
)
TOKEN_COLUMNS = (
    "input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens", "cache_read_tokens",
    "cache_creation_tokens", "total_tokens", "in_uncached", "in_cache_read", "in_cache_write",
    "in_cache_write_1h", "out_total", "out_reasoning", "unclassified_tokens",
)
# The wide column order, as the table had it and the view shows it.
WIDE_COLUMNS = (
    "id", "event_key", "request_id", "ts_ns", "provider", "executor_type", "model", "alias", "endpoint",
    "auth_type", "auth_index", "source_label", "source_hash", "api_key_hash", "api_key_label", *TOKEN_COLUMNS,
    "token_quality", "latency_ms", "ttft_ms", "failed", "status_code", "fail_body", "reasoning_effort",
    "service_tier", "response_service_tier", "client_ip", "user_agent", "access_token_sha256",
)


def _packed(column: str) -> str:
    return f"{column}_id" if column in TEXT_COLUMNS else column


def _packed_definition(column: str) -> str:
    if column == "id":
        return "id INTEGER PRIMARY KEY"
    if column == "event_key":
        return "event_key BLOB NOT NULL"
    if column in ("request_id", "response_service_tier"):
        return f"{column} TEXT"
    if column in ("ts_ns", "model"):
        return f"{_packed(column)} INTEGER NOT NULL"
    if column in (*TOKEN_COLUMNS, "failed"):
        return f"{column} INTEGER NOT NULL DEFAULT 0"
    return f"{_packed(column)} INTEGER"


CREATE_TEXTS = "CREATE TABLE event_texts (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE)"
FILL_TEXTS = tuple(
    f"INSERT INTO event_texts (value) SELECT DISTINCT {column} FROM usage_events WHERE {column} IS NOT NULL "
    "ON CONFLICT (value) DO NOTHING"
    for column in TEXT_COLUMNS
)
CREATE_ROWS = f"CREATE TABLE usage_event_rows ({', '.join(_packed_definition(c) for c in WIDE_COLUMNS)})"
COPY_ROWS = (
    f"INSERT INTO usage_event_rows ({', '.join(_packed(c) for c in WIDE_COLUMNS)}) SELECT "
    + ", ".join(f"(SELECT id FROM event_texts WHERE value = e.{c})" if c in TEXT_COLUMNS else f"e.{c}"
                for c in WIDE_COLUMNS)
    + " FROM usage_events e ORDER BY e.id"
)
DROP_WIDE = "DROP TABLE usage_events"
CREATE_VIEW = (
    "CREATE VIEW usage_events AS SELECT "
    + ", ".join(f"t_{c}.value AS {c}" if c in TEXT_COLUMNS else f"r.{c} AS {c}" for c in WIDE_COLUMNS)
    + " FROM usage_event_rows r"
    + "".join(f" LEFT JOIN event_texts t_{c} ON t_{c}.id = r.{c}_id" for c in TEXT_COLUMNS)
)
CREATE_DELETE_TRIGGER = (
    "CREATE TRIGGER usage_events_delete INSTEAD OF DELETE ON usage_events "
    "BEGIN DELETE FROM usage_event_rows WHERE id = OLD.id; END"
)
INDEXES = (
    "CREATE UNIQUE INDEX idx_events_key ON usage_event_rows(event_key)",
    "CREATE INDEX idx_events_ts ON usage_event_rows(ts_ns)",
    "CREATE INDEX idx_events_failed_ts ON usage_event_rows(ts_ns) WHERE failed = 1",
    "CREATE INDEX idx_events_tier_candidates ON usage_event_rows(ts_ns) WHERE response_service_tier IN "
    "('priority', 'flex') OR in_uncached + in_cache_read + in_cache_write > 200000",
)

HISTOGRAM_BUCKETS = tuple(f"lat_h{i:02d}" for i in range(16))
BASIC_MEASURES = ("requests", *TOKEN_COLUMNS, "inconsistent", "latency_ms_sum", "latency_count", "ttft_ms_sum",
                  "ttft_count")
SERIES_MEASURES = (*BASIC_MEASURES, *HISTOGRAM_BUCKETS, "failures")
FAMILIES = (  # hourly table, dimensions besides the hour, measures: rollup_series is new, the rest as migration 4
    ("rollup_series", ("model",), SERIES_MEASURES),
    ("rollup_model", ("endpoint", "model", "provider", "failed"), (*BASIC_MEASURES, *HISTOGRAM_BUCKETS)),
    ("rollup_account", ("auth_index", "provider", "model"), (*BASIC_MEASURES, "failures")),
    ("rollup_api_key", ("api_key_hash", "model"), (*BASIC_MEASURES, "failures")),
)

# rollup_series: per hour and model only, summed from rollup_model, whose failed key becomes a count.
CREATE_SERIES = (
    "CREATE TABLE rollup_series (hour INTEGER NOT NULL, model TEXT NOT NULL, "
    + ", ".join(f"{m} INTEGER NOT NULL DEFAULT 0" for m in SERIES_MEASURES)
    + ", PRIMARY KEY (hour, model)) WITHOUT ROWID"
)
FILL_SERIES = (
    f"INSERT INTO rollup_series (hour, model, {', '.join(SERIES_MEASURES)}) SELECT hour, model, "
    + ", ".join("SUM(failed * requests)" if m == "failures" else f"SUM({m})" for m in SERIES_MEASURES)
    + " FROM rollup_model GROUP BY hour, model"
)


def _daily_statements(table: str, dimensions: tuple[str, ...], measures: tuple[str, ...]) -> tuple[str, str]:
    dims = ", ".join(f"{d} {'INTEGER' if d == 'failed' else 'TEXT'} NOT NULL" for d in dimensions)
    sums = ", ".join(f"{m} INTEGER NOT NULL DEFAULT 0" for m in measures)
    create = (f"CREATE TABLE {table}_day (day INTEGER NOT NULL, {dims}, {sums}, "
              f"PRIMARY KEY (day, {', '.join(dimensions)})) WITHOUT ROWID")
    fill = (f"INSERT INTO {table}_day (day, {', '.join(dimensions)}, {', '.join(measures)}) "
            f"SELECT hour / 24, {', '.join(dimensions)}, {', '.join(f'SUM({m})' for m in measures)} "
            f"FROM {table} GROUP BY hour / 24, {', '.join(dimensions)}")
    return create, fill


DAILY_ROLLUPS = tuple(statement for family in FAMILIES for statement in _daily_statements(*family))


def apply(conn: sqlite3.Connection) -> None:
    started = time.monotonic()
    conn.execute(CREATE_TEXTS)
    for statement in FILL_TEXTS:
        conn.execute(statement)
    conn.execute(CREATE_ROWS)
    conn.execute(COPY_ROWS)
    log.info("packing usage events: rows copied in %.1f s", time.monotonic() - started)
    conn.execute(DROP_WIDE)
    for statement in (CREATE_VIEW, CREATE_DELETE_TRIGGER, *INDEXES, CREATE_SERIES, FILL_SERIES, *DAILY_ROLLUPS):
        conn.execute(statement)
    log.info("packing usage events: done in %.1f s (the freed pages are reused by later writes)",
             time.monotonic() - started)
