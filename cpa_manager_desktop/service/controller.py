"""Service functions shared by the HTTP API and the tray: setup, status, pause/resume/restart.

Edges (routes, menu items) translate input and call these; no policy lives anywhere else.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cpa_manager_desktop import __version__
from cpa_manager_desktop.collector.consumer import Collector
from cpa_manager_desktop.collector.health import health_warnings
from cpa_manager_desktop.collector.status import CollectorState, CollectorStatus
from cpa_manager_desktop.config import Settings
from cpa_manager_desktop.cpa.api import CpaApi, normalise_base_url
from cpa_manager_desktop.cpa.errors import KEY_REJECTED, AuthRejected, SourceError
from cpa_manager_desktop.cpa.upstream import Upstream
from cpa_manager_desktop.errors import BadRequest, Conflict, Unauthorized, UpstreamError
from cpa_manager_desktop.logs import SECRETS
from cpa_manager_desktop.service.ban_guard import BanGuard
from cpa_manager_desktop.service.key_store import KeyStore, KeyStoreKind
from cpa_manager_desktop.service.status import ServiceStatus, SetupSource, StoragePaths
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.retention import RetentionStore
from cpa_manager_desktop.store.settings import SettingsStore

log = logging.getLogger(__name__)
SETUP_KEY = "setup"
POP_SIDES = {"right": "right", "rpop": "right", "left": "left", "lpop": "left"}


def keys_match(presented: str | None, expected: str | None) -> bool:
    """Constant-time comparison that also hides the key's length."""
    if not presented or not expected:
        return False
    return hmac.compare_digest(
        hashlib.sha256(presented.encode()).digest(), hashlib.sha256(expected.encode()).digest()
    )


@dataclass(frozen=True)
class SetupRequest:
    cpa_base_url: str
    management_key: str = field(repr=False)
    queue: str | None = None
    pop_side: str | None = None

    @classmethod
    def from_json(cls, body: Any) -> SetupRequest:
        if not isinstance(body, dict):
            raise BadRequest("The setup body must be a JSON object", code="invalid_json")
        url, key = body.get("cpaBaseUrl"), body.get("managementKey")
        if not isinstance(url, str) or not isinstance(key, str) or not url.strip() or not key.strip():
            raise BadRequest("cpaBaseUrl and managementKey are required", code="setup_incomplete")
        queue, pop_side = body.get("queue"), body.get("popSide")
        if queue is not None and (not isinstance(queue, str) or not queue.strip() or " " in queue.strip()):
            raise BadRequest("queue must be a single word such as usage", code="invalid_queue")
        if pop_side is not None and (not isinstance(pop_side, str) or pop_side.lower() not in POP_SIDES):
            raise BadRequest("popSide must be right or left", code="invalid_pop_side")
        return cls(url, key.strip(), queue.strip() if queue else None,
                   POP_SIDES[pop_side.lower()] if pop_side else None)


@dataclass(frozen=True)
class SetupResult:
    upstream: str
    changed: bool
    warnings: tuple[str, ...] = ()


class Controller:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        events: EventStore,
        saved: SettingsStore,
        collector: Collector,
        make_api: Callable[[Upstream], CpaApi],
        *,
        clock: Callable[[], float] = time.time,
        key_store: KeyStore | None = None,
    ) -> None:
        self._settings = settings
        self._db = db
        self._events = events
        self._saved = saved
        self._collector = collector
        self._make_api = make_api
        self._clock = clock
        self._lock = threading.Lock()
        self._upstream: Upstream | None = None
        self._guard = BanGuard(saved, clock=clock)
        self._keys = key_store or KeyStore(str(settings.db_path))
        self._key_kind = KeyStoreKind.NONE
        self.started_ms = int(clock() * 1000)

    # ---- setup ----

    def load_upstream(self) -> Upstream | None:
        """The setup in force: environment variables win over the saved one."""
        settings = self._settings
        if settings.is_env_setup:
            self._key_kind = KeyStoreKind.ENVIRONMENT
            return Upstream(normalise_base_url(settings.cpa_upstream_url), settings.management_key,
                            settings.resp_queue, settings.pop_side)
        self._key_kind = KeyStoreKind.NONE
        saved = self._saved.get(SETUP_KEY)
        if not isinstance(saved, dict) or not saved.get("cpaBaseUrl"):
            return None
        key = self._saved_key(saved)
        if not key:
            return None
        upstream = Upstream(saved["cpaBaseUrl"], key, saved.get("queue") or settings.resp_queue,
                            saved.get("popSide") or settings.pop_side)
        if self._key_kind == KeyStoreKind.DATABASE and self._keys.is_available:
            self._store_setup(upstream)  # saved while no credential store was available: move it there now
        return upstream

    def _saved_key(self, saved: dict[str, Any]) -> str:
        if saved.get("keyStore") == KeyStoreKind.CREDENTIAL_STORE:
            key = self._keys.load() or ""
            if not key:
                log.warning("the saved Management Key is missing from the OS credential store (%s); "
                            "enter it in the panel again", self._keys.name or "unavailable")
                return ""
            self._key_kind = KeyStoreKind.CREDENTIAL_STORE
            return key
        key = saved.get("managementKey")
        if isinstance(key, str) and key:
            self._key_kind = KeyStoreKind.DATABASE
            return key
        return ""

    def _store_setup(self, upstream: Upstream) -> None:
        """Save the setup; the key goes to the OS credential store when it takes it, else the database."""
        in_store = self._keys.save(upstream.management_key)
        self._key_kind = KeyStoreKind.CREDENTIAL_STORE if in_store else KeyStoreKind.DATABASE
        self._saved.put(SETUP_KEY, {"cpaBaseUrl": upstream.base_url,
                                    "managementKey": "" if in_store else upstream.management_key,
                                    "keyStore": self._key_kind.value, "queue": upstream.queue,
                                    "popSide": upstream.pop_side})
        log.info("Management Key saved store=%s", self._key_kind.value)

    def start(self) -> None:
        upstream = self.load_upstream()
        with self._lock:
            self._upstream = upstream
        if upstream is None:
            log.info("not set up yet: open the panel and enter the CPA URL and Management Key")
            return
        self._start_collector(upstream)

    def _start_collector(self, upstream: Upstream) -> None:
        """Start collecting, unless CPA already rejected this key: sending it again on every start or
        restart would add a failed login to CPA's ban counter each time (issue 11)."""
        # Masked from here on in logs, dead letters, exports and the raw journal.
        SECRETS.add_secret(upstream.management_key)
        if self._guard.rejected_at(upstream) is not None:
            log.warning("not collecting: CPA rejected the saved Management Key upstream=%s", upstream.base_url)
            self._collector.hold(upstream, f"{KEY_REJECTED}. Enter the current key in the panel to resume collection")
            return
        log.info("collector starting upstream=%s mode=%s", upstream.base_url, self._settings.collector_mode)
        self._collector.start(upstream)

    def collector_rejected_key(self, upstream: Upstream, error: AuthRejected) -> None:
        """Called by the collector when CPA refused the key it polls with."""
        if error.is_bad_key:
            self._guard.record_rejected(upstream)

    def current_upstream(self) -> Upstream | None:
        with self._lock:
            return self._upstream

    def upstream_for_proxy(self) -> Upstream | None:
        """The saved setup for calls forwarded to CPA on the caller's behalf. Raises UpstreamError once CPA
        has rejected the saved key: forwarding would cost one failed login per panel call, and five
        get this computer banned by CPA for 30 minutes."""
        upstream = self.current_upstream()
        if upstream is not None and self._guard.rejected_at(upstream) is not None:
            raise UpstreamError(f"{KEY_REJECTED}, so calls to CPA are not forwarded with it. Enter the current "
                                "key in Settings", code="cpa_rejected_key")
        return upstream

    @property
    def is_configured(self) -> bool:
        with self._lock:
            return self._upstream is not None

    def check_key(self, presented: str | None) -> bool:
        with self._lock:
            expected = self._upstream.management_key if self._upstream else None
        return keys_match(presented, expected)

    def setup(self, request: SetupRequest, presented_key: str | None) -> SetupResult:
        try:
            base_url = normalise_base_url(request.cpa_base_url)
        except ValueError as exc:
            raise BadRequest(f"Invalid CPA URL: {exc}", code="invalid_url") from None
        wanted = Upstream(base_url, request.management_key,
                          request.queue or self._settings.resp_queue, request.pop_side or self._settings.pop_side)
        with self._lock:
            current = self._upstream
        if self._settings.is_env_setup:
            return self._check_env_setup(current, wanted)
        if current is not None and _same_setup(current, wanted):
            if self._collector.status().state == CollectorState.ERROR:
                # The same setup sent again while collection is stopped by an error is a retry request,
                # unless the error is CPA rejecting this very key.
                self._guard.refuse_if_rejected(current)
                log.info("setup unchanged; collector was in error, restarting it")
                self._start_collector(current)
            return SetupResult(upstream=base_url, changed=False, warnings=self._current_warnings())
        authenticated = self._may_change_setup(current, wanted, presented_key)
        with self._guard.validation(wanted, authenticated=authenticated):
            warnings = self._validate(wanted, authenticated=authenticated)
        self._save(wanted)
        return SetupResult(upstream=base_url, changed=True, warnings=warnings)

    def _may_change_setup(self, current: Upstream | None, wanted: Upstream, presented_key: str | None) -> bool:
        """True when the caller knows the saved key (or nothing is saved). A caller who does not may only
        replace a key CPA has already rejected, for the same CPA; raises Unauthorized otherwise."""
        if current is None or keys_match(presented_key, current.management_key):
            return True
        if keys_match(wanted.management_key, current.management_key):
            return True
        if current.base_url != wanted.base_url:
            raise Unauthorized("invalid management key for existing setup", code="setup_key_mismatch")
        if self._guard.rejected_at(current) is None:
            # The saved key still works, so only its owner may replace it; trying the caller's key
            # would hand a failed login on CPA's ban counter to anyone who can reach this port.
            raise Unauthorized("invalid management key for existing setup: send the saved key to change it",
                               code="setup_key_mismatch")
        return False

    def _check_env_setup(self, current: Upstream | None, wanted: Upstream) -> SetupResult:
        if current is None or not _same_setup(current, wanted):
            raise Conflict("setup is managed by environment variables", code="setup_env_managed")
        return SetupResult(upstream=current.base_url, changed=False, warnings=self._current_warnings())

    def _validate(self, upstream: Upstream, *, authenticated: bool) -> tuple[str, ...]:
        """Ask CPA whether it accepts the key; called under the ban guard's validation lock."""
        api = self._make_api(upstream)
        try:
            api.get_json("/config", timeout_s=15.0)
        except AuthRejected as exc:
            if exc.is_bad_key:
                self._guard.record_rejected(upstream, authenticated=authenticated)
            raise Unauthorized(exc.message, code="cpa_rejected_key") from None
        except SourceError as exc:
            raise UpstreamError(exc.message, code="cpa_unreachable") from None
        self._guard.record_accepted(upstream)
        try:
            enabled, retention_s = api.usage_statistics_enabled(), api.queue_retention_s()
        except SourceError:
            return ()
        return tuple(health_warnings(enabled, retention_s, self._settings.poll_interval_ms / 1000))

    def _save(self, upstream: Upstream) -> None:
        self._store_setup(upstream)
        with self._lock:
            self._upstream = upstream
        log.info("setup saved upstream=%s; collector restarting", upstream.base_url)
        self._start_collector(upstream)

    # ---- collection control ----

    def pause(self) -> CollectorStatus:
        return self._collector.pause()

    def resume(self) -> CollectorStatus:
        return self._collector.resume()

    def restart(self) -> CollectorStatus:
        """Reconnect; also re-reads the saved setup, so a key fixed elsewhere takes effect."""
        upstream = self.load_upstream()
        if upstream is not None:
            with self._lock:
                self._upstream = upstream
            self._start_collector(upstream)
        return self._collector.status()

    def collector_status(self) -> CollectorStatus:
        return self._collector.status()

    # ---- status ----

    def _current_warnings(self) -> tuple[str, ...]:
        return self._collector.status().health.warnings

    def status(self) -> ServiceStatus:
        counts = self._events.counts()
        span = self._events.span()
        settings = self._settings
        configured = self.is_configured
        source = SetupSource.ENVIRONMENT if settings.is_env_setup else (
            SetupSource.SAVED if configured else SetupSource.NONE)
        return ServiceStatus(
            version=__version__, is_configured=configured, setup_source=source, started_ms=self.started_ms,
            events=counts.events, dead_letters=counts.dead_letters, db_size_bytes=self._db.size_bytes(),
            paths=StoragePaths(config=settings.config_path, data=settings.data_dir, database=settings.db_path,
                               logs=settings.log_dir, is_portable=settings.is_portable),
            collector=self._collector.status(), poll_interval_ms=settings.poll_interval_ms,
            oldest_event_ms=_oldest_ns(span.oldest_ns, RetentionStore(self._db).oldest_archived_ns()) // 1_000_000,
            newest_event_ms=(span.newest_ns or 0) // 1_000_000,
            key_store=self._key_kind.value if configured else KeyStoreKind.NONE.value,
            key_store_name=self._keys.name if configured and self._key_kind == KeyStoreKind.CREDENTIAL_STORE else "",
        )


def _same_setup(a: Upstream, b: Upstream) -> bool:
    return (a.base_url == b.base_url and keys_match(a.management_key, b.management_key)
            and a.queue == b.queue and a.pop_side == b.pop_side)


def _oldest_ns(raw_ns: int | None, archived_ns: int | None) -> int:
    """The oldest stored event, raw or folded into the hourly archive by retention (0 when none), so a
    range "from the oldest event" still covers what retention folded."""
    found = [ns for ns in (raw_ns, archived_ns) if ns is not None]
    return min(found) if found else 0
