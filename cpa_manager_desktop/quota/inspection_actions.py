"""Executing inspection suggestions at CPA, only when asked: disable, enable or delete one result or all
of the newest run, and record what was done and who disabled what.

Each execution first reads CPA's list again: a suggestion is minutes old, and a person may have acted
since. A credential seen disabled without our record is recorded as disabled by hand, and enable is
executed only for a credential our inspection disabled. A disable is recorded as ours only after CPA
accepted it and only if the credential was enabled just before, so a crash in between leaves it
"manual" (never re-enabled by us), the safe side. After our disables the list is read once more for
each credential's modification stamp: a later change to it means someone else touched it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cpa_manager_desktop.cpa.errors import AuthRejected, SourceError
from cpa_manager_desktop.errors import BadRequest, Conflict
from cpa_manager_desktop.quota.inspection import NotReady, RunNotFound
from cpa_manager_desktop.quota.inspection_rules import Action, listed_disabled, listed_stamp
from cpa_manager_desktop.quota.inspection_source import InspectionSource
from cpa_manager_desktop.store.inspection import INSPECTION, InspectionStore, ResultRow, Sighting

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Executed:
    seq: int
    action: str
    error: str | None  # None: done at CPA


class InspectionExecutor:
    def __init__(self, store: InspectionStore, source_for: Callable[[], InspectionSource | None], *,
                 is_running: Callable[[int], bool], clock: Callable[[], float] = time.time,
                 on_auth_rejected: Callable[[AuthRejected], None] | None = None) -> None:
        self._store = store
        self._source_for = source_for
        self._is_running = is_running
        self._clock = clock
        self._on_auth_rejected = on_auth_rejected
        self._lock = threading.Lock()  # one execution at a time: two "execute all" must not act twice

    def execute(self, run_id: int, seq: int | None) -> list[Executed]:
        """Execute one result (seq) or every pending one (None) of the newest run. Raises RunNotFound,
        Conflict (running, not the newest, already executed), BadRequest (nothing to execute), NotReady."""
        with self._lock:
            pending = self._pending(run_id, seq)
            source = self._source_for()
            if source is None:
                raise NotReady("CPA is not connected yet: finish the setup, or wait until collection is running.")
            try:
                listed = _by_name(source.entries())
            except AuthRejected as exc:
                self._rejected(exc)
                raise NotReady(exc.message) from None
            except SourceError as exc:
                raise NotReady(exc.message) from None
            done = []
            for result in pending:
                rejected = None
                try:
                    outcome = self._one(source, result, listed.get(result.name))
                except AuthRejected as exc:
                    rejected, outcome = exc, exc.message
                self._store.mark_executed(run_id, result.seq, int(self._clock()), outcome)
                log.info("inspection action run=%d seq=%d action=%s outcome=%s", run_id, result.seq, result.action,
                         outcome or "done")
                done.append(Executed(result.seq, result.action, outcome))
                if rejected is not None:
                    # CPA refused the key: each further call would count as a failed login towards a ban.
                    self._rejected(rejected)
                    return done
            self._stamp_disables(source, [r for r, e in zip(pending, done, strict=True)
                                          if e.error is None and r.action == Action.DISABLE.value])
            return done

    def _pending(self, run_id: int, seq: int | None) -> list[ResultRow]:
        if self._store.run(run_id) is None:
            raise RunNotFound(f"There is no inspection run {run_id}.")
        if self._is_running(run_id):
            raise Conflict("The run is still going: wait for it to finish or cancel it.", code="run_in_progress")
        if self._store.newest_run_id() != run_id:
            raise Conflict("Only the newest run can be executed: older suggestions may be out of date.",
                           code="run_outdated")
        if seq is None:
            return [r for r in self._store.results(run_id) if r.action != Action.KEEP.value and r.executed_s is None]
        result = self._store.result(run_id, seq)
        if result is None:
            raise RunNotFound(f"Run {run_id} has no result {seq}.")
        if result.action == Action.KEEP.value:
            raise BadRequest("This result suggests keeping the credential: there is nothing to execute.",
                             code="nothing_to_execute")
        if result.executed_s is not None:
            raise Conflict("This result has already been executed.", code="already_executed")
        return [result]

    def _one(self, source: InspectionSource, result: ResultRow, entry: dict[str, Any] | None) -> str | None:
        """Act on one result; returns None when done, else the sentence saying why not."""
        if entry is None or entry.get("auth_index") != result.auth_index:
            return "CPA no longer lists this credential; nothing was changed."
        disabled = listed_disabled(entry)
        now = int(self._clock())
        seen = Sighting(result.auth_index, result.name, disabled, listed_stamp(entry))
        record = self._store.observe([seen], now, result.run_id)
        try:
            if result.action == Action.DELETE.value:
                source.delete(result.name)
                self._store.forget_disable(result.auth_index)
            elif result.action == Action.DISABLE.value:
                if disabled:
                    return "It was already disabled; nothing was changed."
                source.set_disabled(result.name, result.auth_index, True)
                self._store.record_disable(result.auth_index, result.name, INSPECTION, now, result.run_id)
            elif result.action == Action.ENABLE.value:
                if not disabled:
                    return "It was already enabled; nothing was changed."
                if record.get(result.auth_index) != INSPECTION:
                    return "It was disabled by hand, and inspection never re-enables what it did not disable."
                source.set_disabled(result.name, result.auth_index, False)
                self._store.forget_disable(result.auth_index)
        except AuthRejected:
            raise
        except SourceError as exc:
            return exc.message
        return None

    def _stamp_disables(self, source: InspectionSource, disabled: list[ResultRow]) -> None:
        if not disabled:
            return
        try:
            listed = _by_name(source.entries())
        except SourceError as exc:  # without a stamp the record stays ours; nothing else is lost
            log.info("inspection could not re-read CPA's list after disabling: %s", exc.message)
            return
        stamps = {}
        for result in disabled:
            entry = listed.get(result.name)
            stamp = listed_stamp(entry) if entry and entry.get("auth_index") == result.auth_index else None
            if stamp is not None:
                stamps[result.auth_index] = stamp
        self._store.set_stamps(stamps)

    def _rejected(self, error: AuthRejected) -> None:
        if self._on_auth_rejected is not None:
            self._on_auth_rejected(error)


def _by_name(entries: list[Any]) -> dict[str, dict[str, Any]]:
    return {str(e.get("name") or e.get("id") or ""): e for e in entries if isinstance(e, dict)}
