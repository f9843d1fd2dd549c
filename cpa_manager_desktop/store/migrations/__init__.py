"""Numbered schema migrations, tracked with PRAGMA user_version, each in its own transaction.

Each migration is frozen history in its own module: it carries its own SQL and imports no current
code, so changing today's schema (store/schema.py, store/rollups.py) never rewrites the past.
tests/test_store.py pins the SQL each one runs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from cpa_manager_desktop.errors import StoreClosed
from cpa_manager_desktop.store.migrations import (
    m0001_initial,
    m0002_latency_histograms,
    m0003_narrow_rollups,
    m0004_canonical_tokens,
    m0005_price_tiers,
    m0006_credential_snapshots,
    m0007_tier_candidates_index,
    m0008_quota_snapshots,
    m0009_inspection,
    m0010_budgets,
    m0011_coverage,
    m0012_alerts,
    m0013_packed_events,
    m0014_retention,
)

Migration = tuple[int, str, Callable[[sqlite3.Connection], None]]
MIGRATIONS: tuple[Migration, ...] = (
    (1, "initial", m0001_initial.apply),
    (2, "latency_histograms", m0002_latency_histograms.apply),
    (3, "narrow_rollups", m0003_narrow_rollups.apply),
    (4, "canonical_tokens", m0004_canonical_tokens.apply),
    (5, "price_tiers", m0005_price_tiers.apply),
    (6, "credential_snapshots", m0006_credential_snapshots.apply),
    (7, "tier_candidates_index", m0007_tier_candidates_index.apply),
    (8, "quota_snapshots", m0008_quota_snapshots.apply),
    (9, "inspection", m0009_inspection.apply),
    (10, "budgets", m0010_budgets.apply),
    (11, "coverage", m0011_coverage.apply),
    (12, "alerts", m0012_alerts.apply),
    (13, "packed_events", m0013_packed_events.apply),
    (14, "retention", m0014_retention.apply),
)
LATEST_VERSION = MIGRATIONS[-1][0]


def current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations in order; returns the names applied. Refuses a newer schema."""
    version = current_version(conn)
    if version > LATEST_VERSION:
        raise StoreClosed(
            f"The database was written by a newer version of CPA Manager (schema {version}, "
            f"this build knows {LATEST_VERSION}); upgrade the app or use another data folder"
        )
    applied = []
    for number, name, apply in MIGRATIONS:
        if number <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            apply(conn)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(f"{number:04d}_{name}")
    return applied
