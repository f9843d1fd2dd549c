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


Migration = tuple[int, str, Callable[[sqlite3.Connection], None]]
MIGRATIONS: tuple[Migration, ...] = ((1, "initial", _m0001_initial),)
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
