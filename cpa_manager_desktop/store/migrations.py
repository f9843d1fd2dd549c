"""Numbered schema migrations, tracked with PRAGMA user_version, each in its own transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from cpa_manager_desktop.errors import StoreClosed

TOKEN_SUM_COLUMNS = (
    "input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens", "cache_read_tokens",
    "cache_creation_tokens", "total_tokens", "in_uncached", "in_cache_read", "in_cache_write", "out_total",
    "out_reasoning", "unclassified_tokens",
)
ROLLUP_DIMENSIONS = ("endpoint", "model", "provider", "auth_index", "api_key_hash", "failed")
# Upper bounds (ms) of the latency/TTFT histogram buckets kept in the rollups; the last is open-ended.
HISTOGRAM_BOUNDS_MS = (100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 30000, 60000)
LATENCY_BUCKETS = tuple(f"lat_h{i:02d}" for i in range(len(HISTOGRAM_BOUNDS_MS) + 1))
TTFT_BUCKETS = tuple(f"ttft_h{i:02d}" for i in range(len(HISTOGRAM_BOUNDS_MS) + 1))


def histogram_expressions(column: str) -> list[str]:
    """SQL counting rows of `column` per histogram bucket (NULLs count nowhere)."""
    expressions = []
    lower = None
    for upper in (*HISTOGRAM_BOUNDS_MS, None):
        conditions = [f"{column} >= {lower}"] if lower is not None else [f"{column} IS NOT NULL"]
        if upper is not None:
            conditions.append(f"{column} < {upper}")
        expressions.append(f"COALESCE(SUM({' AND '.join(conditions)}), 0)")
        lower = upper
    return expressions


def _m0001_initial(conn: sqlite3.Connection) -> None:
    token_cols = ",\n".join(f"  {c} INTEGER NOT NULL DEFAULT 0" for c in TOKEN_SUM_COLUMNS)
    _run_script(conn, f"""
CREATE TABLE usage_events (
  id INTEGER PRIMARY KEY,
  event_key BLOB NOT NULL UNIQUE,
  request_id TEXT,
  ts_ns INTEGER NOT NULL,
  provider TEXT, executor_type TEXT, model TEXT NOT NULL, alias TEXT, endpoint TEXT,
  auth_type TEXT, auth_index TEXT, source_label TEXT, source_hash TEXT, api_key_hash TEXT, api_key_label TEXT,
{token_cols},
  token_quality TEXT,
  latency_ms INTEGER, ttft_ms INTEGER,
  failed INTEGER NOT NULL DEFAULT 0, status_code INTEGER, fail_body TEXT,
  reasoning_effort TEXT, service_tier TEXT, response_service_tier TEXT,
  client_ip TEXT, user_agent TEXT, access_token_sha256 TEXT
);
CREATE INDEX idx_events_ts ON usage_events(ts_ns);
CREATE INDEX idx_events_request ON usage_events(request_id);

CREATE TABLE usage_hourly (
  hour INTEGER NOT NULL,
  endpoint TEXT NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL, auth_index TEXT NOT NULL,
  api_key_hash TEXT NOT NULL, failed INTEGER NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
{token_cols},
  latency_ms_sum INTEGER NOT NULL DEFAULT 0, latency_count INTEGER NOT NULL DEFAULT 0,
  ttft_ms_sum INTEGER NOT NULL DEFAULT 0, ttft_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, endpoint, model, provider, auth_index, api_key_hash, failed)
) WITHOUT ROWID;

CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY,
  received_ns INTEGER NOT NULL,
  transport TEXT NOT NULL,
  error TEXT NOT NULL,
  payload TEXT NOT NULL
);

CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO counters(name, value) VALUES ('events', 0), ('dead_letters', 0);

CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_ns INTEGER NOT NULL);

CREATE TABLE model_prices (
  model TEXT PRIMARY KEY,
  input_per_1m REAL NOT NULL, output_per_1m REAL NOT NULL,
  cache_read_per_1m REAL, cache_write_per_1m REAL,
  source TEXT NOT NULL DEFAULT 'manual', source_model_id TEXT,
  updated_ns INTEGER NOT NULL, synced_ns INTEGER
);
""")


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the migration's transaction first, so statements run one by one.
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


LABEL_STATEMENTS = (
    "INSERT OR REPLACE INTO labels (kind, id, label) SELECT 'api_key', api_key_hash, api_key_label "
    "FROM usage_events WHERE id > :after AND api_key_hash IS NOT NULL AND api_key_label IS NOT NULL "
    "GROUP BY api_key_hash",
    "INSERT OR REPLACE INTO labels (kind, id, label) SELECT 'account', auth_index, source_label "
    "FROM usage_events WHERE id > :after AND auth_index IS NOT NULL AND source_label IS NOT NULL "
    "GROUP BY auth_index",
)


def _m0002_latency_histograms(conn: sqlite3.Connection) -> None:
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


def _m0003_narrow_rollups(conn: sqlite3.Connection) -> None:
    """Replace the one wide rollup with narrow families (see store/rollups.py), rebuilt from raw rows.
    (Amended before any release: the account and API-key families count failures as a measure.)"""
    from cpa_manager_desktop.store.rollups import ROLLUPS

    for rollup in ROLLUPS:
        conn.execute(rollup.create_sql())
        conn.execute(rollup.upsert_sql(), {"after": 0})
    conn.execute("DROP TABLE usage_hourly")


Migration = tuple[int, str, Callable[[sqlite3.Connection], None]]
MIGRATIONS: tuple[Migration, ...] = (
    (1, "initial", _m0001_initial),
    (2, "latency_histograms", _m0002_latency_histograms),
    (3, "narrow_rollups", _m0003_narrow_rollups),
)
LATEST_VERSION = MIGRATIONS[-1][0]


def current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations in order; returns the names applied. Refuses a newer schema."""
    version = current_version(conn)
    if version > LATEST_VERSION:
        raise StoreClosed(
            f"The database was written by a newer version of CPA Manager (schema {version}, "
            f"this build knows {LATEST_VERSION}); upgrade the app or use another data folder"
        )
    applied = []
    for number, name, apply in MIGRATIONS:
        if number <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            apply(conn)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(f"{number:04d}_{name}")
    return applied
