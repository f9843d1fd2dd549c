"""The inspection runner: one run at a time in the background, on its own pool of `workers` threads,
owned by app.py (start() before serving runs, stop() joins the run before the store closes).

A run lists CPA's credentials, brings the record of who disabled what up to date, checks each Codex
credential of the sample through CPA's api-call (the quota code's request and parser), and stores a
suggestion per credential. It never changes anything at CPA: that is inspection_actions.py, on request.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, replace

from cpa_manager_desktop.cpa.errors import AuthRejected, CallTimedOut, SourceError
from cpa_manager_desktop.errors import AppError, Conflict
from cpa_manager_desktop.quota.inspection_rules import (
    CallFailed,
    Disabler,
    Finding,
    InspectionSettings,
    Subject,
    Suggestion,
    listed_disabled,
    listed_stamp,
    sample,
    subject_from,
    suggest,
    unchecked,
)
from cpa_manager_desktop.quota.inspection_source import InspectionSource
from cpa_manager_desktop.quota.providers import PROVIDERS, Credential
from cpa_manager_desktop.redact import mask_label
from cpa_manager_desktop.store.inspection import InspectionStore, ResultRow, Sighting

log = logging.getLogger(__name__)
WRITE_CHUNK = 20  # results per transaction: progress on the page, few writes on the shared writer
RUNNING, FINISHED, CANCELLED, FAILED = "running", "finished", "cancelled", "failed"


class NotReady(AppError):
    status = 409
    code = "cpa_not_ready"


class RunNotFound(AppError):
    status = 404
    code = "run_not_found"


@dataclass(frozen=True)
class RunProgress:
    run_id: int
    total: int
    done: int
    state: str
    cancelling: bool = False


class InspectionRunner:
    def __init__(self, store: InspectionStore, source_for: Callable[[], InspectionSource | None], *,
                 clock: Callable[[], float] = time.time, rng: random.Random | None = None,
                 on_auth_rejected: Callable[[AuthRejected], None] | None = None) -> None:
        self._store = store
        self._source_for = source_for
        self._clock = clock
        self._rng = rng or random.Random()
        self._on_auth_rejected = on_auth_rejected
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._progress: RunProgress | None = None
        self._accepting = False

    # ---- owned by app.py ----

    def start(self) -> None:
        """Accept runs. A run a previous process left `running` ended with it: it is marked interrupted."""
        closed = self._store.interrupt_running(int(self._clock()))
        if closed:
            log.info("inspection runs interrupted by the last shutdown: %d", closed)
        with self._lock:
            self._accepting = True

    def stop(self, timeout_s: float = 10.0) -> bool:
        """Refuse new runs, cancel the current one and join it (calls in flight finish); False on timeout."""
        with self._lock:
            self._accepting = False
            thread = self._thread
        self._cancel.set()
        if thread is not None:
            thread.join(timeout_s)
            return not thread.is_alive()
        return True

    # ---- any thread ----

    def begin(self, settings: InspectionSettings) -> int:
        """Start a dry run in the background and return its id. Raises Conflict while one is going, NotReady
        when CPA is not connected."""
        with self._lock:
            if not self._accepting:
                raise NotReady("The app is starting or stopping; try again in a moment.")
            if self._thread is not None and self._thread.is_alive():
                raise Conflict("An inspection is already running: wait for it or cancel it.", code="run_in_progress")
            source = self._source_for()
            if source is None:
                raise NotReady("CPA is not connected yet: finish the setup, or wait until collection is running.")
            run_id = self._store.create_run(int(self._clock()), json.dumps(asdict(settings)))
            self._cancel = threading.Event()
            self._progress = RunProgress(run_id, 0, 0, RUNNING)
            self._thread = threading.Thread(target=self._run, args=(run_id, settings, source, self._cancel),
                                            name="inspection-run", daemon=True)
            self._thread.start()
        log.info("inspection run started run=%d workers=%d sample=%d", run_id, settings.workers,
                 settings.sample_size)
        return run_id

    def cancel(self, run_id: int) -> bool:
        """Ask the run to stop; False when it is not the one running."""
        with self._lock:
            progress = self._progress
            if progress is None or progress.run_id != run_id or progress.state != RUNNING:
                return False
            self._progress = replace(progress, cancelling=True)
            self._cancel.set()
            return True

    def progress(self, run_id: int) -> RunProgress | None:
        """The live progress of this process's newest run, or None for other runs."""
        with self._lock:
            progress = self._progress
        return progress if progress is not None and progress.run_id == run_id else None

    def is_running(self, run_id: int) -> bool:
        progress = self.progress(run_id)
        return progress is not None and progress.state == RUNNING

    # ---- the run thread ----

    def _run(self, run_id: int, settings: InspectionSettings, source: InspectionSource,
             cancel: threading.Event) -> None:
        state, error = FAILED, None
        try:
            state = self._inspect_all(run_id, settings, source, cancel)
        except AuthRejected as exc:
            error = exc.message
            if self._on_auth_rejected is not None:
                self._on_auth_rejected(exc)
        except SourceError as exc:
            error = exc.message
        except Exception:  # the run must end with a state the page can show, whatever the bug
            log.exception("inspection run failed run=%d", run_id)
            error = "The inspection failed unexpectedly; the log has the details."
        try:
            self._store.finish_run(run_id, int(self._clock()), state, error)
            self._store.prune()
        except AppError as exc:  # the store closed under a run that outlived the shutdown's wait
            log.warning("inspection run=%d not closed: %s", run_id, exc.message)
        self._set(state=state)
        log.info("inspection run ended run=%d state=%s", run_id, state)

    def _inspect_all(self, run_id: int, settings: InspectionSettings, source: InspectionSource,
                     cancel: threading.Event) -> str:
        entries = source.entries()
        subjects = [s for s in (subject_from(e) for e in entries) if s is not None]
        record = self._store.observe(_sightings(entries), int(self._clock()), run_id)
        picked = sample(subjects, settings.sample_size, self._rng)
        self._store.set_total(run_id, len(picked))
        self._set(total=len(picked))
        rows: list[ResultRow] = []
        try:
            with ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="inspection-call") as pool:
                futures = {pool.submit(self._check, source, subject, settings, cancel): seq
                           for seq, subject in enumerate(picked)}
                for future in as_completed(futures):
                    seq = futures[future]
                    subject, finding = picked[seq], future.result()
                    if finding is None and unchecked(subject) is None:
                        continue  # cancelled before its call
                    disabler = record.get(subject.auth_index)
                    rows.append(_row(run_id, seq, subject, _suggestion(subject, finding, disabler, settings)))
                    self._set(done_delta=1)
                    if len(rows) >= WRITE_CHUNK:
                        self._flush(rows)
        finally:
            self._flush(rows)  # a run that fails half-way keeps what it found
        return CANCELLED if cancel.is_set() else FINISHED

    def _check(self, source: InspectionSource, subject: Subject, settings: InspectionSettings,
               cancel: threading.Event) -> Finding | None:
        """The provider's answer for one credential (None when it must not be checked, or the run was
        cancelled first). AuthRejected ends the run: every further call would count as a failed login."""
        if cancel.is_set() or unchecked(subject) is not None:
            return None
        provider = PROVIDERS["codex"]
        credential = Credential(subject.auth_index, subject.name, "codex", subject.label, bool(subject.disabled),
                                subject.account_id)
        answers = []
        try:
            for request in provider.requests(credential):
                answer = source.call(subject.auth_index, request, settings.timeout_s)
                answers.append(answer)
                if not 200 <= answer.status_code < 300:
                    break
        except AuthRejected:
            cancel.set()
            raise
        except CallTimedOut:
            return CallFailed(timed_out=True)
        except SourceError as exc:
            return CallFailed(timed_out=False, message=exc.message)
        return provider.parse(answers)

    def _flush(self, rows: list[ResultRow]) -> None:
        self._store.add_results(rows)
        rows.clear()

    def _set(self, *, total: int | None = None, done_delta: int = 0, state: str | None = None) -> None:
        with self._lock:
            if self._progress is None:
                return
            progress = self._progress
            self._progress = replace(progress, total=progress.total if total is None else total,
                                     done=progress.done + done_delta, state=state or progress.state)


def _suggestion(subject: Subject, finding: Finding | None, disabler: str | None,
                settings: InspectionSettings) -> Suggestion:
    skipped = unchecked(subject)
    if skipped is not None or finding is None:
        assert skipped is not None
        return skipped
    return suggest(subject, finding, Disabler(disabler) if disabler else None, settings)


def _sightings(entries: list[object]) -> list[Sighting]:
    """Every listed credential with an auth_index, whatever its provider: the disable record covers them all."""
    return [Sighting(e["auth_index"], str(e.get("name") or e.get("id") or ""), listed_disabled(e), listed_stamp(e))
            for e in entries if isinstance(e, dict) and isinstance(e.get("auth_index"), str) and e["auth_index"]]


def _row(run_id: int, seq: int, subject: Subject, suggestion: Suggestion) -> ResultRow:
    return ResultRow(run_id, seq, subject.auth_index, subject.name, mask_label(subject.label), suggestion.plan,
                     subject.disabled, suggestion.http_status, suggestion.used_percent, suggestion.action.value,
                     suggestion.reason.value, json.dumps(suggestion.values, separators=(",", ":")))
