"""Usage read/write services behind the usage routes: the compatible payload, export, import."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path
from typing import IO

from cpa_manager_desktop.analytics.compat import UsageSnapshot
from cpa_manager_desktop.analytics.coverage import gaps_in
from cpa_manager_desktop.store.coverage import CoverageStore, Gap
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.queries import Window
from cpa_manager_desktop.store.retention import aggregated_before_ms
from cpa_manager_desktop.transfer import export
from cpa_manager_desktop.transfer.importer import ImportReport, import_file

EXPORT_FORMATS = ("jsonl", "csv")


class UsageService:
    def __init__(self, db: Database, events: EventStore, query_limit: int, *,
                 coverage: CoverageStore | None = None) -> None:
        self._db = db
        self._events = events
        self.query_limit = query_limit
        self._coverage = coverage

    def coverage_gaps(self, window: Window) -> list[Gap]:
        """The coverage ledger's gaps whose missing requests fall in an exported range: an export notes them."""
        return gaps_in(self._coverage, window, time.time()) if self._coverage is not None else []

    def coverage_note(self, window: Window) -> tuple[int, str]:
        """How many gaps overlap the window and one ASCII line naming them (for response headers)."""
        gaps = self.coverage_gaps(window)
        return len(gaps), export.coverage_note(gaps)

    def compatible_payload(self, window: Window, limit: int, zone: tzinfo) -> Iterator[bytes]:
        """Reads and formats everything on the reader pool (bounded threads, bounded memory), then
        returns the encoded pieces for the server to write; nothing holds the database meanwhile."""

        def build(_conn: object) -> list[bytes]:
            snapshot = UsageSnapshot(self._db, window, limit, zone)
            return [chunk.encode("utf-8") for chunk in snapshot.chunks()]

        return iter(self._db.read(build))

    def export(self, window: Window, fmt: str) -> Iterator[bytes]:
        """The full history in the window, streamed in pages; fmt is jsonl or csv."""
        return export.csv_chunks(self._db, window) if fmt == "csv" else export.jsonl_chunks(self._db, window)

    def aggregated_before_ms(self) -> int | None:
        """Exports hold raw events only: those before this instant (unix ms) were folded into hourly totals."""
        return self._db.read(aggregated_before_ms)

    def write_export(self, window: Window, fmt: str, out: IO[bytes]) -> int:
        """Write an export to a file (the tray's Export action); returns the bytes written."""
        written = 0
        for chunk in self.export(window, fmt):
            out.write(chunk)
            written += len(chunk)
        return written

    def export_to_folder(self, folder: Path, fmt: str = "jsonl") -> Path:
        """Write the full history to a dated file in folder (atomically: a reader never sees half a file).
        When the history has coverage gaps, `<file>.coverage.json` beside it names them."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"cpa-usage-{time.strftime('%Y%m%d-%H%M%S')}.{fmt}"
        partial = target.with_name(target.name + ".part")
        with open(partial, "wb") as out:
            self.write_export(Window(), fmt, out)
        os.replace(partial, target)
        gaps = self.coverage_gaps(Window())
        if gaps:
            coverage_sidecar_path(target).write_bytes(export.coverage_sidecar(gaps, target.name))
        return target

    def import_(self, stream: IO[bytes], *, skip_invalid: bool = False) -> ImportReport:
        return import_file(stream, self._events, skip_invalid=skip_invalid)


def coverage_sidecar_path(export_file: Path) -> Path:
    """Where a file export's coverage note goes: `<file>.coverage.json`, beside it."""
    return export_file.with_name(export_file.name + ".coverage.json")
