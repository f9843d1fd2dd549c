"""Model prices in USD per million tokens."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass

from cpa_manager_desktop.store.db import Database


@dataclass(frozen=True)
class Price:
    model: str
    input_per_1m: float
    output_per_1m: float
    cache_read_per_1m: float | None = None     # None: billed at the input price
    cache_write_per_1m: float | None = None
    source: str = "manual"
    source_model_id: str | None = None
    updated_ns: int = 0
    synced_ns: int | None = None
    cache_write_1h_per_1m: float | None = None  # None: billed at the cache-write price
    tiers_json: str | None = None               # long-context and service tiers, see prices/pricing.py


_COLUMNS = ("model", "input_per_1m", "output_per_1m", "cache_read_per_1m", "cache_write_per_1m", "source",
            "source_model_id", "updated_ns", "synced_ns", "cache_write_1h_per_1m", "tiers_json")
_UPSERT = (f"INSERT INTO model_prices ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)}) "
           "ON CONFLICT (model) DO UPDATE SET "
           + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[1:]))


class PriceStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self) -> dict[str, Price]:
        rows = self._db.read(lambda c: c.execute(f"SELECT {', '.join(_COLUMNS)} FROM model_prices").fetchall())
        return {row[0]: Price(*row) for row in rows}

    def replace_all(self, prices: Iterable[Price]) -> None:
        """Replace every price in one transaction (PUT semantics)."""
        now = time.time_ns()

        def write(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM model_prices")
            _upsert(conn, prices, now)

        self._db.write(write)

    def upsert(self, prices: Iterable[Price]) -> None:
        """Add or update prices in one transaction, leaving other models untouched (sync semantics)."""
        now = time.time_ns()
        self._db.write(lambda conn: _upsert(conn, prices, now))

    def seen_models(self) -> list[tuple[str, str]]:
        """(model, provider) pairs that occur in stored usage, from the rollups (cheap)."""
        return self._db.read(lambda c: c.execute(
            "SELECT DISTINCT model, provider FROM rollup_model ORDER BY model").fetchall())


def _upsert(conn: sqlite3.Connection, prices: Iterable[Price], now: int) -> None:
    conn.executemany(_UPSERT, [
        (p.model, p.input_per_1m, p.output_per_1m, p.cache_read_per_1m, p.cache_write_per_1m, p.source,
         p.source_model_id, p.updated_ns or now, p.synced_ns, p.cache_write_1h_per_1m, p.tiers_json)
        for p in prices
    ])
