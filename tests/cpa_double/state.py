"""Shared mutable state of the double: the usage FIFO, its subscribers and the auth guard.

Both the HTTP and the RESP front ends act on these objects, which is what makes the
ban counter and the queue shared across protocols, as in CPA.
"""

from __future__ import annotations

import hmac
import threading
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from .clock import FakeClock

MAX_FAILURES = 5
BAN_SECONDS = 30 * 60
DEFAULT_RETENTION_S = 60
MAX_RETENTION_S = 3600
BAN_PREFIX = "IP banned due to too many failed attempts. Try again in "


def clamp_retention(seconds: int) -> int:
    # CPA turns a non-positive value into the default and caps large ones (queue.go).
    if seconds <= 0:
        return DEFAULT_RETENTION_S
    return min(seconds, MAX_RETENTION_S)


def go_duration(seconds: float) -> str:
    """Format like Go's ``time.Duration(...).Round(time.Second).String()``."""
    total = int(seconds + 0.5)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


class Subscriber(Protocol):
    def deliver(self, channel: str, payload: bytes) -> bool:
        """Queue one pub/sub message; False means the subscriber overflowed and must go."""

    def drop(self) -> None:
        """Close the subscriber's connection."""


class UsageQueue:
    """CPA's single global FIFO (internal/redisqueue/queue.go) with lazy expiry."""

    def __init__(self, clock: FakeClock, retention_s: int) -> None:
        self._clock = clock
        self._retention = clamp_retention(retention_s)
        self._items: deque[tuple[float, bytes]] = deque()
        self._subscribers: dict[str, list[Subscriber]] = {"usage": [], "errors": []}
        self._popped: list[bytes] = []
        self._lock = threading.Lock()

    @property
    def retention_s(self) -> int:
        return self._retention

    def set_retention(self, seconds: int) -> None:
        with self._lock:
            self._retention = clamp_retention(seconds)

    def _prune_locked(self) -> None:
        cutoff = self._clock.now() - self._retention
        while self._items and self._items[0][0] < cutoff:
            self._items.popleft()

    def enqueue(self, payload: bytes) -> None:
        with self._lock:
            if self._subscribers["usage"]:
                # Pub/sub diversion: the record goes to subscribers only and is never stored.
                self._broadcast_locked("usage", payload)
                return
            self._prune_locked()
            self._items.append((self._clock.now(), payload))

    def publish(self, channel: str, payload: bytes) -> None:
        with self._lock:
            self._broadcast_locked(channel, payload)

    def _broadcast_locked(self, channel: str, payload: bytes) -> None:
        kept = []
        for sub in self._subscribers[channel]:
            if sub.deliver(channel, payload):
                kept.append(sub)
            else:
                sub.drop()
        self._subscribers[channel] = kept

    def pop(self, count: int) -> list[bytes]:
        with self._lock:
            self._prune_locked()
            out = [self._items.popleft()[1] for _ in range(min(count, len(self._items)))]
            self._popped.extend(out)
            return out

    def length(self) -> int:
        with self._lock:
            self._prune_locked()
            return len(self._items)

    def popped(self) -> list[bytes]:
        with self._lock:
            return list(self._popped)

    def subscribe(self, channel: str, sub: Subscriber) -> None:
        with self._lock:
            self._subscribers[channel].append(sub)

    def unsubscribe(self, sub: Subscriber) -> None:
        with self._lock:
            for channel, subs in self._subscribers.items():
                self._subscribers[channel] = [s for s in subs if s is not sub]

    def subscriber_count(self, channel: str = "usage") -> int:
        with self._lock:
            return len(self._subscribers[channel])

    def disable(self) -> None:
        """What CPA does when management is switched off: forget items, close subscribers."""
        with self._lock:
            self._items.clear()
            subs = [s for group in self._subscribers.values() for s in group]
            self._subscribers = {"usage": [], "errors": []}
        for sub in subs:
            sub.drop()


@dataclass(frozen=True)
class AuthResult:
    ok: bool
    status: int = 200
    message: str = ""


@dataclass
class _Attempts:
    count: int = 0
    blocked_until: float = 0.0


class AuthGuard:
    """Port of ``Handler.AuthenticateManagementKey``: per-IP failure counter and 30-minute ban."""

    def __init__(self, clock: FakeClock) -> None:
        self._clock = clock
        self._attempts: dict[str, _Attempts] = {}
        # Every failed login ever, per IP: unlike the ban counter, never reset by a success or a ban.
        self.failed_logins: dict[str, int] = {}
        self._lock = threading.Lock()

    def authenticate(self, ip: str, local: bool, allow_remote: bool, secret: str | None, provided: str) -> AuthResult:
        banned = self._ban_message(ip)
        if banned:
            return AuthResult(False, 403, banned)
        if not local and not allow_remote:
            return AuthResult(False, 403, "remote management disabled")
        if not secret:
            return AuthResult(False, 403, "remote management key not set")
        if not provided:
            self._fail(ip)
            return AuthResult(False, 401, "missing management key")
        if not hmac.compare_digest(provided.encode(), secret.encode()):
            self._fail(ip)
            return AuthResult(False, 401, "invalid management key")
        self._reset(ip)
        return AuthResult(True)

    def _ban_message(self, ip: str) -> str:
        with self._lock:
            info = self._attempts.get(ip)
            if info is None or not info.blocked_until:
                return ""
            now = self._clock.now()
            if now < info.blocked_until:
                return BAN_PREFIX + go_duration(info.blocked_until - now)
            # An expired ban starts the IP over with a clean counter, as CPA does.
            info.blocked_until = 0.0
            info.count = 0
            return ""

    def _fail(self, ip: str) -> None:
        with self._lock:
            self.failed_logins[ip] = self.failed_logins.get(ip, 0) + 1
            info = self._attempts.setdefault(ip, _Attempts())
            info.count += 1
            if info.count >= MAX_FAILURES:
                info.blocked_until = self._clock.now() + BAN_SECONDS
                info.count = 0

    def _reset(self, ip: str) -> None:
        with self._lock:
            info = self._attempts.get(ip)
            if info is not None:
                info.count = 0
                info.blocked_until = 0.0

    def failures(self, ip: str) -> int:
        self._ban_message(ip)
        with self._lock:
            info = self._attempts.get(ip)
            return info.count if info else 0

    def is_banned(self, ip: str) -> bool:
        return bool(self._ban_message(ip))
