"""The tray's quota watcher: one menu line with the lowest remaining quota, and the opt-in notices.

  Lowest quota: ali***@example.com (codex) 3 % left · resets in 2 h 10 min

The candidates (each credential's tightest window) are derived from the feed only when a new reading
arrived or CPA's credential list changed; each 2-s glance then only skips windows whose reset time has
passed (that quota is back, whatever the last reading said) and formats the countdown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from cpa_manager_desktop.quota.providers import Credential
from cpa_manager_desktop.quota.snapshot import OK, SnapshotView
from cpa_manager_desktop.service.glance import Glance
from cpa_manager_desktop.service.quota_feed import QuotaFeed
from cpa_manager_desktop.service.quota_notices import QuotaNotices
from cpa_manager_desktop.service.quota_wording import credential_label, duration, percent_left

# CPA's enabled credentials as the quota collector last read them; empty before its first pass.
CurrentCredentials = Callable[[], Sequence[Credential]]


@dataclass(frozen=True)
class Candidate:
    remaining: float
    resets_at_s: int | None
    auth_index: str
    provider: str
    label: str


def candidates(latest: Mapping[str, SnapshotView], current: Mapping[str, Credential] | None) -> list[Candidate]:
    """Every window of every readable credential in scope, lowest remaining first; for equal remaining,
    the one that stays low longest first."""
    found = []
    for view in latest.values():
        if view.state != OK or (current is not None and view.auth_index not in current):
            continue
        credential = current.get(view.auth_index) if current else None
        label = credential_label(credential.label if credential else "", view.auth_index)
        found.extend(Candidate(100.0 - w.used_percent, w.resets_at_s, view.auth_index, view.provider, label)
                     for w in view.windows)
    return sorted(found, key=lambda c: (c.remaining, -(c.resets_at_s or 0), c.auth_index))


def lowest_line(ranked: Sequence[Candidate], now_s: float) -> str | None:
    for candidate in ranked:
        if candidate.resets_at_s is not None and candidate.resets_at_s <= now_s:
            continue
        line = f"Lowest quota: {candidate.label} ({candidate.provider}) {percent_left(candidate.remaining)} left"
        if candidate.resets_at_s is not None:
            line += f" · resets in {duration(candidate.resets_at_s - now_s)}"
        return line
    return None


class QuotaGlance:
    def __init__(self, feed: QuotaFeed, notices: QuotaNotices, credentials: CurrentCredentials) -> None:
        self._feed = feed
        self._notices = notices
        self._credentials = credentials
        self._cache_key: tuple[int, tuple[Credential, ...]] | None = None
        self._ranked: list[Candidate] = []

    def glance(self, now_s: float) -> Glance:
        listed = tuple(self._credentials())
        # Before the collector's first pass the list is unknown: every stored reading is in scope.
        current = {c.auth_index: c for c in listed} if listed else None
        notices = self._notices.observe(now_s, current)
        version, latest = self._feed.latest()
        if (version, listed) != self._cache_key:
            self._cache_key = (version, listed)
            self._ranked = candidates(latest, current)
        line = lowest_line(self._ranked, now_s)
        return Glance((line,) if line else (), notices=notices)
