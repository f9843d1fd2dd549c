"""Migration 12: the alert list (issue 17). One row per incident: what it is about (kind, subject), the
title and sentence shown, its facts and evidence as compact JSON made by the caller, and when it opened,
cleared, was acknowledged and last notified. A flapping condition reopens its row, so the table stays small;
cleared rows are pruned after 90 days. Numbered 12 because budgets, coverage and retention bring 9–11.
Frozen."""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    "CREATE TABLE alerts (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, subject TEXT NOT NULL, "
    "subject_label TEXT NOT NULL, title TEXT NOT NULL, message TEXT NOT NULL, facts TEXT NOT NULL, "
    "evidence TEXT NOT NULL, opened_s INTEGER NOT NULL, cleared_s INTEGER, acknowledged_s INTEGER, notified_s INTEGER)",
    "CREATE INDEX idx_alerts_subject ON alerts (kind, subject, id)",
)


def apply(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
