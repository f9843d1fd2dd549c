"""The collector thread: pops CPA's usage queue and commits every popped item before popping again.

CPA's pop is destructive and has no acknowledgement, so a popped batch lives only in this thread
until it is committed. The loop therefore never pops while it holds an uncommitted batch: a failed
write is retried with backoff, and pause/stop wait for the batch to be committed first.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from cpa_manager_desktop.collector.backoff import Backoff
from cpa_manager_desktop.collector.batch import (
    BatchSink,
    PendingBatch,
    StoreFailing,
    classify_items,
    clear_journal,
    commit,
    pop_journaled,
    replay_journal,
)
from cpa_manager_desktop.collector.health import HealthReport
from cpa_manager_desktop.collector.source import QueueSource
from cpa_manager_desktop.collector.status import CollectorOptions, CollectorState, CollectorStatus
from cpa_manager_desktop.collector.transport import TransportChoice
from cpa_manager_desktop.cpa.errors import AuthRejected, FatalSourceError, QueueUnsupported, SourceError
from cpa_manager_desktop.cpa.upstream import Upstream
from cpa_manager_desktop.store.events import BatchResult
from cpa_manager_desktop.store.journal import RawJournal

log = logging.getLogger(__name__)

HEALTH_CHECK_S = 300.0
# An empty queue may mean CPA stopped publishing: after this long empty, ask CPA that alone (one light GET
# of usage-statistics-enabled), at most this often, instead of waiting up to HEALTH_CHECK_S for the full
# check. An answer that differs from the last report runs the full check at once.
QUIET_RECHECK_S = 60.0

SourceFactory = Callable[[str, Upstream], QueueSource]
HealthCheck = Callable[[Upstream], HealthReport]
PublishingCheck = Callable[[Upstream], bool | None]
STOPPED, STARTING, RUNNING, PAUSED, ERROR = (CollectorState.STOPPED, CollectorState.STARTING, CollectorState.RUNNING,
                                            CollectorState.PAUSED, CollectorState.ERROR)


class _Stop(Exception):
    """Raised inside the loop when stop() was called."""


class Collector:
    def __init__(
        self,
        sink: BatchSink,
        make_source: SourceFactory,
        health_check: HealthCheck,
        options: CollectorOptions,
        *,
        clock: Callable[[], float] = time.time,
        on_auth_rejected: Callable[[Upstream, AuthRejected], None] | None = None,
        journal: RawJournal | None = None,
        publishing_check: PublishingCheck | None = None,
    ) -> None:
        self._on_auth_rejected = on_auth_rejected
        self._publishing_check = publishing_check
        self._journal = journal
        self._sink = sink
        self._make_source = make_source
        self._health_check = health_check
        self._options = options
        self._clock = clock
        self._cond = threading.Condition()
        self._status = CollectorStatus(mode=options.mode)
        self._upstream: Upstream | None = None
        self._thread: threading.Thread | None = None
        self._stop_requested = False
        self._pause_requested = False
        self._restart_requested = False

    # ---- control, called from any thread (HTTP handlers, tray, composition root) ----

    def start(self, upstream: Upstream) -> None:
        """(Re)start collecting from upstream. Any held batch is committed first."""
        with self._cond:
            self._upstream = upstream
            self._restart_requested = True
            self._pause_requested = False
            self._cond.notify_all()
            if self._thread is None or not self._thread.is_alive():
                self._stop_requested = False
                # Starting from now, not from whenever the thread first runs: a pause sent right after
                # start would otherwise see "stopped", take it as final and answer "stopped".
                self._status = replace(self._status, state=STARTING)
                self._thread = threading.Thread(target=self._run, name="collector", daemon=True)
                self._thread.start()

    def hold(self, upstream: Upstream, message: str) -> None:
        """Stop collecting (if running) and report message as a halt, without contacting CPA: used when
        the key is known to be rejected. A later start() with a new setup begins collecting again."""
        self.stop()
        with self._cond:
            self._upstream = upstream
            self._status = replace(self._status, state=ERROR, last_error=message, last_error_ms=self._now_ms(),
                                   next_retry_ms=0, upstream=upstream.base_url, queue=upstream.queue)
            self._cond.notify_all()

    def restart(self) -> bool:
        """Reconnect with the current setup; False when there is nothing to restart."""
        with self._cond:
            upstream = self._upstream
        if upstream is None:
            return False
        self.start(upstream)
        return True

    def pause(self, timeout_s: float = 5.0) -> CollectorStatus:
        with self._cond:
            self._pause_requested = True
            self._cond.notify_all()
            if self._thread is not None and self._thread.is_alive():
                self._cond.wait_for(lambda: self._status.state in (PAUSED, STOPPED), timeout_s)
            return self._status

    def resume(self, timeout_s: float = 5.0) -> CollectorStatus:
        with self._cond:
            self._pause_requested = False
            self._cond.notify_all()
            if self._thread is not None and self._thread.is_alive():
                self._cond.wait_for(lambda: self._status.state != PAUSED, timeout_s)
            return self._status

    def stop(self, timeout_s: float = 10.0) -> bool:
        """Stop after committing any held batch. Returns False if the thread did not end in time."""
        with self._cond:
            self._stop_requested = True
            self._cond.notify_all()
            thread = self._thread
        if thread is None:
            return True
        thread.join(timeout_s)
        return not thread.is_alive()

    def status(self) -> CollectorStatus:
        with self._cond:
            return self._status

    def wait_for(self, predicate: Callable[[CollectorStatus], bool], timeout_s: float) -> bool:
        """Block until predicate(status) holds; for tests and the shutdown path, never a sleep loop."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self._status), timeout_s)

    # ---- the thread ----

    def _update(self, **changes: Any) -> None:
        with self._cond:
            self._status = replace(self._status, **changes)
            self._cond.notify_all()

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    def _run(self) -> None:
        pending: PendingBatch | None = None
        source: QueueSource | None = None
        try:
            while True:
                pending = self._commit_pending(pending)
                with self._cond:
                    if self._stop_requested:
                        return
                    restart = self._restart_requested
                    self._restart_requested = False
                if restart:
                    source = self._reset_source(source)
                    session = self._new_session()
                    self._update(
                        state=STARTING, transport=session.transport, upstream=self._upstream.base_url,
                        queue=self._upstream.queue, next_retry_ms=0, paused_since_ms=0,
                    )
                if self._hold_while_paused_or_halted():
                    continue
                source, pending = self._step(session, source)
        except _Stop:
            return
        except Exception:
            log.exception("collector crashed")
            self._update(state=ERROR, last_error="The collector stopped after an internal error; see the log")
        finally:
            if source is not None:
                source.close()
            if pending is not None and pending.popped:
                log.error("collector ended holding %d uncommitted items", pending.popped)
            with self._cond:
                if self._status.state != ERROR:
                    self._status = replace(self._status, state=STOPPED)
                self._cond.notify_all()

    def _new_session(self) -> TransportChoice:
        options = self._options
        return TransportChoice(options.mode, Backoff(options.backoff_base_s, options.backoff_cap_s))

    def _reset_source(self, source: QueueSource | None) -> None:
        if source is not None:
            source.close()
        return None

    def _hold_while_paused_or_halted(self) -> bool:
        """Wait while paused or stopped by a fatal error; True when the loop should re-check its flags."""
        with self._cond:
            if self._pause_requested:
                self._wait_paused()
                return True
            if self._is_halted():
                # Halted by a fatal error (bad key, ban): only a new setup or an explicit restart helps;
                # polling on would only add failed logins to CPA's ban counter.
                self._cond.wait_for(
                    lambda: self._stop_requested or self._restart_requested or self._pause_requested
                )
                return True
        return False

    def _is_halted(self) -> bool:
        return self._status.state == ERROR and self._status.next_retry_ms == 0

    def _wait_paused(self) -> None:
        """Called with the lock held. Resuming returns to where pausing found us, a halt included."""
        halted_error = self._status.last_error if self._is_halted() else ""
        if self._status.state != PAUSED:
            self._status = replace(self._status, state=PAUSED, paused_since_ms=self._now_ms())
            self._cond.notify_all()
            log.info("collection paused")
        self._cond.wait_for(lambda: not self._pause_requested or self._stop_requested or self._restart_requested)
        if self._pause_requested or self._status.state != PAUSED:
            return
        if halted_error:
            self._status = replace(self._status, state=ERROR, last_error=halted_error, paused_since_ms=0)
        else:
            self._status = replace(self._status, state=RUNNING, paused_since_ms=0)
            log.info("collection resumed")
        self._cond.notify_all()

    def _step(
        self, session: TransportChoice, source: QueueSource | None
    ) -> tuple[QueueSource | None, PendingBatch | None]:
        assert self._upstream is not None
        upstream = self._upstream
        transport = session.choose_transport(self._clock())
        if source is None or source.transport != transport:
            if source is not None:
                source.close()
            source = self._make_source(transport, upstream)
        try:
            items = self._pop(source, transport)
        except QueueUnsupported as exc:
            source.close()
            return None, self._on_unsupported(session, exc)
        except FatalSourceError as exc:
            source.close()
            self._halt(exc.message, upstream, exc)
            return None, None
        except SourceError as exc:
            source.close()
            if transport == "http" and session.is_probing_http:
                session.http_probe_failed(self._clock())
                return None, None
            self._retry_later(session, exc.message)
            return None, None
        except Exception as exc:
            # A reply no transport anticipated (a RESP length that is not a number): reconnect later
            # instead of ending the thread.
            log.exception("queue pop failed unexpectedly")
            source.close()
            self._retry_later(session, f"CPA's {transport} queue answered something unreadable ({type(exc).__name__})")
            return None, None
        session.succeeded(transport)
        self._mark_running(session, transport)
        try:
            # Only after a successful pop: a check with an unproven key would be a second failed
            # login on CPA's ban counter.
            self._maybe_check_health(session, upstream, empty=not items)
        except FatalSourceError as exc:
            source.close()
            self._halt(exc.message, upstream, exc)
            return None, self._classify(items) if items else None
        except Exception:
            # The popped items exist nowhere else: a broken check must not take them down with it.
            log.exception("CPA health check failed unexpectedly")
        if not items:
            self._idle(self._options.poll_interval_s)
            return source, None
        return source, self._classify(items)

    def _pop(self, source: QueueSource, transport: str) -> list[Any]:
        return pop_journaled(source, transport, self._journal, self._options.batch_size)

    def replay_journal(self) -> None:
        """Commit what a crash left in the journal; call before start(). A failing store leaves it for
        the next start."""
        if self._journal is None:
            return
        try:
            replay_journal(self._journal, self._sink)
        except StoreFailing as exc:
            log.error("could not replay the raw journal; kept for the next start: %s", exc.cause)

    def _on_unsupported(self, session: TransportChoice, exc: QueueUnsupported) -> None:
        if self._options.mode == "auto":
            if session.transport == "http" and not session.is_probing_http:
                log.info("HTTP usage queue unavailable, falling back to RESP: %s", exc.message)
            session.fall_back_to_resp(self._clock())
            self._update(transport="resp")
            return None
        self._halt(f"{exc.message}. Set USAGE_COLLECTOR_MODE=auto (or resp) for this CPA")
        return None

    def _mark_running(self, session: TransportChoice, transport: str) -> None:
        status = self.status()
        changes: dict[str, Any] = {"last_pop_ms": self._now_ms()}
        if status.state in (STARTING, ERROR):
            changes.update(state=RUNNING, next_retry_ms=0)
            if status.last_error:
                changes.update(resolved_error=status.last_error, last_error="")
                log.info("collector recovered transport=%s", transport)
        if status.transport != transport:
            changes["transport"] = transport
        self._update(**changes)

    def _classify(self, items: list[Any]) -> PendingBatch:
        batch = classify_items(items, self.status().transport)
        self._update(last_consumed_ms=self._now_ms(), pending_items=len(items))
        return batch

    def _commit_pending(self, pending: PendingBatch | None) -> None:
        """Commit the held batch; a record the store refuses becomes a dead letter (batch.commit), and
        only a failing store is retried with backoff. Never returns while holding the batch unless
        stop() was requested and the write keeps failing (then the loss is logged)."""
        if pending is None:
            return None
        backoff = Backoff(self._options.backoff_base_s, self._options.backoff_cap_s)
        while True:
            try:
                result = commit(self._sink, pending)
            except StoreFailing as failing:
                exc = failing.cause
                delay_s = backoff.next_delay_s()
                message = f"Could not save usage to the database ({exc}); retrying, nothing more is popped meanwhile"
                log.error("batch write failed items=%d retry_in_s=%.1f error=%s", pending.popped, delay_s, exc)
                self._update(state=ERROR, last_error=message, last_error_ms=self._now_ms(),
                             next_retry_ms=self._now_ms() + int(delay_s * 1000))
                with self._cond:
                    if self._stop_requested and backoff.failures > 3:
                        raise _Stop from None
                    self._cond.wait(delay_s)
                continue
            self._record_commit(pending, result)
            self._clear_journal()
            return None

    def _clear_journal(self) -> None:
        if self._journal is not None:
            clear_journal(self._journal)

    def _record_commit(self, pending: PendingBatch, result: BatchResult) -> None:
        with self._cond:
            status = self._status
            changes: dict[str, Any] = dict(
                total_popped=status.total_popped + pending.popped,
                total_inserted=status.total_inserted + result.inserted,
                total_skipped=status.total_skipped + result.skipped,
                dead_letters=status.dead_letters + result.dead_letters,
                control_frames=status.control_frames + pending.controls,
                pending_items=0,
            )
            if result.inserted:
                changes["last_inserted_ms"] = self._now_ms()
            if status.state == ERROR and status.last_error.startswith("Could not save"):
                changes.update(state=RUNNING, resolved_error=status.last_error, last_error="", next_retry_ms=0)
            self._status = replace(status, **changes)
            self._cond.notify_all()

    def _halt(self, message: str, upstream: Upstream | None = None, error: Exception | None = None) -> None:
        log.error("collector halted: %s", message)
        self._update(state=ERROR, last_error=message, last_error_ms=self._now_ms(), next_retry_ms=0)
        if isinstance(error, AuthRejected) and upstream is not None and self._on_auth_rejected is not None:
            try:
                self._on_auth_rejected(upstream, error)
            except Exception:
                log.exception("recording the rejected key failed")

    def _retry_later(self, session: TransportChoice, message: str) -> None:
        delay_s = session.backoff.next_delay_s()
        log.warning("queue pop failed retry_in_s=%.1f error=%s", delay_s, message)
        self._update(state=ERROR, last_error=message, last_error_ms=self._now_ms(),
                     next_retry_ms=self._now_ms() + max(int(delay_s * 1000), 1))
        self._idle(delay_s)

    def _idle(self, seconds: float) -> None:
        """Wait, waking early for stop, pause or restart."""
        with self._cond:
            self._cond.wait_for(
                lambda: self._stop_requested or self._pause_requested or self._restart_requested, seconds
            )

    def _maybe_check_health(self, session: TransportChoice, upstream: Upstream, *, empty: bool) -> None:
        now = self._clock()
        session.empty_since = (session.empty_since if session.empty_since is not None else now) if empty else None
        if now < session.next_health_check and not self._publishing_changed(session, upstream, now):
            return
        session.next_health_check = now + HEALTH_CHECK_S
        session.next_publishing_check = now + QUIET_RECHECK_S
        report = self._health_check(upstream)
        self._update(health=report)

    def _publishing_changed(self, session: TransportChoice, upstream: Upstream, now: float) -> bool:
        """After QUIET_RECHECK_S of empty pops, at most once per QUIET_RECHECK_S: has CPA's publishing
        switch moved since the last full check? (Only after a successful pop, like the full check.)"""
        quiet = session.empty_since is not None and now - session.empty_since >= QUIET_RECHECK_S
        if self._publishing_check is None or not quiet or now < session.next_publishing_check:
            return False
        session.next_publishing_check = now + QUIET_RECHECK_S
        enabled = self._publishing_check(upstream)
        return enabled is not None and enabled != self.status().health.usage_statistics_enabled
