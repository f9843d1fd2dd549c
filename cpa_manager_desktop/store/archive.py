"""Reading the archive (migration 14) where a query would read raw rows that retention deleted.

Every event is in exactly one of usage_events and the archive: compaction folds and deletes a batch in
one transaction. So a raw read of a range plus an archive read of the same range is always the whole
range, before, during and after compaction. The archive is hourly: an archived hour counts in a window
when its start lies in the window, so adjacent windows never count an hour twice, and whole-hour windows
(days, presets aligned to hours) give exactly the totals they gave before compaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cpa_manager_desktop.store.rollups import NS_PER_HOUR

HOURS = "archive_hours"
FAILURES = "archive_failures"
TIER_EVENTS = "archive_tier_events"
# Raw columns the free-text filter (q) reads that the archive does not key: an account's label comes from
# the labels table, request ids and aliases are gone with the raw rows.
_TEXT_COLUMNS = ("NULL AS alias, NULL AS request_id, "
                 "(SELECT label FROM labels WHERE kind = 'account' AND id = auth_index) AS source_label")


def hour_bounds(low_ns: int, high_ns: int) -> tuple[int, int]:
    """[first, last) archived hours whose start lies in [low_ns, high_ns)."""
    return -(-low_ns // NS_PER_HOUR), -(-high_ns // NS_PER_HOUR)


def source(table: str, *, text_search: bool, failed_column: bool = False) -> str:
    """The table as a FROM item exposing the raw column names that filters may use."""
    extra = [_TEXT_COLUMNS] if text_search else []
    if failed_column:
        extra.append("1 AS failed")
    return f"(SELECT *, {', '.join(extra)} FROM {table})" if extra else table


def group_expr(column: str, *, slot_ns: int) -> str:
    if column == "slot":
        return f"(hour * {NS_PER_HOUR}) / {slot_ns}"
    if column == "status_code":
        return "NULLIF(status_code, 0)"
    return column


def measure_sql(measure: str) -> str:
    return "SUM(failed * requests)" if measure == "failures" else f"SUM({measure})"


def select_hours(group: Sequence[str], measures: Sequence[str], low_ns: int, high_ns: int,
                 where: Sequence[str], values: Sequence[Any], *, text_search: bool,
                 slot_ns: int) -> tuple[str, list[Any]]:
    """A SELECT over archive_hours with the same output columns as the raw read of [low_ns, high_ns)."""
    first, last = hour_bounds(low_ns, high_ns)
    columns = [f"{group_expr(g, slot_ns=slot_ns)} AS {g}" for g in group]
    columns += [f"{measure_sql(m)} AS {m}" for m in measures]
    clauses = " AND ".join(["hour >= ?", "hour < ?", *where])
    grouping = f" GROUP BY {', '.join(str(i + 1) for i in range(len(group)))}" if group else ""
    sql = f"SELECT {', '.join(columns)} FROM {source(HOURS, text_search=text_search)} WHERE {clauses}{grouping}"
    return sql, [first, last, *values]


def select_failures(low_ns: int, high_ns: int, where: Sequence[str], values: Sequence[Any], *,
                    text_search: bool) -> tuple[str, list[Any]]:
    """(status code, body, count, last ts_ns) rows of archived failures, shaped like the raw failure groups."""
    first, last = hour_bounds(low_ns, high_ns)
    clauses = " AND ".join(["hour >= ?", "hour < ?", *where])
    sql = (f"SELECT NULLIF(status_code, 0), NULLIF(fail_body, ''), SUM(failures), MAX(last_ts_ns) "
           f"FROM {source(FAILURES, text_search=text_search, failed_column=True)} WHERE {clauses} GROUP BY 1, 2")
    return sql, [first, last, *values]


def select_tier_events(group: Sequence[str], columns: Sequence[str], low_ns: int, high_ns: int,
                       where: Sequence[str], values: Sequence[Any], *, text_search: bool,
                       slot_ns: int) -> tuple[str, list[Any]]:
    """Archived requests a price tier may bill differently, shaped like store.queries.tier_candidates rows."""
    first, last = hour_bounds(low_ns, high_ns)
    selected = [f"{group_expr(g, slot_ns=slot_ns)} AS g_{g}" for g in group] + list(columns)
    clauses = " AND ".join(["hour >= ?", "hour < ?", *where])
    sql = f"SELECT {', '.join(selected)} FROM {source(TIER_EVENTS, text_search=text_search)} WHERE {clauses}"
    return sql, [first, last, *values]
