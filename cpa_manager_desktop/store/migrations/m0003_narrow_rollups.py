"""Migration 3: the one wide rollup replaced by three narrow families, rebuilt from the raw rows.
(Amended before any release: the account and API-key families count failures as a measure.)

Frozen: the families are copied here as shipped. Today's families live in store/rollups.py; when
they change, a new migration moves old databases there.
"""

from __future__ import annotations

import sqlite3

NS_PER_HOUR = 3_600_000_000_000
TOKEN_SUM_COLUMNS = (
    "input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens", "cache_read_tokens",
    "cache_creation_tokens", "total_tokens", "in_uncached", "in_cache_read", "in_cache_write", "out_total",
    "out_reasoning", "unclassified_tokens",
)
HISTOGRAM_BOUNDS_MS = (100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 30000, 60000)
LATENCY_BUCKETS = tuple(f"lat_h{i:02d}" for i in range(len(HISTOGRAM_BOUNDS_MS) + 1))
BASIC_MEASURES = ("requests", *TOKEN_SUM_COLUMNS, "latency_ms_sum", "latency_count", "ttft_ms_sum", "ttft_count")
FAMILIES = (  # table, dimensions besides hour, measures
    ("rollup_model", ("endpoint", "model", "provider", "failed"), (*BASIC_MEASURES, *LATENCY_BUCKETS)),
    ("rollup_account", ("auth_index", "provider", "model"), (*BASIC_MEASURES, "failures")),
    ("rollup_api_key", ("api_key_hash", "model"), (*BASIC_MEASURES, "failures")),
)


def _histogram_expressions(column: str) -> list[str]:
    expressions = []
    lower = None
    for upper in (*HISTOGRAM_BOUNDS_MS, None):
        conditions = [f"{column} >= {lower}"] if lower is not None else [f"{column} IS NOT NULL"]
        if upper is not None:
            conditions.append(f"{column} < {upper}")
        expressions.append(f"COALESCE(SUM({' AND '.join(conditions)}), 0)")
        lower = upper
    return expressions


RAW_EXPRESSIONS = {
    "requests": "COUNT(*)",
    **{c: f"SUM({c})" for c in TOKEN_SUM_COLUMNS},
    "latency_ms_sum": "COALESCE(SUM(latency_ms), 0)",
    "latency_count": "COUNT(latency_ms)",
    "ttft_ms_sum": "COALESCE(SUM(ttft_ms), 0)",
    "ttft_count": "COUNT(ttft_ms)",
    "failures": "SUM(failed)",
    **dict(zip(LATENCY_BUCKETS, _histogram_expressions("latency_ms"), strict=True)),
}


def _create_sql(table: str, dimensions: tuple[str, ...], measures: tuple[str, ...]) -> str:
    dims = ", ".join(f"{d} {'INTEGER' if d == 'failed' else 'TEXT'} NOT NULL" for d in dimensions)
    sums = ", ".join(f"{m} INTEGER NOT NULL DEFAULT 0" for m in measures)
    key = ", ".join(("hour", *dimensions))
    return f"CREATE TABLE {table} (hour INTEGER NOT NULL, {dims}, {sums}, PRIMARY KEY ({key})) WITHOUT ROWID"


def _fill_sql(table: str, dimensions: tuple[str, ...], measures: tuple[str, ...]) -> str:
    dims = ", ".join(dimensions)
    values = ", ".join("failed" if d == "failed" else f"COALESCE({d}, '')" for d in dimensions)
    sums = ", ".join(RAW_EXPRESSIONS[m] for m in measures)
    accumulate = ", ".join(f"{m} = {m} + excluded.{m}" for m in measures)
    groups = ", ".join(str(i + 1) for i in range(len(dimensions) + 1))
    return (f"INSERT INTO {table} (hour, {dims}, {', '.join(measures)}) "
            f"SELECT ts_ns / {NS_PER_HOUR}, {values}, {sums} FROM usage_events WHERE id > :after "
            f"GROUP BY {groups} ON CONFLICT (hour, {dims}) DO UPDATE SET {accumulate}")


def apply(conn: sqlite3.Connection) -> None:
    for table, dimensions, measures in FAMILIES:
        conn.execute(_create_sql(table, dimensions, measures))
        conn.execute(_fill_sql(table, dimensions, measures), {"after": 0})
    conn.execute("DROP TABLE usage_hourly")
