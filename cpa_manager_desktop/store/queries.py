"""Read queries: range aggregates from rollups, and short keyset-paged reads of raw events.

A range [start, end) is split into whole UTC days, answered from the daily copy of the narrowest
rollup family that covers the question (store/rollups.py), the whole hours around them, answered
from the hourly family, and the partial hours at either edge, answered from indexed raw rows.
Every function here runs one or a few short statements and returns plain values, so no read
transaction outlives a call (a long-lived reader pins the WAL and lets it grow without bound).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cpa_manager_desktop.store import archive, rollups
from cpa_manager_desktop.store.rollups import ALL_MEASURES, BASIC_MEASURES, HOURS_PER_DAY, NS_PER_HOUR, Rollup
from cpa_manager_desktop.store.rows import EVENT_COLUMNS
from cpa_manager_desktop.store.schema import PACKED_EVENTS, TEXT_COLUMNS, TEXTS

# "failures" is derived: SUM(failed) over raw rows, SUM(failed * requests) over rollups.
MEASURES: tuple[str, ...] = (*ALL_MEASURES, "failures")
SUMMARY_MEASURES: tuple[str, ...] = (*BASIC_MEASURES, "failures")
GROUPABLE = ("endpoint", "model", "provider", "auth_index", "api_key_hash", "failed", "hour", "slot",
             "status_code")
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


def _split_days(first_hour: int, last_hour: int) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """Whole hours [first, last) as ([first, last) whole UTC days, the hour ranges left around them)."""
    first_day, last_day = -(-first_hour // HOURS_PER_DAY), last_hour // HOURS_PER_DAY
    if first_day >= last_day:
        return (0, 0), [(first_hour, last_hour)]
    return (first_day, last_day), [(first_hour, first_day * HOURS_PER_DAY), (last_day * HOURS_PER_DAY, last_hour)]


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

    def dimensions(self) -> set[str]:
        used = {column for column, values in (("model", self.models), ("provider", self.providers),
                                              ("auth_index", self.auth_indexes),
                                              ("api_key_hash", self.api_key_hashes),
                                              ("endpoint", self.endpoints)) if values}
        return used | ({"failed"} if self.failed is not None else set())

    @property
    def rollup_ok(self) -> bool:
        """Whether whole hours may come from the rollup table (raw-only filters force raw rows)."""
        return not self.extra_raw

    def clauses(self, *, raw: bool, packed: bool = False) -> tuple[list[str], list[Any]]:
        """SQL terms and their parameters: over a rollup, over raw rows (the usage_events view), or, with
        `packed`, over the packed table's text ids (extra_raw terms name view columns: not allowed)."""
        if packed and self.extra_raw:
            raise ValueError("raw-only filters read the usage_events view")
        sql: list[str] = []
        params: list[Any] = []
        for column, values in (("model", self.models), ("provider", self.providers),
                               ("auth_index", self.auth_indexes), ("api_key_hash", self.api_key_hashes),
                               ("endpoint", self.endpoints)):
            if not values:
                continue
            marks = ", ".join("?" for _ in values)
            if packed:
                term = f"{column}_id IN (SELECT id FROM {TEXTS} WHERE value IN ({marks}))"
                sql.append(f"({term} OR {column}_id IS NULL)" if "" in values else term)
            else:
                target = f"COALESCE({column}, '')" if raw else column
                sql.append(f"{target} IN ({marks})")
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
        return f"ts_ns / {NS_PER_HOUR}" if raw else "hour"  # never asked of a daily table
    if column == "slot":
        return f"ts_ns / {slot_ns}"
    if column in ("failed", "status_code") or not raw:
        return column
    return f"COALESCE({column}, '')"


def _measure_sql(measure: str, *, raw: bool, rollup: Rollup | None = None) -> str:
    if measure == "failures":
        return "SUM(failed)" if raw or rollup is None else rollup.failures_sql()
    return rollups.raw_expression(measure) if raw else f"SUM({measure})"


def _select(group: Sequence[str], measures: Sequence[str], *, rollup: Rollup | None, where: list[str],
            slot_ns: int) -> str:
    raw = rollup is None
    columns = [f"{_group_expr(g, raw=raw, slot_ns=slot_ns)} AS {g}" for g in group]
    columns += [f"{_measure_sql(m, raw=raw, rollup=rollup)} AS {m}" for m in measures]
    grouping = f" GROUP BY {', '.join(str(i + 1) for i in range(len(group)))}" if group else ""
    if rollup is not None:
        return f"SELECT {', '.join(columns)} FROM {rollup.table} WHERE {' AND '.join(where) or '1'}{grouping}"
    return f"SELECT {', '.join(columns)} FROM {view_rows([*columns, *where], where)}{grouping}"


VIEW_COLUMNS = ("id", *EVENT_COLUMNS)


def view_rows(terms: Sequence[str], where: Sequence[str]) -> str:
    """The usage_events view's rows matching `where`, as a subquery of only the texts `terms` name.
    An aggregate straight over the view would look up all 18 texts of every row (SQLite drops unused
    LEFT JOINs only outside aggregates); `LIMIT -1` keeps this subquery apart from the aggregate, so
    its unused joins are dropped (a 30-day sum by account and model: 0.67 s -> 0.39 s on 1 M events)."""
    named = {c for c in TEXT_COLUMNS if any(re.search(rf"\b{c}\b", term) for term in terms)}
    columns = ", ".join(c for c in VIEW_COLUMNS if c not in TEXT_COLUMNS or c in named)
    return f"(SELECT {columns} FROM usage_events WHERE {' AND '.join(where) or '1'} LIMIT -1)"


def _packed_select(group: Sequence[str], measures: Sequence[str], *, where: list[str], slot_ns: int) -> str:
    """_select() over raw rows read straight from the packed table: summed per text id, the texts looked
    up once per group. Through the view an aggregate looked up all 18 texts of every row (SQLite drops
    unused LEFT JOINs only outside aggregates); here it looks up none. An id of '' and a NULL can give
    the same key twice: the caller's outer GROUP BY adds them together."""
    inner = [f"{g}_id AS {g}" if g in TEXT_COLUMNS else f"{_group_expr(g, raw=True, slot_ns=slot_ns)} AS {g}"
             for g in group]
    inner += [f"{'SUM(failed)' if m == 'failures' else rollups.packed_expression(m)} AS {m}" for m in measures]
    grouping = f" GROUP BY {', '.join(str(i + 1) for i in range(len(group)))}" if group else ""
    outer = [f"COALESCE(t_{g}.value, '') AS {g}" if g in TEXT_COLUMNS else f"p.{g} AS {g}" for g in group]
    outer += [f"p.{m} AS {m}" for m in measures]
    joins = "".join(f" LEFT JOIN {TEXTS} AS t_{g} ON t_{g}.id = p.{g}" for g in group if g in TEXT_COLUMNS)
    return (f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {PACKED_EVENTS} "
            f"WHERE {' AND '.join(where) or '1'}{grouping}) AS p{joins}")


def _plan(window: Window, group: Sequence[str], filters: Filters,
          measures: Sequence[str]) -> tuple[Rollup | None, tuple[str, ...]]:
    """The rollup to read whole hours from (None: raw rows only) and the measures it can supply."""
    first, last = window.full_hours()
    if not filters.rollup_ok or first >= last or RAW_ONLY_GROUPS & set(group):
        return None, tuple(measures)
    rollup = rollups.pick((set(group) - {"hour"}) | filters.dimensions())
    if rollup is None:
        return None, tuple(measures)
    # Measures a family does not keep (latency histograms outside rollup_model) are left out of both
    # the rollup and the raw edges, so every part of the union sums the same things.
    available = set(rollup.measures) | {"failures"}  # every family can count failures
    return rollup, tuple(m for m in measures if m in available)


def aggregate(conn: sqlite3.Connection, window: Window, group: Sequence[str], filters: Filters,
              *, slot_ns: int = NS_PER_HOUR, measures: Sequence[str] = MEASURES) -> list[dict[str, Any]]:
    """Sums of the requested measures per group over the window: whole days and hours from a rollup
    family (days only when not grouping by hour), edges from raw rows. Grouping by `slot` or
    `status_code`, a raw-only filter, or a combination no family keys, reads raw rows throughout. A
    measure the chosen family lacks is absent from the rows."""
    rollup, measures = _plan(window, group, filters, measures)
    params: list[Any] = []
    parts: list[str] = []
    first, last = window.full_hours()
    raw_ranges = [(window.start_ns, window.end_ns)]
    if rollup is not None:
        where, values = filters.clauses(raw=False)
        days, hour_ranges = ((0, 0), [(first, last)]) if "hour" in group else _split_days(first, last)
        spans = [(rollups.DAILY[rollup.table], days), *((rollup, hours) for hours in hour_ranges)]
        for family, (low, high) in spans:
            if low < high:
                parts.append(_select(group, measures, rollup=family, slot_ns=slot_ns,
                                     where=[f"{family.period} >= ?", f"{family.period} < ?", *where]))
                params += [low, high, *values]
        raw_ranges = [(window.start_ns, first * NS_PER_HOUR), (last * NS_PER_HOUR, window.end_ns)]
    for low, high in raw_ranges:
        if low >= high:
            continue
        packed = not filters.extra_raw
        where, values = filters.clauses(raw=True, packed=packed)
        where = ["ts_ns >= ?", "ts_ns < ?", *where]
        parts.append(_packed_select(group, measures, where=where, slot_ns=slot_ns) if packed
                     else _select(group, measures, rollup=None, where=where, slot_ns=slot_ns))
        params += [low, high, *values]
        # What retention folded away of this range (store/archive.py); nothing before any compaction.
        # The archive keys its texts: it takes the filters over text columns, never the packed ids.
        where, values = filters.clauses(raw=True)
        sql, archived = archive.select_hours(group, measures, low, high, where, values,
                                             text_search=bool(filters.extra_raw), slot_ns=slot_ns)
        parts.append(sql)
        params += archived
    if not parts:
        return []
    sums = ", ".join(f"SUM({m}) AS {m}" for m in measures)
    keys = ", ".join(group)
    sql = f"SELECT {keys + ', ' if keys else ''}{sums} FROM ({' UNION ALL '.join(parts)})"
    if group:
        sql += f" GROUP BY {keys}"
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor if row[len(group)] is not None]


DETAIL_COLUMNS = ("id", "ts_ns", "endpoint", "model", "source_label", "auth_index", "latency_ms",
                  "in_uncached", "in_cache_read", "in_cache_write", "out_total", "out_reasoning",
                  "total_tokens", "failed")


Cursor = tuple[int, int]   # (ts_ns, id) of the last row a page returned


def event_page(conn: sqlite3.Connection, window: Window, columns: Sequence[str], *, limit: int,
               cursor: Cursor | None = None, ascending: bool = False, filters: Filters | None = None,
               ) -> list[tuple[Any, ...]]:
    """One keyset page of raw events in the window: newest first and older than `cursor`, or, with
    `ascending`, oldest first and newer than `cursor`. Served by the (ts_ns) index; no OFFSET."""
    where, params = (filters or Filters()).clauses(raw=True)
    clauses = ["ts_ns >= ?", "ts_ns < ?", *where]
    values: list[Any] = [window.start_ns, window.end_ns, *params]
    if cursor is not None:
        op = ">" if ascending else "<"
        clauses.append(f"(ts_ns {op} ? OR (ts_ns = ? AND id {op} ?))")
        values += [cursor[0], cursor[0], cursor[1]]
    order = "ASC" if ascending else "DESC"
    sql = (f"SELECT {', '.join(columns)} FROM usage_events WHERE {' AND '.join(clauses)} "
           f"ORDER BY ts_ns {order}, id {order} LIMIT ?")
    return conn.execute(sql, [*values, limit]).fetchall()


def labels(conn: sqlite3.Connection, kind: str, ids: Sequence[str]) -> dict[str, str]:
    """Readable labels of hashed keys (kind api_key) or accounts (kind account) by id."""
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    return dict(conn.execute(f"SELECT id, label FROM labels WHERE kind = ? AND id IN ({marks})",
                             [kind, *ids]).fetchall())


def last_hours_by_account(conn: sqlite3.Connection, window: Window, auth_indexes: Sequence[str]) -> dict[str, int]:
    """Per account, the last hour (hours since the epoch) inside the window that holds a request of it.

    Read from the account rollups, which are written in the transaction that stores the events, so they
    are never behind them: first each account's last day from the daily family, then its last hour within
    that day from the hourly one (a month's window reads ~30 rows per account and a day of hours, where
    it read every hour of the month)."""
    if not auth_indexes:
        return {}
    # Hours that overlap the half-open window; a partial hour counts as a whole (the answer is to the hour).
    first, last = window.start_ns // NS_PER_HOUR, (min(window.end_ns, MAX_NS) - 1) // NS_PER_HOUR
    marks = ", ".join("?" for _ in auth_indexes)
    last_days = conn.execute(
        f"SELECT auth_index, MAX(day) FROM rollup_account_day WHERE day >= ? AND day <= ? "
        f"AND auth_index IN ({marks}) GROUP BY auth_index",
        [first // HOURS_PER_DAY, last // HOURS_PER_DAY, *auth_indexes]).fetchall()
    accounts_by_day: dict[int, list[str]] = {}
    for auth_index, day in last_days:
        accounts_by_day.setdefault(day, []).append(auth_index)
    hours: dict[str, int] = {}
    for day, accounts in accounts_by_day.items():
        low, high = max(day * HOURS_PER_DAY, first), min(day * HOURS_PER_DAY + HOURS_PER_DAY - 1, last)
        hours.update(_last_hours(conn, low, high, accounts))
    # An account whose last day's requests all fall outside the window (a partial day at its end) may
    # have earlier ones inside it: those few are looked up over the whole window.
    unresolved = [auth_index for auth_index, _ in last_days if auth_index not in hours]
    if unresolved:
        hours.update(_last_hours(conn, first, last, unresolved))
    return hours


def _last_hours(conn: sqlite3.Connection, first: int, last: int, auth_indexes: Sequence[str]) -> dict[str, int]:
    marks = ", ".join("?" for _ in auth_indexes)
    sql = (f"SELECT auth_index, MAX(hour) FROM rollup_account WHERE hour >= ? AND hour <= ? "
           f"AND auth_index IN ({marks}) GROUP BY auth_index")
    return dict(conn.execute(sql, [first, last, *auth_indexes]).fetchall())


FailureGroup = tuple[int | None, str | None, int, int]   # status code, failure body, count, last ts_ns


def failure_groups(conn: sqlite3.Connection, window: Window, filters: Filters) -> list[FailureGroup]:
    """Failed requests in the window grouped by status code and (redacted) body, most frequent first, with
    what retention folded of the window. Raw rows are read by body id from the packed table unless a
    raw-only filter needs the view's texts."""
    packed = not filters.extra_raw
    where, params = filters.clauses(raw=True, packed=packed)
    if packed:
        raw = (f"SELECT g.status_code AS s, b.value AS b, g.n AS n, g.last_ns AS t FROM (SELECT status_code, "
               f"fail_body_id, COUNT(*) AS n, MAX(ts_ns) AS last_ns FROM {PACKED_EVENTS} WHERE failed = 1 "
               f"AND ts_ns >= ? AND ts_ns < ?{''.join(' AND ' + w for w in where)} "
               f"GROUP BY status_code, fail_body_id) AS g LEFT JOIN {TEXTS} AS b ON b.id = g.fail_body_id")
    else:
        terms = ["failed = 1", "ts_ns >= ?", "ts_ns < ?", *where]
        raw = ("SELECT status_code AS s, fail_body AS b, COUNT(*) AS n, MAX(ts_ns) AS t "
               f"FROM {view_rows(['fail_body', *terms], terms)} GROUP BY status_code, fail_body")
    # The archive keys its texts: it takes the filters over text columns, never the packed ids.
    archive_where, archive_params = filters.clauses(raw=True)
    archived, archived_params = archive.select_failures(window.start_ns, window.end_ns, archive_where,
                                                        archive_params, text_search=bool(filters.extra_raw))
    sql = (f"SELECT s, b, SUM(n), MAX(t) FROM ({raw} UNION ALL {archived}) "
           "GROUP BY s, b ORDER BY 3 DESC LIMIT 2000")
    return conn.execute(sql, [window.start_ns, window.end_ns, *params, *archived_params]).fetchall()


# The partial index idx_events_tier_candidates (migration 7) holds exactly the rows matching this term;
# SQLite uses it only when the query repeats the term word for word.
TIER_INDEX_TERM = ("(response_service_tier IN ('priority', 'flex') OR "
                   "in_uncached + in_cache_read + in_cache_write > 200000)")
TIER_INDEX_MIN_TOKENS = 200000


def tier_terms(service_tiers: Sequence[str], above_tokens: int | None, *,
               column_prefix: str = "") -> tuple[list[str], list[Any]]:
    """The test that a raw request may be billed differently (a listed service tier, or input above
    `above_tokens`) and its parameters; plus TIER_INDEX_TERM when every such request is inside the partial
    index, so SQLite can use it. `column_prefix` ("e.") qualifies the columns of the tier test."""
    c = column_prefix
    tests = [f"{c}response_service_tier IN ({', '.join('?' for _ in service_tiers)})"]
    params: list[Any] = list(service_tiers)
    if above_tokens is not None:
        tests.append(f"{c}in_uncached + {c}in_cache_read + {c}in_cache_write > ?")
        params.append(above_tokens)
    terms = [f"({' OR '.join(tests)})"]
    if above_tokens is None or above_tokens >= TIER_INDEX_MIN_TOKENS:
        terms.append(TIER_INDEX_TERM)  # word for word, so SQLite uses the partial index
    return terms, params
TIER_COLUMNS = ("model", "response_service_tier", "in_uncached", "in_cache_read", "in_cache_write",
                "in_cache_write_1h", "out_total", "unclassified_tokens")


def tier_candidates(conn: sqlite3.Connection, window: Window, filters: Filters, group: Sequence[str],
                    models: Sequence[str], above_tokens: int | None, *, slot_ns: int = NS_PER_HOUR,
                    service_tiers: Sequence[str] = ("priority", "flex")) -> list[dict[str, Any]]:
    """The raw requests of `models` that a price tier may bill differently: input above `above_tokens`,
    or a priority/flex service tier. Rollups cannot tell these apart, so they are read one by one;
    they are the exceptions, so the read stays small."""
    if not models:
        return []
    where, params = filters.clauses(raw=True)
    (tier_test, *index_term), tier_params = tier_terms(service_tiers, above_tokens)
    clauses = ["ts_ns >= ?", "ts_ns < ?", f"model IN ({', '.join('?' for _ in models)})", tier_test, *where,
               *index_term]
    columns = [f"{_group_expr(g, raw=True, slot_ns=slot_ns)} AS g_{g}" for g in group] + list(TIER_COLUMNS)
    raw = f"SELECT {', '.join(columns)} FROM usage_events WHERE {' AND '.join(clauses)}"
    archived, archived_params = archive.select_tier_events(
        group, TIER_COLUMNS, window.start_ns, window.end_ns, clauses[2:4] + where, [*models, *tier_params, *params],
        text_search=bool(filters.extra_raw), slot_ns=slot_ns)
    cursor = conn.execute(f"{raw} UNION ALL {archived}",
                          [window.start_ns, window.end_ns, *models, *tier_params, *params, *archived_params])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]
