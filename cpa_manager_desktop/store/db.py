"""SQLite connections: one writer, a read connection per thread, pragmas on every connection.

The writer is a single connection behind a lock; every write runs in `BEGIN IMMEDIATE` so it takes the
write lock up front instead of failing half-way with SQLITE_BUSY (the bug behind upstream #447).
Readers never hold a transaction across a slow client (the WAL growth of upstream #503): `read()`
runs one function and finishes its statement before returning.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from cpa_manager_desktop.errors import StoreClosed
from cpa_manager_desktop.store import migrations

log = logging.getLogger(__name__)
T = TypeVar("T")

PRAGMAS = (
    "PRAGMA busy_timeout = 5000",
    "PRAGMA foreign_keys = ON",
    # FULL: a committed batch must survive a power cut too, since CPA no longer has it.
    "PRAGMA synchronous = FULL",
    "PRAGMA journal_size_limit = 67108864",
    "PRAGMA cache_size = -8000",
)
# Reads run on a few fixed threads: each thread that sorts a large GROUP BY keeps its malloc arena
# afterwards, so letting every web server thread query grew memory by ~100 MB per thread (measured).
READER_THREADS = 3
CHECKPOINT_EVERY_S = 300.0
# After a migration that rewrote a table (m0013 packs the events into half the pages), the file keeps
# the old pages as free ones; past this share of the file they are given back once, with a VACUUM.
RECLAIM_FREE_SHARE = 0.25


class Database:
    """Owns the SQLite file. Returns committed results from write(); raises StoreClosed after close()."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self._clock = clock
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._closed = False
        self._reader_pool = ThreadPoolExecutor(READER_THREADS, thread_name_prefix="db-read")
        _create_private_file(path)
        self._writer = self._connect(read_only=False)
        if self._writer.execute("PRAGMA page_count").fetchone()[0] == 0:
            # A new file can shrink in small steps from the start (store/retention.py); an existing one
            # needs a VACUUM to switch: the one after an upgrade that rewrote the events (below), or else
            # the one retention runs the first time it is turned on.
            self._writer.execute("PRAGMA auto_vacuum = INCREMENTAL")
        self._writer.execute("PRAGMA journal_mode = WAL")
        if migrations.migrate(self._writer):
            self._reclaim_free_pages()
        self._last_checkpoint = self._clock()

    def _connect(self, *, read_only: bool) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5.0)
        for pragma in PRAGMAS:
            conn.execute(pragma)
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        return conn

    def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run fn in one IMMEDIATE transaction; commit and return its result, or roll back and raise."""
        with self._write_lock:
            self._check_open()
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            self._maybe_checkpoint()
            return result

    def outside_transaction(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run fn on the writer with the write lock held but no transaction open: for the statements SQLite
        refuses inside one (VACUUM, wal_checkpoint). Other writers wait until it returns."""
        with self._write_lock:
            self._check_open()
            return fn(self._writer)

    def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run fn on a reader connection in the reader pool and return its result (or raise its error)."""
        self._check_open()
        if getattr(self._local, "conn", None) is not None:
            return fn(self._local.conn)  # already on a reader thread: no second hop
        return self._reader_pool.submit(self._read_here, fn).result()

    def _read_here(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect(read_only=True)
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return fn(conn)

    def _reclaim_free_pages(self) -> None:
        """VACUUM once after migrations left a large share of the file free; before any reader or writer
        starts, since it rewrites the whole file (6 s for 5 M packed events on a shared 2-core machine)."""
        pages = self._writer.execute("PRAGMA page_count").fetchone()[0]
        free = self._writer.execute("PRAGMA freelist_count").fetchone()[0]
        if not pages or free / pages < RECLAIM_FREE_SHARE:
            return
        started = time.monotonic()
        before = self.size_bytes()
        # The one rewrite also switches the file to incremental vacuum, which retention needs to give
        # space back in small steps (store/retention.py): otherwise it would rewrite the file a second time.
        self._writer.execute("PRAGMA auto_vacuum = INCREMENTAL")
        self._writer.execute("VACUUM")
        self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info("database compacted after the upgrade: %.0f MB -> %.0f MB on disk (file and WAL) in %.1f s",
                 before / 1e6, self.size_bytes() / 1e6, time.monotonic() - started)

    def _maybe_checkpoint(self) -> None:
        """Keep the WAL bounded: a TRUNCATE checkpoint every few minutes, skipped if readers block it."""
        now = self._clock()
        if now - self._last_checkpoint < CHECKPOINT_EVERY_S:
            return
        self._last_checkpoint = now
        busy, wal_pages, done = self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        log.debug("wal checkpoint busy=%s wal_pages=%s checkpointed=%s", busy, wal_pages, done)

    def size_bytes(self) -> int:
        total = 0
        for suffix in ("", "-wal"):
            with contextlib.suppress(FileNotFoundError):
                total += os.stat(f"{self.path}{suffix}").st_size
        return total

    def _check_open(self) -> None:
        if self._closed:
            raise StoreClosed("The database is closed")

    def close(self) -> None:
        """Checkpoint and close every connection. Idempotent."""
        with self._write_lock:
            if self._closed:
                return
            self._closed = True
            self._reader_pool.shutdown(wait=True)
            with self._readers_lock:
                for conn in self._readers:
                    conn.close()
                self._readers.clear()
            try:
                self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                log.warning("final checkpoint failed: %s", exc)
            self._writer.close()


def _create_private_file(path: Path) -> None:
    """Create the DB file 0600 before SQLite does; SQLite gives -wal/-shm the same mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path.parent, 0o700)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
