"""Read queries: range aggregates from rollups, and short keyset-paged reads of raw events.

A range [start, end) is split into whole hours, answered from `usage_hourly`, and the partial
hours at either edge, answered from indexed raw rows. Every function here runs one or a few short
statements and returns plain values, so no read transaction outlives a call (a long-lived reader
pins the WAL and lets it grow without bound).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cpa_manager_desktop.store.events import NS_PER_HOUR
from cpa_manager_desktop.store.migrations import (
    LATENCY_BUCKETS,
    ROLLUP_DIMENSIONS,
    TOKEN_SUM_COLUMNS,
    TTFT_BUCKETS,
    histogram_expressions,
)

MEASURES: tuple[str, ...] = ("requests", *TOKEN_SUM_COLUMNS, "failures", "latency_ms_sum", "latency_count",
                             "ttft_ms_sum", "ttft_count", *LATENCY_BUCKETS, *TTFT_BUCKETS)
_RAW_MEASURES = {
    "requests": "COUNT(*)",
    **{c: f"SUM({c})" for c in TOKEN_SUM_COLUMNS},
    "failures": "SUM(failed)",
    "latency_ms_sum": "COALESCE(SUM(latency_ms), 0)",
    "latency_count": "COUNT(latency_ms)",
    "ttft_ms_sum": "COALESCE(SUM(ttft_ms), 0)",
    "ttft_count": "COUNT(ttft_ms)",
    **dict(zip(LATENCY_BUCKETS, histogram_expressions("latency_ms"), strict=True)),
    **dict(zip(TTFT_BUCKETS, histogram_expressions("ttft_ms"), strict=True)),
}
_ROLLUP_MEASURES = {m: f"SUM({m})" for m in MEASURES if m != "failures"} | {"failures": "SUM(failed * requests)"}
GROUPABLE = (*ROLLUP_DIMENSIONS, "hour", "slot", "status_code")
RAW_ONLY_GROUPS = frozenset({"slot", "status_code"})
MAX_NS = 2**63 - 1


@dataclass(frozen=True)
class Window:
    """A half-open time range [start_ns, end_ns) in epoch nanoseconds."""

    start_ns: int = 0
    end_ns: int = MAX_NS

    def full_hours(self) -> tuple[int, int]:
        """[first, last) whole hours inside the window; first >= last means none."""
        first = -(-self.start_ns // NS_PER_HOUR)
        last = self.end_ns // NS_PER_HOUR
        return first, last


@dataclass(frozen=True)
class Filters:
    """Equality filters on rollup dimensions; empty tuples mean "any"."""

    models: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    auth_indexes: tuple[str, ...] = ()
    api_key_hashes: tuple[str, ...] = ()
    endpoints: tuple[str, ...] = ()
    failed: bool | None = None
    extra_raw: tuple[tuple[str, tuple[Any, ...]], ...] = field(default=())

    @property
    def rollup_ok(self) -> bool:
        """Whether whole hours may come from the rollup table (raw-only filters force raw rows)."""
        return not self.extra_raw

    def clauses(self, *, raw: bool) -> tuple[list[str], list[Any]]:
        sql: list[str] = []
        params: list[Any] = []
        for column, values in (("model", self.models), ("provider", self.providers),
                               ("auth_index", self.auth_indexes), ("api_key_hash", self.api_key_hashes),
                               ("endpoint", self.endpoints)):
            if values:
                target = f"COALESCE({column}, '')" if raw else column
                sql.append(f"{target} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        if self.failed is not None:
            sql.append("failed = ?")
            params.append(int(self.failed))
        if raw:
            for clause, values in self.extra_raw:
                sql.append(clause)
                params.extend(values)
        return sql, params


def _group_expr(column: str, *, raw: bool, slot_ns: int) -> str:
    if column not in GROUPABLE:
        raise ValueError(f"cannot group by {column}")
    if column == "hour":
        return f"ts_ns / {NS_PER_HOUR}" if raw else "hour"
    if column == "slot":
        return f"ts_ns / {slot_ns}"
    if column in ("failed", "status_code") or not raw:
        return column
    return f"COALESCE({column}, '')"


def _select(group: Sequence[str], *, raw: bool, where: list[str], slot_ns: int) -> str:
    measures = _RAW_MEASURES if raw else _ROLLUP_MEASURES
    columns = [f"{_group_expr(g, raw=raw, slot_ns=slot_ns)} AS {g}" for g in group]
    columns += [f"{measures[m]} AS {m}" for m in MEASURES]
    table = "usage_events" if raw else "usage_hourly"
    grouping = f" GROUP BY {', '.join(str(i + 1) for i in range(len(group)))}" if group else ""
    return f"SELECT {', '.join(columns)} FROM {table} WHERE {' AND '.join(where) or '1'}{grouping}"


def aggregate(conn: sqlite3.Connection, window: Window, group: Sequence[str], filters: Filters,
              *, slot_ns: int = NS_PER_HOUR) -> list[dict[str, Any]]:
    """Sums of every measure per group over the window: whole hours from rollups, edges from raw rows.
    Grouping by `slot` (any width) or `status_code`, or a raw-only filter, reads raw rows throughout."""
    parts: list[str] = []
    params: list[Any] = []
    first, last = window.full_hours()
    raw_ranges: list[tuple[int, int]] = []
    if filters.rollup_ok and first < last and not RAW_ONLY_GROUPS & set(group):
        where, values = filters.clauses(raw=False)
        parts.append(_select(group, raw=False, where=["hour >= ?", "hour < ?", *where], slot_ns=slot_ns))
        params += [first, last, *values]
        raw_ranges = [(window.start_ns, first * NS_PER_HOUR), (last * NS_PER_HOUR, window.end_ns)]
    else:
        raw_ranges = [(window.start_ns, window.end_ns)]
    for low, high in raw_ranges:
        if low >= high:
            continue
        where, values = filters.clauses(raw=True)
        parts.append(_select(group, raw=True, where=["ts_ns >= ?", "ts_ns < ?", *where], slot_ns=slot_ns))
        params += [low, high, *values]
    if not parts:
        return []
    sums = ", ".join(f"SUM({m}) AS {m}" for m in MEASURES)
    keys = ", ".join(group)
    union = " UNION ALL ".join(parts)
    sql = f"SELECT {keys + ', ' if keys else ''}{sums} FROM ({union})"
    if group:
        sql += f" GROUP BY {keys}"
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor if row[len(group)] is not None]


DETAIL_COLUMNS = ("id", "ts_ns", "endpoint", "model", "source_label", "auth_index", "latency_ms",
                  "input_tokens", "output_tokens", "reasoning_tokens", "in_cache_read", "in_cache_write",
                  "total_tokens", "failed")


def newest_details(conn: sqlite3.Connection, window: Window, before: tuple[int, int] | None,
                   limit: int) -> list[tuple[Any, ...]]:
    """One page of events, newest first, strictly older than the keyset `before` = (ts_ns, id)."""
    where = ["ts_ns >= ?", "ts_ns < ?"]
    params: list[Any] = [window.start_ns, window.end_ns]
    if before is not None:
        where.append("(ts_ns < ? OR (ts_ns = ? AND id < ?))")
        params += [before[0], before[0], before[1]]
    sql = (f"SELECT {', '.join(DETAIL_COLUMNS)} FROM usage_events WHERE {' AND '.join(where)} "
           "ORDER BY ts_ns DESC, id DESC LIMIT ?")
    return conn.execute(sql, [*params, limit]).fetchall()


def events_after(conn: sqlite3.Connection, window: Window, after: tuple[int, int] | None,
                 limit: int) -> list[tuple[Any, ...]]:
    """One page of full event rows, oldest first, strictly after the keyset `after` = (ts_ns, id)."""
    from cpa_manager_desktop.store.rows import EVENT_COLUMNS

    where = ["ts_ns >= ?", "ts_ns < ?"]
    params: list[Any] = [window.start_ns, window.end_ns]
    if after is not None:
        where.append("(ts_ns > ? OR (ts_ns = ? AND id > ?))")
        params += [after[0], after[0], after[1]]
    sql = (f"SELECT id, {', '.join(EVENT_COLUMNS)} FROM usage_events WHERE {' AND '.join(where)} "
           "ORDER BY ts_ns, id LIMIT ?")
    return conn.execute(sql, [*params, limit]).fetchall()
