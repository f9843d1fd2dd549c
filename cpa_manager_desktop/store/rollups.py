"""Hourly rollup tables: three narrow families instead of one wide one.

A single rollup keyed by every dimension (model, endpoint, provider, account, API key, failed) held
under three events per row on a busy install, so it was barely cheaper to read than the raw rows.
Each family here keys only what its questions filter or group by, and stores only the measures
they need; `pick()` routes a query to the narrowest family that can answer it.

Each family is kept twice: per hour, and per UTC day (`DAILY`, migration 13). A 30-day breakdown or
summary reads its whole days from the daily table, ~20 times fewer rows than the hours, and only the
partial days at its edges from the hourly one. Both are written in the transaction that stores the events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cpa_manager_desktop.store.schema import (
    LATENCY_BUCKETS,
    PACKED_EVENTS,
    TEXTS,
    TOKEN_SUM_COLUMNS,
    histogram_expressions,
    packed_column,
)

NS_PER_HOUR = 3_600_000_000_000
HOURS_PER_DAY = 24
# `inconsistent` counts events whose token_breakdown CPA flagged inconsistent (their buckets were
# rebuilt from the raw counts, see ingest/tokens.py), so analytics can flag them.
BASIC_MEASURES: tuple[str, ...] = ("requests", *TOKEN_SUM_COLUMNS, "inconsistent", "latency_ms_sum",
                                   "latency_count", "ttft_ms_sum", "ttft_count")
# Latency keeps a histogram for p50/p95; TTFT keeps only its average: every histogram bucket is one
# more aggregate per ingested row, and the TTFT percentiles did not justify 16 of them.
ALL_MEASURES: tuple[str, ...] = (*BASIC_MEASURES, *LATENCY_BUCKETS)
_RAW_EXPRESSIONS = {
    "requests": "COUNT(*)",
    **{c: f"SUM({c})" for c in TOKEN_SUM_COLUMNS},
    "inconsistent": "COALESCE(SUM(token_quality = 'inconsistent'), 0)",
    "latency_ms_sum": "COALESCE(SUM(latency_ms), 0)",
    "latency_count": "COUNT(latency_ms)",
    "ttft_ms_sum": "COALESCE(SUM(ttft_ms), 0)",
    "ttft_count": "COUNT(ttft_ms)",
    "failures": "SUM(failed)",
    **dict(zip(LATENCY_BUCKETS, histogram_expressions("latency_ms"), strict=True)),
}

# The same sums over the packed table (store/schema.py), where token_quality is a text id.
_PACKED_EXPRESSIONS = {
    **_RAW_EXPRESSIONS,
    "inconsistent": f"COALESCE(SUM(token_quality_id = (SELECT id FROM {TEXTS} WHERE value = 'inconsistent')), 0)",
}


@dataclass(frozen=True)
class Rollup:
    table: str
    dimensions: tuple[str, ...]          # besides the period
    measures: tuple[str, ...]
    period: str = "hour"                 # the key column of the time: hour, or day (UTC) since the epoch

    @property
    def period_ns(self) -> int:
        return NS_PER_HOUR * (HOURS_PER_DAY if self.period == "day" else 1)

    def failures_sql(self) -> str:
        """Failed requests: a key column in families split by outcome, a stored count in the others."""
        return "SUM(failed * requests)" if "failed" in self.dimensions else "SUM(failures)"

    def covers(self, needed: Iterable[str]) -> bool:
        return set(needed) <= set(self.dimensions)

    def create_sql(self) -> str:
        dims = ", ".join(f"{d} {'INTEGER' if d == 'failed' else 'TEXT'} NOT NULL" for d in self.dimensions)
        sums = ", ".join(f"{m} INTEGER NOT NULL DEFAULT 0" for m in self.measures)
        key = ", ".join((self.period, *self.dimensions))
        return (f"CREATE TABLE {self.table} ({self.period} INTEGER NOT NULL, {dims}, {sums}, PRIMARY KEY ({key})) "
                "WITHOUT ROWID")

    def new_event_statements(self, daily: Rollup) -> tuple[str, ...]:
        """Add events with id > :after to this hourly family and its daily copy; run in the transaction
        that inserted them. The new rows are summed once, by hour and by text id straight from the packed
        table, into a temporary table; both families take their rows from it, with the texts looked up
        per group rather than per event (two sums over the view cost ~3 times as much, measured)."""
        stage = f"temp.stage_{self.table}"
        ids = [d if d == "failed" else packed_column(d) for d in self.dimensions]
        sums = ", ".join(f"{_PACKED_EXPRESSIONS[m]} AS {m}" for m in self.measures)
        groups = ", ".join(str(i + 1) for i in range(len(ids) + 1))
        texts = " ".join(f"LEFT JOIN {TEXTS} AS t_{d} ON t_{d}.id = s.{packed_column(d)}"
                         for d in self.dimensions if d != "failed")
        values = ", ".join("s.failed" if d == "failed" else f"COALESCE(t_{d}.value, '')" for d in self.dimensions)
        dims = ", ".join(self.dimensions)
        accumulate = ", ".join(f"{m} = {m} + excluded.{m}" for m in self.measures)

        def merge(target: Rollup, period: str) -> str:
            # Two ids can name the same text key (NULL and ''): the upsert adds the second row to the first.
            return (f"INSERT INTO {target.table} ({target.period}, {dims}, {', '.join(self.measures)}) "
                    f"SELECT {period}, {values}, {', '.join(f's.{m}' for m in self.measures)} FROM {stage} AS s "
                    f"{texts} WHERE true ON CONFLICT ({target.period}, {dims}) DO UPDATE SET {accumulate}")

        return (
            f"CREATE TEMP TABLE IF NOT EXISTS {stage.removeprefix('temp.')} "
            f"(hour INTEGER, {', '.join(ids)}, {', '.join(self.measures)})",
            f"INSERT INTO {stage} SELECT ts_ns / {NS_PER_HOUR}, {', '.join(ids)}, {sums} FROM {PACKED_EVENTS} "
            f"WHERE id > :after GROUP BY {groups}",
            merge(self, "s.hour"),
            merge(daily, f"s.hour / {HOURS_PER_DAY}"),
            f"DELETE FROM {stage}",
        )


# The account and API-key families count failures instead of keying by outcome: an hour with both
# successes and failures for one account and model then needs one row, not two (~35% fewer rows).
# rollup_series comes first: a question about models alone (a series, a summary) reads its ~12 rows per
# hour instead of rollup_model's ~40.
ROLLUPS: tuple[Rollup, ...] = (
    Rollup("rollup_series", ("model",), (*ALL_MEASURES, "failures")),
    Rollup("rollup_model", ("endpoint", "model", "provider", "failed"), ALL_MEASURES),
    Rollup("rollup_account", ("auth_index", "provider", "model"), (*BASIC_MEASURES, "failures")),
    Rollup("rollup_api_key", ("api_key_hash", "model"), (*BASIC_MEASURES, "failures")),
)


DAILY: dict[str, Rollup] = {r.table: Rollup(f"{r.table}_day", r.dimensions, r.measures, "day") for r in ROLLUPS}
# Every table written with the events: the hourly families, then their daily copies.
ALL_ROLLUPS: tuple[Rollup, ...] = (*ROLLUPS, *DAILY.values())
# What adds the events with id > :after to every family, hourly and daily.
NEW_EVENT_STATEMENTS: tuple[str, ...] = tuple(s for r in ROLLUPS for s in r.new_event_statements(DAILY[r.table]))


def pick(needed_dimensions: Iterable[str]) -> Rollup | None:
    """The first (narrowest-to-read) family keyed by every needed dimension, or None: read raw rows."""
    needed = set(needed_dimensions)
    return next((r for r in ROLLUPS if r.covers(needed)), None)


def raw_expression(measure: str) -> str:
    return _RAW_EXPRESSIONS[measure]


def packed_expression(measure: str) -> str:
    """raw_expression() over the packed table, where token_quality is a text id."""
    return _PACKED_EXPRESSIONS[measure]
