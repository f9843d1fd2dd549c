"""Keeping this computer's IP out of CPA's ban: 5 failed logins from one IP ban it for 30 minutes,
counted across HTTP and RESP (cpa-protocol.md §3).

The rules, all remembered in the store so a restart forgets none of them:
- every key validation against CPA runs under one lock, so concurrent setups cannot all pass the
  budget check before any of them has failed;
- a key CPA has rejected is never sent again (remembered as a salted fingerprint of URL and key);
- at most MAX_FAILED_LOGINS failed logins within the ban window, whoever caused them;
- a caller who does not know the saved key may have a key validated only when the saved key is itself
  known to be rejected, at most once per UNAUTHENTICATED_SPACING_S, and not at all for the ban
  window after such an attempt failed: without the key, one failed login per 30 minutes at most.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from cpa_manager_desktop.cpa.upstream import Upstream
from cpa_manager_desktop.errors import TooManyRequests, Unauthorized
from cpa_manager_desktop.store.settings import SettingsStore

log = logging.getLogger(__name__)
GUARD_KEY = "auth_guard"
BAN_WINDOW_S = 30 * 60
MAX_FAILED_LOGINS = 4                 # CPA bans at the fifth
UNAUTHENTICATED_SPACING_S = 5 * 60
MAX_REMEMBERED_KEYS = 50


@dataclass
class _State:
    salt: str = field(default_factory=lambda: secrets.token_hex(16))
    rejected: dict[str, float] = field(default_factory=dict)     # fingerprint → when CPA rejected it
    failures: list[float] = field(default_factory=list)         # failed logins we caused, epoch s
    unauthenticated_at: float = 0.0
    unauthenticated_failed_at: float = 0.0

    @classmethod
    def from_json(cls, value: Any) -> _State:
        if not isinstance(value, dict):
            return cls()
        try:
            return cls(salt=str(value["salt"]), rejected={str(k): float(v) for k, v in value["rejected"].items()},
                       failures=[float(t) for t in value["failures"]],
                       unauthenticated_at=float(value["unauthenticated_at"]),
                       unauthenticated_failed_at=float(value["unauthenticated_failed_at"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            log.warning("auth guard state unreadable; starting a new one")
            return cls()


class BanGuard:
    def __init__(self, saved: SettingsStore, *, clock: Callable[[], float] = time.time) -> None:
        self._saved = saved
        self._clock = clock
        self._lock = threading.RLock()

    def _load(self) -> _State:
        return _State.from_json(self._saved.get(GUARD_KEY))

    def _store(self, state: _State) -> None:
        self._saved.put(GUARD_KEY, asdict(state))

    @staticmethod
    def _fingerprint(state: _State, upstream: Upstream) -> str:
        message = f"{upstream.base_url}\n{upstream.management_key}".encode()
        return hmac.new(state.salt.encode(), message, hashlib.sha256).hexdigest()

    def rejected_at(self, upstream: Upstream) -> float | None:
        """When CPA rejected this key at this URL, or None if it never did."""
        with self._lock:
            state = self._load()
            return state.rejected.get(self._fingerprint(state, upstream))

    def refuse_if_rejected(self, upstream: Upstream) -> None:
        if self.rejected_at(upstream) is not None:
            raise _already_rejected()

    @contextmanager
    def validation(self, upstream: Upstream, *, authenticated: bool) -> Iterator[None]:
        """Hold the validation lock; raise instead when this key must not be sent to CPA now."""
        with self._lock:
            state = self._load()
            now = self._clock()
            if self._fingerprint(state, upstream) in state.rejected:
                raise _already_rejected()
            self._check_budget(state, now)
            if not authenticated:
                self._check_unauthenticated(state, now)
                state.unauthenticated_at = now
                self._store(state)
            yield

    def _check_budget(self, state: _State, now: float) -> None:
        recent = [t for t in state.failures if now - t < BAN_WINDOW_S]
        if len(recent) >= MAX_FAILED_LOGINS:
            wait_min = int((recent[0] + BAN_WINDOW_S - now) // 60) + 1
            raise TooManyRequests(
                f"CPA rejected {len(recent)} keys in a row; one more would get this computer banned by CPA "
                f"for 30 minutes. Check the key, then try again in {wait_min} min", code="ban_guard")

    def _check_unauthenticated(self, state: _State, now: float) -> None:
        since_failure = now - state.unauthenticated_failed_at
        since_attempt = now - state.unauthenticated_at
        if since_failure < BAN_WINDOW_S or since_attempt < UNAUTHENTICATED_SPACING_S:
            wait_s = max(BAN_WINDOW_S - since_failure, UNAUTHENTICATED_SPACING_S - since_attempt)
            raise TooManyRequests(
                "A new key can be tried without the saved key only every few minutes, and not for 30 minutes "
                f"after CPA rejected one. Try again in {int(wait_s // 60) + 1} min, or send the saved key",
                code="ban_guard")

    def record_rejected(self, upstream: Upstream, *, authenticated: bool = True) -> None:
        """CPA rejected this key (a failed login on its ban counter): count it, never send the key again."""
        with self._lock:
            state = self._load()
            now = self._clock()
            state.failures = [t for t in state.failures if now - t < BAN_WINDOW_S] + [now]
            state.rejected[self._fingerprint(state, upstream)] = now
            if len(state.rejected) > MAX_REMEMBERED_KEYS:
                oldest = sorted(state.rejected, key=state.rejected.__getitem__)
                for fingerprint in oldest[: len(state.rejected) - MAX_REMEMBERED_KEYS]:
                    del state.rejected[fingerprint]
            if not authenticated:
                state.unauthenticated_failed_at = now
            self._store(state)
        log.warning("CPA rejected a Management Key upstream=%s; it will not be sent again", upstream.base_url)

    def record_accepted(self, upstream: Upstream) -> None:
        """CPA accepted this key: a success resets CPA's counter, so ours starts over too."""
        with self._lock:
            state = self._load()
            fingerprint = self._fingerprint(state, upstream)
            if not state.failures and fingerprint not in state.rejected:
                return
            state.failures = []
            state.rejected.pop(fingerprint, None)
            self._store(state)


def _already_rejected() -> Unauthorized:
    return Unauthorized("CPA already rejected this Management Key; it is not sent again. Enter the key set in "
                        "CPA's remote-management.secret-key", code="cpa_rejected_key")
