"""When each credential is next due: the interval with jitter, backoff after 429, a stop after 401/403.
Pure: every method takes `now`; the worker owns the clock."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from cpa_manager_desktop.quota.providers import Credential
from cpa_manager_desktop.quota.reading import CredentialProblem, CredentialState, QuotaResult

JITTER = 0.1            # ±10 % of the interval, so 1,000 credentials do not all fall due together
MAX_BACKOFF_INTERVALS = 8  # after repeated 429s, poll at most every 8 intervals (2 h at the default)


@dataclass(frozen=True)
class CredentialSchedule:
    credential: Credential
    due_s: float
    backoff_s: float = 0.0
    stopped: str | None = None      # "expired" / "forbidden": not polled until a refresh asks for it
    last_checked_s: float | None = None
    last_state: str | None = None


class Schedule:
    def __init__(self, interval_s: float, rng: random.Random | None = None) -> None:
        self.interval_s = interval_s
        self._rng = rng or random.Random()
        self._entries: dict[str, CredentialSchedule] = {}

    def sync(self, credentials: list[Credential], now: float) -> None:
        """Follow CPA's list: new enabled credentials are due now; disabled or gone ones leave."""
        wanted = {c.auth_index: c for c in credentials if not c.disabled}
        self._entries = {index: replace(self._entries[index], credential=c) if index in self._entries
                         else CredentialSchedule(c, now) for index, c in wanted.items()}

    def due(self, now: float) -> list[Credential]:
        return [e.credential for e in self._entries.values() if e.stopped is None and e.due_s <= now]

    def next_due_s(self) -> float | None:
        times = [e.due_s for e in self._entries.values() if e.stopped is None]
        return min(times) if times else None

    def request_now(self, auth_index: str | None, now: float) -> list[str]:
        """A refresh: the credential (or all) due now, a stopped one included. Returns those marked."""
        marked = []
        for index, entry in self._entries.items():
            if auth_index is None or index == auth_index:
                self._entries[index] = replace(entry, due_s=now, stopped=None, backoff_s=0.0)
                marked.append(index)
        return marked

    def done(self, auth_index: str, result: QuotaResult, now: float) -> None:
        entry = self._entries.get(auth_index)
        if entry is None:
            return
        state = result.state.value if isinstance(result, CredentialProblem) else "ok"
        entry = replace(entry, last_checked_s=now, last_state=state)
        if isinstance(result, CredentialProblem) and result.stops_polling:
            entry = replace(entry, stopped=state)
        elif isinstance(result, CredentialProblem) and result.state == CredentialState.RATE_LIMITED:
            # 2, 4, 8 intervals: the provider asked us to slow down, and CPA's routing needs that quota.
            backoff = min(max(entry.backoff_s * 2, self.interval_s * 2), self.interval_s * MAX_BACKOFF_INTERVALS)
            wait = max(backoff, float(result.retry_after_s or 0))
            entry = replace(entry, backoff_s=backoff, due_s=now + wait)
        else:
            entry = replace(entry, backoff_s=0.0, due_s=now + self._jittered())
        self._entries[auth_index] = entry

    def failed(self, auth_index: str, now: float) -> None:
        """CPA itself failed the call (transport, 5xx from CPA): try again next interval."""
        entry = self._entries.get(auth_index)
        if entry is not None:
            self._entries[auth_index] = replace(entry, due_s=now + self._jittered(), last_state="unreachable")

    def entries(self) -> list[CredentialSchedule]:
        return sorted(self._entries.values(), key=lambda e: e.credential.auth_index)

    def _jittered(self) -> float:
        return self.interval_s * (1 + self._rng.uniform(-JITTER, JITTER))
