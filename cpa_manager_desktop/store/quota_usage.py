"""Our usage inside each credential's quota windows, and a compact quota history for every credential.

Both answer for a thousand credentials in one or two statements: the windows go in as one JSON
parameter (read by json_each), so there is no query per credential. A span may name a model family: it then
counts only the requests whose model contains that word (case-insensitive), as a Claude "Weekly (sonnet)"
window caps only Sonnet requests; or a model: it then counts only the requests of exactly that model
(case-insensitive), as a Gemini "model:<id>" window caps only that model. Usage is summed like analytics
(store/queries.py): whole hours from the account rollup, the partial hours at a window's edges from raw
events, each span cut at hour boundaries so every raw read stays inside one hour of the ts index.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cpa_manager_desktop.store import rollups
from cpa_manager_desktop.store.queries import TIER_COLUMNS, tier_terms
from cpa_manager_desktop.store.rollups import NS_PER_HOUR
from cpa_manager_desktop.store.schema import PACKED_EVENTS, TEXTS

# What a window's figures need: counts and the token buckets cost is computed from.
SPAN_MEASURES = ("requests", "failures", "in_uncached", "in_cache_read", "in_cache_write", "in_cache_write_1h",
                 "out_total", "out_reasoning", "unclassified_tokens")


@dataclass(frozen=True)
class Span:
    """Credential `auth_index`'s window `key`, as the half-open time range [start_ns, end_ns); with a
    lower-case `model_family`, only the requests whose model contains it, with a lower-case `model`, only
    the requests of that model ("" counts every model)."""

    auth_index: str
    key: str
    start_ns: int
    end_ns: int
    model_family: str = ""
    model: str = ""


def _split(spans: Sequence[Span]) -> tuple[list[list[Any]], list[list[Any]]]:
    """Rollup parts [auth_index, key, family, model, first_hour, last_hour) and raw parts
    [auth_index, key, family, model, lo, hi, hour], each raw part inside one hour."""
    whole: list[list[Any]] = []
    raw: list[list[Any]] = []
    for span in spans:
        if span.start_ns >= span.end_ns:
            continue
        first, last = -(-span.start_ns // NS_PER_HOUR), span.end_ns // NS_PER_HOUR
        edges = [(span.start_ns, span.end_ns)]
        if first < last:
            whole.append([span.auth_index, span.key, span.model_family, span.model, first, last])
            edges = [(span.start_ns, first * NS_PER_HOUR), (last * NS_PER_HOUR, span.end_ns)]
        for low, high in edges:
            while low < high:
                hour = low // NS_PER_HOUR
                cut = min(high, (hour + 1) * NS_PER_HOUR)
                raw.append([span.auth_index, span.key, span.model_family, span.model, low, cut, hour])
                low = cut
    return whole, raw


def _columns(*types: str) -> str:
    """json_each rows [a, b, ...] as typed columns. The casts matter: a json_extract value has no affinity,
    and SQLite then cannot index it for a join on a TEXT column, scanning every span per row instead."""
    return ", ".join(f"CAST(json_extract(value, '$[{i}]') AS {t})" for i, t in enumerate(types))


def _counts_model(span: str, model: str) -> str:
    """The test that span alias `span` counts a row's model: it belongs to the span's family and is the
    span's model ('' matches every model, a missing model none). instr, not LIKE: a family word is matched
    literally, '_' included."""
    return (f"({span}.family = '' OR instr(lower(COALESCE({model}, '')), {span}.family) > 0) "
            f"AND ({span}.model = '' OR lower({model}) = {span}.model)")


_PARTS = (f"WITH whole(auth_index, wkey, family, model, first_hour, last_hour) AS MATERIALIZED (SELECT "
          f"{_columns('TEXT', 'TEXT', 'TEXT', 'TEXT', 'INTEGER', 'INTEGER')} FROM json_each(:whole)), "
          f"raw_text(auth_index, wkey, family, model, lo, hi, hour) AS MATERIALIZED (SELECT "
          f"{_columns('TEXT', 'TEXT', 'TEXT', 'TEXT', 'INTEGER', 'INTEGER', 'INTEGER')} FROM json_each(:raw)), "
          # Each raw part with its credential's text id, looked up once (a credential without one has no events).
          f"raw(auth_id, auth_index, wkey, family, model, lo, hi, hour) AS MATERIALIZED (SELECT t.id, r.* "
          f"FROM raw_text r JOIN {TEXTS} t ON t.value = r.auth_index), "
          "hours(h) AS (SELECT DISTINCT hour FROM raw) ")


def span_sums(conn: sqlite3.Connection, spans: Sequence[Span]) -> list[dict[str, Any]]:
    """SPAN_MEASURES per (auth_index, key, model) over each span; model '' when the events had none.

    The rollup is scanned once over the hours any span needs (its key leads with the hour), each row
    matched to the spans of its account; raw events are read hour by hour through the ts index."""
    whole, raw = _split(spans)
    if not whole and not raw:
        return []
    sums = ", ".join(f"SUM({m}) AS {m}" for m in SPAN_MEASURES)  # rollup_account keeps a failures count
    raw_sums = ", ".join(f"{rollups.packed_expression(m)} AS {m}" for m in SPAN_MEASURES)
    low = min((w[4] for w in whole), default=0)
    high = max((w[5] for w in whole), default=0)
    sql = (f"{_PARTS}SELECT auth_index, wkey, model, {', '.join(f'SUM({m})' for m in SPAN_MEASURES)} FROM ("
           f"SELECT w.auth_index AS auth_index, w.wkey AS wkey, r.model AS model, {sums} "
           "FROM rollup_account r CROSS JOIN whole w ON w.auth_index = r.auth_index "
           "AND r.hour >= w.first_hour AND r.hour < w.last_hour AND " + _counts_model("w", "r.model") + " "
           "WHERE r.hour >= :low AND r.hour < :high GROUP BY 1, 2, 3 "
           "UNION ALL "
           # Raw events straight from the packed table, matched by text id and summed per model id; the model's
           # text (and so its family) is looked up once per group, not per event.
           f"SELECT g.auth_index, g.wkey, COALESCE(m.value, ''), {sums} FROM ("
           f"SELECT s.auth_index AS auth_index, s.wkey AS wkey, s.family AS family, s.model AS model, "
           "e.model_id AS model_id, "
           f"{raw_sums} FROM hours CROSS JOIN {PACKED_EVENTS} e CROSS JOIN raw s ON s.auth_id = e.auth_index_id "
           "AND s.hour = hours.h AND e.ts_ns >= s.lo AND e.ts_ns < s.hi "
           f"WHERE e.ts_ns >= hours.h * {NS_PER_HOUR} AND e.ts_ns < (hours.h + 1) * {NS_PER_HOUR} "
           f"GROUP BY 1, 2, 5) g LEFT JOIN {TEXTS} m ON m.id = g.model_id WHERE " + _counts_model("g", "m.value")
           + " GROUP BY 1, 2, 3) GROUP BY 1, 2, 3")
    cursor = conn.execute(sql, {"whole": json.dumps(whole), "raw": json.dumps(raw), "low": low, "high": high})
    names = ["auth_index", "key", "model", *SPAN_MEASURES]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def span_tier_candidates(conn: sqlite3.Connection, spans: Sequence[Span], models: Sequence[str],
                         above_tokens: int | None,
                         service_tiers: Sequence[str] = ("priority", "flex")) -> list[dict[str, Any]]:
    """The raw requests inside the spans that a price tier may bill differently (as
    queries.tier_candidates): input above `above_tokens`, or a priority/flex service tier."""
    live = [s for s in spans if s.start_ns < s.end_ns]
    if not models or not live:
        return []
    tier_clauses, params = tier_terms(service_tiers, above_tokens, column_prefix="e.")
    clauses = ["e.ts_ns >= ?", "e.ts_ns < ?",
               f"e.model_id IN (SELECT id FROM {TEXTS} WHERE value IN ({', '.join('?' for _ in models)}))",
               *tier_clauses]
    # Read from the packed table like span_sums: credentials by text id, each candidate's model text once.
    columns = ", ".join("m.value" if c == "model" else f"e.{c}" for c in TIER_COLUMNS)
    sql = (f"WITH s_text(auth_index, wkey, family, model, lo, hi) AS MATERIALIZED (SELECT "
           f"{_columns('TEXT', 'TEXT', 'TEXT', 'TEXT', 'INTEGER', 'INTEGER')} FROM json_each(?)), "
           f"s AS MATERIALIZED (SELECT t.id AS auth_id, s_text.* FROM s_text JOIN {TEXTS} t "
           "ON t.value = s_text.auth_index) "
           f"SELECT s.auth_index, s.wkey, {columns} FROM {PACKED_EVENTS} e CROSS JOIN s "
           "ON s.auth_id = e.auth_index_id AND e.ts_ns >= s.lo AND e.ts_ns < s.hi "
           f"JOIN {TEXTS} m ON m.id = e.model_id AND {_counts_model('s', 'm.value')} "
           f"WHERE {' AND '.join(clauses)}")
    payload = json.dumps([[s.auth_index, s.key, s.model_family, s.model, s.start_ns, s.end_ns] for s in live])
    low, high = min(s.start_ns for s in live), max(s.end_ns for s in live)
    cursor = conn.execute(sql, [payload, low, high, *models, *params])
    names = ["auth_index", "key", *TIER_COLUMNS]
    return [dict(zip(names, row, strict=True)) for row in cursor]
