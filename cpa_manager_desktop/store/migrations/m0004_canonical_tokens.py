"""Migration 4: one canonical token model (issue 12), recomputed for the rows already stored.

- `in_cache_write_1h`: the 1-hour part of the cache writes, when a record tells them apart;
- rows whose buckets were derived from the raw provider counts, or rebuilt from an `inconsistent`
  token_breakdown, get the buckets of the corrected rules: Claude `cached_tokens` alone is a cache
  write from CPA v7.0.3 on (before, it was the reads). The rows do not say whether the record carried
  `cache_read_tokens`, so a row with a status code (CPA >= v7.0.0 sends `fail`) counts as v7.0.3 or
  later. An inconsistent row keeps what its reported total held beyond the buckets as unclassified;
- `total_tokens` becomes the sum of the buckets for every row (Claude before v7.1.44 left cache out);
- the rollups are rebuilt with two new measures: the 1-hour cache writes and the inconsistent events.

Frozen: the rules and the rollup families are written out here as shipped; today's live in
ingest/tokens.py and store/rollups.py.
"""

from __future__ import annotations

import sqlite3

NS_PER_HOUR = 3_600_000_000_000
RECOMPUTED = "token_quality IS NULL OR token_quality IN ('derived', 'inconsistent')"
_LOWER = "LOWER(COALESCE(provider, ''))"
CLAUDE = f"({_LOWER} IN ('claude', 'anthropic') OR {_LOWER} LIKE 'claude%')"
GEMINI = f"({_LOWER} IN ('gemini', 'gemini-cli', 'vertex', 'aistudio', 'antigravity') OR {_LOWER} LIKE 'gemini%')"
# Claude: only cached_tokens set means a write from v7.0.3 on, a read before.
_ONLY_CACHED = "(cache_read_tokens = 0 AND cache_creation_tokens = 0 AND cached_tokens > 0)"
CLAUDE_SQL = (
    "UPDATE usage_events SET in_uncached = input_tokens, "
    f"in_cache_read = CASE WHEN {_ONLY_CACHED} AND status_code IS NULL THEN cached_tokens "
    f"WHEN {_ONLY_CACHED} THEN 0 ELSE cache_read_tokens END, "
    f"in_cache_write = CASE WHEN {_ONLY_CACHED} AND status_code IS NOT NULL THEN cached_tokens "
    f"WHEN {_ONLY_CACHED} THEN 0 ELSE cache_creation_tokens END, "
    "out_total = output_tokens, out_reasoning = MIN(reasoning_tokens, output_tokens), unclassified_tokens = 0 "
    f"WHERE ({RECOMPUTED}) AND {CLAUDE}"
)
_READ = "(CASE WHEN cache_read_tokens > 0 THEN cache_read_tokens ELSE cached_tokens END)"
_CACHE_INSIDE = (
    f"in_uncached = MAX(input_tokens - {_READ} - cache_creation_tokens, 0), in_cache_read = {_READ}, "
    "in_cache_write = cache_creation_tokens, unclassified_tokens = 0, "
)
GEMINI_SQL = (f"UPDATE usage_events SET {_CACHE_INSIDE}out_total = output_tokens + reasoning_tokens, "
              f"out_reasoning = reasoning_tokens WHERE ({RECOMPUTED}) AND {GEMINI}")
OPENAI_SQL = (f"UPDATE usage_events SET {_CACHE_INSIDE}out_total = output_tokens, "
              f"out_reasoning = MIN(reasoning_tokens, output_tokens) "
              f"WHERE ({RECOMPUTED}) AND NOT {CLAUDE} AND NOT {GEMINI}")
_BUCKET_SUM = "in_uncached + in_cache_read + in_cache_write + out_total"
# total_tokens still holds the reported total here: what it has beyond the buckets is unexplained.
UNCLASSIFIED_SQL = (f"UPDATE usage_events SET unclassified_tokens = MAX(total_tokens - ({_BUCKET_SUM}), 0) "
                    "WHERE token_quality = 'inconsistent'")
TOTAL_SQL = f"UPDATE usage_events SET total_tokens = {_BUCKET_SUM} + unclassified_tokens"

TOKEN_SUM_COLUMNS = (
    "input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens", "cache_read_tokens",
    "cache_creation_tokens", "total_tokens", "in_uncached", "in_cache_read", "in_cache_write",
    "in_cache_write_1h", "out_total", "out_reasoning", "unclassified_tokens",
)
HISTOGRAM_BOUNDS_MS = (100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 30000, 60000)
LATENCY_BUCKETS = tuple(f"lat_h{i:02d}" for i in range(len(HISTOGRAM_BOUNDS_MS) + 1))
BASIC_MEASURES = ("requests", *TOKEN_SUM_COLUMNS, "inconsistent", "latency_ms_sum", "latency_count",
                  "ttft_ms_sum", "ttft_count")
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
    "inconsistent": "COALESCE(SUM(token_quality = 'inconsistent'), 0)",
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
    conn.execute("ALTER TABLE usage_events ADD COLUMN in_cache_write_1h INTEGER NOT NULL DEFAULT 0")
    for statement in (CLAUDE_SQL, GEMINI_SQL, OPENAI_SQL, UNCLASSIFIED_SQL, TOTAL_SQL):
        conn.execute(statement)
    for table, dimensions, measures in FAMILIES:
        conn.execute(f"DROP TABLE {table}")
        conn.execute(_create_sql(table, dimensions, measures))
        conn.execute(_fill_sql(table, dimensions, measures), {"after": 0})
