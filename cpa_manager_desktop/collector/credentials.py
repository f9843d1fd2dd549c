"""Credential names at collection time (issue 12 §6): CPA's credential list (`GET /auth-files`), read
at most every few minutes while events arrive, kept per auth_index with the time it was seen
(store/credentials.py). /usage details carry them as the Go service's `*_snapshot` fields, so a
credential renamed or deleted later keeps the name it had. A failed read keeps what is stored and
never holds up a batch. Emails and keys are masked as the event labels are.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cpa_manager_desktop import redact
from cpa_manager_desktop.store.credentials import CredentialSnapshot, CredentialStore
from cpa_manager_desktop.store.events import BatchResult
from cpa_manager_desktop.store.rows import DeadLetterRow, EventRow

Sink = Callable[[Sequence[EventRow], Sequence[DeadLetterRow]], BatchResult]

log = logging.getLogger(__name__)
REFRESH_S = 300.0
# CPA names files `<provider>-<email>.json`: the local part stops at a hyphen so the prefix stays.
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+]+@[^\s@/]+\.[A-Za-z]{2,}(?=\.json$|$)")


def _text(entry: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        value = entry.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()[:256]
    return None


def snapshot_of(entry: Mapping[str, Any], at_ms: int) -> CredentialSnapshot | None:
    index = _text(entry, "auth_index")
    if index is None:
        return None
    account, label, file = _text(entry, "email", "account", "label"), _text(entry, "label"), _text(entry, "name")
    return CredentialSnapshot(
        auth_index=index, at_ms=at_ms,
        account=redact.mask_label(account) if account else None,
        label=redact.mask_label(label) if label else None,
        file=_EMAIL_IN_TEXT.sub(lambda m: redact.mask_email(m.group(0)), file) if file else None,
        provider=_text(entry, "provider", "type"))


class CredentialSnapshots:
    def __init__(self, fetch: Callable[[], Any], store: CredentialStore, *,
                 clock: Callable[[], float] = time.time, refresh_s: float = REFRESH_S) -> None:
        self._fetch = fetch          # CPA's /auth-files JSON, or None when there is no upstream
        self._store = store
        self._clock = clock
        self._refresh_s = refresh_s
        self._next = 0.0
        self._lock = threading.Lock()
        self._reader: threading.Thread | None = None

    def sink(self, add_batch: Sink) -> Sink:
        """The collector's sink: commits through add_batch and, when a batch names credentials, asks for
        a read of the list on the side, so the ingestion thread never waits on CPA."""

        def add(rows: Sequence[EventRow], dead_letters: Sequence[DeadLetterRow]) -> BatchResult:
            if any(row.auth_index for row in rows):
                self.refresh_in_background()
            return add_batch(rows, dead_letters)

        return add

    def refresh_in_background(self) -> None:
        """Starts one read of the list on its own thread when one is due and none is running."""
        with self._lock:
            if self._clock() < self._next or (self._reader is not None and self._reader.is_alive()):
                return
            self._reader = threading.Thread(target=self.refresh_if_due, name="credential-names", daemon=True)
            self._reader.start()

    def stop(self, timeout_s: float = 6.0) -> bool:
        """Waits for a read in flight (its CPA timeout is 5 s), so the store is not closed under it."""
        with self._lock:
            reader = self._reader
        if reader is not None:
            reader.join(timeout_s)
            return not reader.is_alive()
        return True

    def refresh_if_due(self) -> None:
        now = self._clock()
        if now < self._next:
            return
        self._next = now + self._refresh_s
        try:
            document = self._fetch()
            files = document.get("files") if isinstance(document, dict) else None
            if not isinstance(files, list):
                return
            at_ms = int(now * 1000)
            snapshots = [s for entry in files if isinstance(entry, dict) and (s := snapshot_of(entry, at_ms))]
            self._store.record(snapshots)
        except Exception as exc:  # names are a nicety: never let them cost a batch
            log.info("CPA credential list not read: %s", getattr(exc, "message", type(exc).__name__))
