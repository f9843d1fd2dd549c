"""A compact quota history for every credential at once (the Quota page's sparklines): per credential,
window and time bucket, the highest used % any reading in the bucket showed. One statement; SQLite
unpacks the stored windows JSON itself, so Python never parses a week of rows."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from cpa_manager_desktop.store.db import Database


@dataclass(frozen=True)
class BucketPeak:
    auth_index: str
    window: str
    bucket: int          # at_s // bucket_s: buckets are aligned to the epoch, so a past one never changes
    used_percent: float


# Read per credential through the (credential_id, at_s) key: no scan of the year of rows. Grouped by the
# integer id (a cheaper sort than by auth_index text), which is mapped back in the same read.
_PEAKS = (
    "SELECT s.credential_id, json_extract(w.value, '$[0]') AS wkey, s.at_s / :bucket AS b, "
    "MAX(json_extract(w.value, '$[1]')) "
    "FROM quota_credentials c JOIN quota_snapshots s ON s.credential_id = c.id "
    "AND s.at_s >= :start AND s.at_s < :end, json_each(s.windows, '$.w') w "
    "WHERE s.state = 'ok' GROUP BY s.credential_id, wkey, b"
)


def bucket_peaks(db: Database, start_s: int, end_s: int, bucket_s: int) -> list[BucketPeak]:
    """The highest used % per (credential, window, bucket) among readings in [start_s, end_s) that
    succeeded (expired or unrecognised readings have no windows); buckets without a reading are absent."""
    params = {"start": start_s, "end": end_s, "bucket": bucket_s}

    def read(c: sqlite3.Connection) -> list[BucketPeak]:
        rows = c.execute(_PEAKS, params).fetchall()
        names = dict(c.execute("SELECT id, auth_index FROM quota_credentials").fetchall()) if rows else {}
        return [BucketPeak(names[i], k, b, float(u)) for i, k, b, u in rows]
    return db.read(read)
