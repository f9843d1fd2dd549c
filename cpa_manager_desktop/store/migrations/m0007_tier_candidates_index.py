"""Migration 7: a partial index of the requests a price tier may bill differently (issue 12 §3): a
priority or flex service tier, or more than 200,000 input tokens (the long-context threshold of the
models CPA serves is 200k or 272k; LiteLLM's few lower ones are read without the index). Rollups cannot
tell these requests apart, so they are read one by one; without the index that read scanned every
request of the window. Frozen."""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    "CREATE INDEX idx_events_tier_candidates ON usage_events(ts_ns) WHERE response_service_tier IN "
    "('priority', 'flex') OR in_uncached + in_cache_read + in_cache_write > 200000",
)


def apply(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
