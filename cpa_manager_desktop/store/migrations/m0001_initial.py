"""Migration 1: the first schema. Frozen: its SQL is written out here and never changes."""

from __future__ import annotations

import sqlite3

SCRIPT = """
CREATE TABLE usage_events (
  id INTEGER PRIMARY KEY,
  event_key BLOB NOT NULL UNIQUE,
  request_id TEXT,
  ts_ns INTEGER NOT NULL,
  provider TEXT, executor_type TEXT, model TEXT NOT NULL, alias TEXT, endpoint TEXT,
  auth_type TEXT, auth_index TEXT, source_label TEXT, source_hash TEXT, api_key_hash TEXT, api_key_label TEXT,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens INTEGER NOT NULL DEFAULT 0,
  cached_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens INTEGER NOT NULL DEFAULT 0,
  cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
  total_tokens INTEGER NOT NULL DEFAULT 0,
  in_uncached INTEGER NOT NULL DEFAULT 0,
  in_cache_read INTEGER NOT NULL DEFAULT 0,
  in_cache_write INTEGER NOT NULL DEFAULT 0,
  out_total INTEGER NOT NULL DEFAULT 0,
  out_reasoning INTEGER NOT NULL DEFAULT 0,
  unclassified_tokens INTEGER NOT NULL DEFAULT 0,
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
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens INTEGER NOT NULL DEFAULT 0,
  cached_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens INTEGER NOT NULL DEFAULT 0,
  cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
  total_tokens INTEGER NOT NULL DEFAULT 0,
  in_uncached INTEGER NOT NULL DEFAULT 0,
  in_cache_read INTEGER NOT NULL DEFAULT 0,
  in_cache_write INTEGER NOT NULL DEFAULT 0,
  out_total INTEGER NOT NULL DEFAULT 0,
  out_reasoning INTEGER NOT NULL DEFAULT 0,
  unclassified_tokens INTEGER NOT NULL DEFAULT 0,
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
"""


def apply(conn: sqlite3.Connection) -> None:
    # executescript() would COMMIT the migration's transaction first, so statements run one by one.
    for statement in SCRIPT.split(";\n"):
        if statement.strip():
            conn.execute(statement)
