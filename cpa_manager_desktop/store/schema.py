"""Today's schema as current code uses it: the summed token columns, the latency histogram, the labels.

Migrations keep their own frozen copies (store/migrations/): when this module changes, a new
migration moves old databases here, and history stays as it was shipped.
"""

from __future__ import annotations

TOKEN_SUM_COLUMNS = (
    "input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens", "cache_read_tokens",
    "cache_creation_tokens", "total_tokens", "in_uncached", "in_cache_read", "in_cache_write",
    "in_cache_write_1h", "out_total", "out_reasoning", "unclassified_tokens",
)
# Upper bounds (ms) of the latency histogram buckets kept in the rollups; the last is open-ended.
HISTOGRAM_BOUNDS_MS = (100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 30000, 60000)
LATENCY_BUCKETS = tuple(f"lat_h{i:02d}" for i in range(len(HISTOGRAM_BOUNDS_MS) + 1))

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


# Raw events are packed (migration 13): `usage_event_rows` holds small integer ids where the event had
# repeated text, `event_texts` holds each text once, and the view `usage_events` shows the wide rows
# with the old column names to every reader. Writes go to the packed table (store/events.py).
PACKED_EVENTS = "usage_event_rows"
TEXTS = "event_texts"
TEXT_COLUMNS = (
    "provider", "executor_type", "model", "alias", "endpoint", "auth_type", "auth_index", "source_label",
    "source_hash", "api_key_hash", "api_key_label", "token_quality", "fail_body", "reasoning_effort",
    "service_tier", "client_ip", "user_agent", "access_token_sha256",
)


def packed_column(column: str) -> str:
    """The packed table's column for a wide one: `<name>_id` for interned text, the same name otherwise."""
    return f"{column}_id" if column in TEXT_COLUMNS else column


def intern_texts_sql(source: str) -> str:
    """Adds every text of the wide rows in `source` that event_texts lacks."""
    union = " UNION ".join(f"SELECT {column} AS value FROM {source}" for column in TEXT_COLUMNS)
    return (f"INSERT INTO {TEXTS} (value) SELECT value FROM ({union}) WHERE value IS NOT NULL "
            "ON CONFLICT (value) DO NOTHING")


def insert_packed_sql(columns: tuple[str, ...]) -> str:
    """An INSERT of one wide row given as parameters in `columns` order, its texts replaced by their ids
    (which must be interned already), skipping a known event key."""
    values = ", ".join(f"(SELECT id FROM {TEXTS} WHERE value = ?)" if c in TEXT_COLUMNS else "?" for c in columns)
    return (f"INSERT INTO {PACKED_EVENTS} ({', '.join(packed_column(c) for c in columns)}) VALUES ({values}) "
            "ON CONFLICT (event_key) DO NOTHING")


INTERN_TEXT = f"INSERT INTO {TEXTS} (value) VALUES (?) ON CONFLICT (value) DO NOTHING"


def pack_rows_sql(source: str, columns: tuple[str, ...]) -> str:
    """Moves the wide rows of `source` into the packed table in rowid order, skipping known event keys.
    Run intern_texts_sql(source) first."""
    values = ", ".join(f"(SELECT id FROM {TEXTS} WHERE value = s.{c})" if c in TEXT_COLUMNS else f"s.{c}"
                       for c in columns)
    return (f"INSERT INTO {PACKED_EVENTS} ({', '.join(packed_column(c) for c in columns)}) "
            f"SELECT {values} FROM {source} AS s WHERE true ORDER BY s.rowid ON CONFLICT (event_key) DO NOTHING")


# Readable labels for hashed keys and accounts, refreshed from the events with id > :after: one row per
# key or account, read by text id from the packed table and looked up once per key.
def _label_statement(kind: str, key: str, label: str) -> str:
    return (f"INSERT OR REPLACE INTO labels (kind, id, label) SELECT '{kind}', k.value, l.value FROM "
            f"(SELECT {key}_id AS key_id, {label}_id AS label_id FROM {PACKED_EVENTS} WHERE id > :after "
            f"AND {key}_id IS NOT NULL AND {label}_id IS NOT NULL GROUP BY {key}_id) AS g "
            f"JOIN {TEXTS} AS k ON k.id = g.key_id JOIN {TEXTS} AS l ON l.id = g.label_id")


LABEL_STATEMENTS = (
    _label_statement("api_key", "api_key_hash", "api_key_label"),
    _label_statement("account", "auth_index", "source_label"),
)
