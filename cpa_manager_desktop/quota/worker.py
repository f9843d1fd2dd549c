"""The quota collector: its own thread, owned by app.py. Each pass reads CPA's credential list, polls
the enabled credentials that are due (at most four api-calls at a time) and stores snapshots.

It shares nothing with the usage collector but the CPA client's pool, so a slow provider never holds up
a usage pop. It waits on an Event with a timeout from an injected Clock: tests move time and wake it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from enum import Enum
from typing import Protocol

from cpa_manager_desktop.cpa.errors import AuthRejected, SourceError
from cpa_manager_desktop.quota.native import NativeQuota, NativeRoute
from cpa_manager_desktop.quota.native_parse import native_result
from cpa_manager_desktop.quota.providers import Credential, Provider, provider_for
from cpa_manager_desktop.quota.reading import ApiAnswer, CredentialProblem, CredentialState, QuotaResult
from cpa_manager_desktop.quota.schedule import CredentialSchedule, Schedule
from cpa_manager_desktop.quota.snapshot import to_row
from cpa_manager_desktop.quota.source import QuotaSource
from cpa_manager_desktop.store.quota import SnapshotRow

log = logging.getLogger(__name__)
CONCURRENCY = 4
MIN_WAKE_S = 5.0           # coalesce nearby due times into one pass (and one credential-list read)
IDLE_WAKE_S = 300.0        # nothing to poll, or CPA failing: look again this often
SETUP_WAKE_S = 10.0        # CPA not set up or its key not yet accepted: look again soon
PRUNE_EVERY_S = 86400.0
WRITE_CHUNK = 50           # snapshots per transaction during a pass


class Fallback(Enum):
    API_CALL = "api-call"  # CPA's quota fetch has no provider for this credential after all


class Clock(Protocol):
    def now(self) -> float: ...

    def wait(self, event: threading.Event, timeout_s: float) -> bool: ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    def wait(self, event: threading.Event, timeout_s: float) -> bool:
        return event.wait(timeout_s)


@dataclass(frozen=True)
class RefreshProgress:
    total: int = 0
    done: int = 0
    running: bool = False
    requested_s: float | None = None
    finished_s: float | None = None


@dataclass(frozen=True)
class QuotaCollectorStatus:
    state: str                       # stopped, starting, idle, polling, waiting_for_setup, error
    interval_s: float
    last_error: str | None = None
    last_pass_s: float | None = None
    next_due_s: float | None = None
    refresh: RefreshProgress = RefreshProgress()
    credentials: tuple[CredentialSchedule, ...] = ()


class QuotaCollector:
    def __init__(self, sink: Callable[[list[SnapshotRow]], int], source_for: Callable[[], QuotaSource | None], *,
                 interval_s: float, clock: Clock | None = None, schedule: Schedule | None = None,
                 prune: Callable[[int], int] | None = None,
                 on_auth_rejected: Callable[[AuthRejected], None] | None = None) -> None:
        self._sink = sink
        self._source_for = source_for
        self._clock = clock or SystemClock()
        self._schedule = schedule or Schedule(interval_s)
        self._prune = prune
        self._on_auth_rejected = on_auth_rejected
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = QuotaCollectorStatus("stopped", interval_s)
        self._pending: set[str | None] = set()     # refresh requests: auth_index, or None for all
        self._refresh_marked: set[str] = set()
        self._last_prune_s = 0.0
        self._rejected: AuthRejected | None = None

    # ---- control: any thread ----

    def start(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stopping.clear()
            self._status = replace(self._status, state="starting")
            self._thread = threading.Thread(target=self._run, name="quota-collector", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> bool:
        """Ask the thread to stop (an api-call in flight finishes) and join it; False on timeout."""
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
            if thread.is_alive():
                return False
        with self._lock:
            self._status = replace(self._status, state="stopped")
        return True

    def refresh(self, auth_index: str | None = None) -> RefreshProgress:
        """Poll one credential (or all) now, a stopped one included. Progress via status().refresh."""
        with self._lock:
            self._pending.add(auth_index)
            progress = RefreshProgress(running=True, requested_s=self._clock.now())
            self._status = replace(self._status, refresh=progress)
        self._wake.set()
        return progress

    def status(self) -> QuotaCollectorStatus:
        with self._lock:
            return self._status

    # ---- the thread ----

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                delay = self.tick()
            except Exception:  # a bug must not end quota collection for the life of the process
                log.exception("quota pass failed")
                delay = IDLE_WAKE_S
            if self._stopping.is_set():
                break
            self._clock.wait(self._wake, delay)
            self._wake.clear()

    def tick(self) -> float:
        """One pass; returns the seconds to wait before the next. Public for tests that drive time."""
        now = self._clock.now()
        source = self._source_for()
        if source is None:
            self._set(state="waiting_for_setup", next_due_s=None)
            return SETUP_WAKE_S
        try:
            listed = source.credentials()
            # Once per pass: a plugin loaded or removed in CPA takes effect on the next pass.
            native = source.native_quota()
            credentials = [c for c in listed
                           if provider_for(c.provider) is not None or native.route_for(c.provider) is not None]
        except AuthRejected as exc:
            return self._auth_rejected(exc)
        except SourceError as exc:
            self._set(state="error", last_error=str(exc))
            return min(IDLE_WAKE_S, self._schedule.interval_s)
        self._schedule.sync(credentials, now)
        self._take_refresh_requests(now)
        due = self._schedule.due(now)
        if due:
            self._set(state="polling")
            self._rejected = None
            self._poll(source, native, due)
            if self._rejected is not None:
                return self._auth_rejected(self._rejected)
        self._maybe_prune(now)
        next_due = self._schedule.next_due_s()
        self._set(state="idle", last_error=None, last_pass_s=now, next_due_s=next_due)
        if next_due is None:
            return IDLE_WAKE_S
        return max(next_due - self._clock.now(), MIN_WAKE_S)

    def _auth_rejected(self, error: AuthRejected) -> float:
        if self._on_auth_rejected is not None:
            self._on_auth_rejected(error)
        self._set(state="error", last_error=str(error))
        return IDLE_WAKE_S

    def _take_refresh_requests(self, now: float) -> None:
        with self._lock:
            pending, self._pending = self._pending, set()
        if not pending:
            return
        marked: set[str] = set()
        for auth_index in pending:
            marked.update(self._schedule.request_now(auth_index, now))
        with self._lock:
            self._refresh_marked = marked
            self._status = replace(self._status, refresh=replace(self._status.refresh, total=len(marked), done=0,
                                                                 running=bool(marked), finished_s=None))
            if not marked:
                self._status = replace(self._status, refresh=replace(
                    self._status.refresh, finished_s=self._clock.now()))

    def _poll(self, source: QuotaSource, native: NativeQuota, due: list[Credential]) -> None:
        """Poll the due credentials, storing in chunks: a refresh counts a credential done only once its
        snapshot is committed, so a reader who sees the progress finish also sees the rows."""
        rows: list[SnapshotRow] = []
        checked: list[str] = []
        with ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="quota-call") as pool:
            for credential, result in pool.map(lambda c: (c, self._check(source, native, c)), due):
                now = self._clock.now()
                if result is None:
                    self._schedule.failed(credential.auth_index, now)
                else:
                    self._schedule.done(credential.auth_index, result, now)
                    rows.append(to_row(credential.auth_index, credential.provider, int(now), result))
                checked.append(credential.auth_index)
                if len(checked) >= WRITE_CHUNK:
                    self._flush(rows, checked)
        self._flush(rows, checked)

    def _flush(self, rows: list[SnapshotRow], checked: list[str]) -> None:
        if rows:
            self._sink(list(rows))
        for auth_index in checked:
            self._count_refreshed(auth_index)
        rows.clear()
        checked.clear()

    def _check(self, source: QuotaSource, native: NativeQuota, credential: Credential) -> QuotaResult | None:
        """CPA's own quota fetch when it has a provider for the credential, else (or when that says it has
        none after all) the provider's api-call requests. None when CPA failed us."""
        if self._stopping.is_set() or self._rejected is not None:
            return None
        provider = provider_for(credential.provider)
        route = native.route_for(credential.provider)
        if route is not None:
            fetched = self._fetch(source, credential, route, provider)
            if not isinstance(fetched, Fallback):
                return fetched
            if provider is None:
                return CredentialProblem(CredentialState.FAILED, 501)  # only CPA could read it, and did not
        assert provider is not None
        return self._api_call(source, credential, provider)

    def _fetch(self, source: QuotaSource, credential: Credential, route: NativeRoute,
               provider: Provider | None) -> QuotaResult | Fallback | None:
        """Fallback.API_CALL when CPA has no provider for it after all; None when CPA failed us."""
        own = (lambda text: provider.parse([ApiAnswer(200, text)])) if provider is not None else None
        try:
            result = native_result(credential.provider, source.fetch(credential.auth_index, route), own)
            if result is None:
                return Fallback.API_CALL
        except AuthRejected as exc:
            self._rejected = exc
            return None
        except SourceError as exc:
            log.info("quota fetch failed auth_index=%s provider=%s: %s", credential.auth_index,
                     credential.provider, exc)
            return None
        if isinstance(result, CredentialProblem):
            log.info("quota credential state auth_index=%s provider=%s state=%s (CPA quota fetch)",
                     credential.auth_index, credential.provider, result.state.value)
        return result

    def _api_call(self, source: QuotaSource, credential: Credential, provider: Provider) -> QuotaResult | None:
        """The provider's requests in order (a failed first answer ends it); None when CPA failed us."""
        answers = []
        try:
            for request in provider.requests(credential):
                answer = source.call(credential.auth_index, request)
                answers.append(answer)
                if not 200 <= answer.status_code < 300:
                    break
        except AuthRejected as exc:
            # CPA refused the Management Key itself: no further call in this pass (each would count as a
            # failed login towards CPA's IP ban).
            self._rejected = exc
            return None
        except SourceError as exc:
            log.info("quota check failed auth_index=%s provider=%s: %s", credential.auth_index,
                     credential.provider, exc)
            return None
        result = provider.parse(answers)
        if isinstance(result, CredentialProblem):
            log.info("quota credential state auth_index=%s provider=%s state=%s", credential.auth_index,
                     credential.provider, result.state.value)
        return result

    def _count_refreshed(self, auth_index: str) -> None:
        with self._lock:
            if auth_index not in self._refresh_marked:
                return
            self._refresh_marked.discard(auth_index)
            progress = replace(self._status.refresh, done=self._status.refresh.done + 1)
            if not self._refresh_marked:
                progress = replace(progress, running=False, finished_s=self._clock.now())
            self._status = replace(self._status, refresh=progress)

    def _maybe_prune(self, now: float) -> None:
        if self._prune is not None and now - self._last_prune_s >= PRUNE_EVERY_S:
            self._last_prune_s = now
            removed = self._prune(int(now))
            if removed:
                log.info("quota snapshots pruned rows=%d", removed)

    def _set(self, **changes: object) -> None:
        with self._lock:
            self._status = replace(self._status, credentials=tuple(self._schedule.entries()), **changes)  # type: ignore[arg-type]
