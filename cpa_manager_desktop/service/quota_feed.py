"""The quota collector's sink, teed: every reading goes to the store, and the latest reading per
credential stays in memory with the reading it replaced. The tray asks every 2 s; with this it reads
memory, not a GROUP BY over a year of snapshots.

The readings from before this process started are read from the store once, on first use, so the
first reading after a start still has the one before it to compare with (a reset across a restart).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from cpa_manager_desktop.quota.snapshot import SnapshotView, from_row
from cpa_manager_desktop.store.quota import QuotaStore, SnapshotRow

# A pass of 1,000 credentials is 1,000 changes; the tray drains them every 2 s, so four passes of slack.
MAX_CHANGES = 4096


@dataclass(frozen=True)
class ReadingChange:
    """One new reading of a credential, with the one before it (None for a credential never read)."""

    seq: int
    before: SnapshotView | None
    after: SnapshotView


class QuotaFeed:
    def __init__(self, store: QuotaStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._latest: Mapping[str, SnapshotView] | None = None
        self._changes: deque[ReadingChange] = deque(maxlen=MAX_CHANGES)
        self._seq = 0

    def record(self, rows: list[SnapshotRow]) -> int:
        """The collector's sink: store first (a failed write changes nothing here), then remember."""
        with self._lock:
            self._loaded()  # before the write, or the rows being written would count as the old readings
        written = self._store.record(rows)
        views = [from_row(row) for row in rows]
        with self._lock:
            latest = dict(self._loaded())
            for view in views:
                before = latest.get(view.auth_index)
                if before is not None and view.at_s < before.at_s:
                    continue  # the store keeps the newer one too
                latest[view.auth_index] = view
                self._seq += 1
                self._changes.append(ReadingChange(self._seq, before, view))
            # Copy on write: latest() hands out the mapping without copying it.
            self._latest = MappingProxyType(latest)
        return written

    def latest(self) -> tuple[int, Mapping[str, SnapshotView]]:
        """(a version that changes with every reading, auth_index → latest reading)."""
        with self._lock:
            return self._seq, self._loaded()

    def changes_since(self, seq: int) -> tuple[list[ReadingChange], int]:
        """The readings after `seq` still kept (the oldest drop off past MAX_CHANGES), and the new cursor."""
        with self._lock:
            return [c for c in self._changes if c.seq > seq], self._seq

    def _loaded(self) -> Mapping[str, SnapshotView]:
        if self._latest is None:
            self._latest = MappingProxyType({row.auth_index: from_row(row) for row in self._store.latest()})
        return self._latest

