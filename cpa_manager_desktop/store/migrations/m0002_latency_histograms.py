"""Migration 2: latency and TTFT histogram columns on the wide rollup, the failed-rows index, labels.

Frozen: the columns, buckets and statements below are copies as shipped, not today's schema.
"""

from __future__ import annotations

import sqlite3

ROLLUP_DIMENSIONS = ("endpoint", "model", "provider", "auth_index", "api_key_hash", "failed")
HISTOGRAM_BOUNDS_MS = (100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 30000, 60000)
LATENCY_BUCKETS = tuple(f"lat_h{i:02d}" for i in range(len(HISTOGRAM_BOUNDS_MS) + 1))
TTFT_BUCKETS = tuple(f"ttft_h{i:02d}" for i in range(len(HISTOGRAM_BOUNDS_MS) + 1))
LABEL_STATEMENTS = (
    "INSERT OR REPLACE INTO labels (kind, id, label) SELECT 'api_key', api_key_hash, api_key_label "
    "FROM usage_events WHERE id > :after AND api_key_hash IS NOT NULL AND api_key_label IS NOT NULL "
    "GROUP BY api_key_hash",
    "INSERT OR REPLACE INTO labels (kind, id, label) SELECT 'account', auth_index, source_label "
    "FROM usage_events WHERE id > :after AND auth_index IS NOT NULL AND source_label IS NOT NULL "
    "GROUP BY auth_index",
)


def histogram_expressions(column: str) -> list[str]:
    expressions = []
    lower = None
    for upper in (*HISTOGRAM_BOUNDS_MS, None):
        conditions = [f"{column} >= {lower}"] if lower is not None else [f"{column} IS NOT NULL"]
        if upper is not None:
            conditions.append(f"{column} < {upper}")
        expressions.append(f"COALESCE(SUM({' AND '.join(conditions)}), 0)")
        lower = upper
    return expressions


def apply(conn: sqlite3.Connection) -> None:
    """Histogram columns so p50/p95 come from rollups; filled from the raw rows already stored."""
    for name in (*LATENCY_BUCKETS, *TTFT_BUCKETS):
        conn.execute(f"ALTER TABLE usage_hourly ADD COLUMN {name} INTEGER NOT NULL DEFAULT 0")
    keys = ", ".join(f"COALESCE({d}, '') AS {d}" if d != "failed" else d for d in ROLLUP_DIMENSIONS)
    sums = [*histogram_expressions("latency_ms"), *histogram_expressions("ttft_ms")]
    names = (*LATENCY_BUCKETS, *TTFT_BUCKETS)
    columns = ", ".join(f"{expr} AS {name}" for expr, name in zip(sums, names, strict=True))
    conn.execute(f"CREATE TEMP TABLE hist AS SELECT ts_ns / 3600000000000 AS hour, {keys}, {columns} "
                 "FROM usage_events GROUP BY 1, 2, 3, 4, 5, 6, 7")
    match = " AND ".join(f"hist.{d} = usage_hourly.{d}" for d in ("hour", *ROLLUP_DIMENSIONS))
    conn.execute(f"UPDATE usage_hourly SET ({', '.join(names)}) = "
                 f"(SELECT {', '.join(names)} FROM hist WHERE {match}) "
                 f"WHERE EXISTS (SELECT 1 FROM hist WHERE {match})")
    conn.execute("DROP TABLE hist")
    conn.execute("CREATE INDEX idx_events_failed_ts ON usage_events(ts_ns) WHERE failed = 1")
    # Readable labels for hashed keys and accounts, so breakdowns never scan raw rows to name a group.
    conn.execute("CREATE TABLE labels (kind TEXT NOT NULL, id TEXT NOT NULL, label TEXT NOT NULL, "
                 "PRIMARY KEY (kind, id)) WITHOUT ROWID")
    for statement in LABEL_STATEMENTS:
        conn.execute(statement, {"after": 0})
