"""The two opt-in quota notifications, derived from the readings the feed passes on:

- a reset: a window that was at least NOTABLE_USED_PERCENT used reset (detect_resets between a
  credential's reading and the one before it). Smaller resets happen every few hours on every account
  and would only be noise;
- an exhausted provider: every credential of a provider that has a quota reading is out (a window at
  100 %). Once per episode: the provider is marked, and unmarked only when a reading shows it recovered.

Exactly once, across restarts too: only readings taken since this process started count, and what was
already said is persisted in the settings table (the newest reset reading notified, the providers in a
notified episode). Episodes and resets are followed while the switches are off as well, so turning a
switch on never replays the past.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cpa_manager_desktop.quota.providers import Credential
from cpa_manager_desktop.quota.snapshot import OK, SnapshotView, WindowView, detect_resets
from cpa_manager_desktop.service.glance import Notice
from cpa_manager_desktop.service.quota_feed import QuotaFeed, ReadingChange
from cpa_manager_desktop.service.quota_notify_settings import QuotaNotifySettings
from cpa_manager_desktop.service.quota_wording import credential_label, duration, joined, window_name
from cpa_manager_desktop.store.settings import SettingsStore

log = logging.getLogger(__name__)
MARKS_KEY = "quota_notice_marks"
NOTABLE_USED_PERCENT = 90.0
EXHAUSTED_PERCENT = 100.0
MAX_RESET_NOTICES = 3  # more credentials back at once make one summary notice, not a flood


@dataclass(frozen=True)
class NoticeMarks:
    resets_through_s: int = 0                        # resets in readings up to this time were handled
    exhausted: frozenset[str] = field(default_factory=frozenset)  # providers in a handled episode

    def to_json(self) -> dict[str, object]:
        return {"resets_through_s": self.resets_through_s, "exhausted": sorted(self.exhausted)}

    @staticmethod
    def from_json(value: object) -> NoticeMarks:
        if not isinstance(value, dict):
            return NoticeMarks()
        through = value.get("resets_through_s")
        providers = value.get("exhausted")
        return NoticeMarks(through if isinstance(through, int) else 0,
                           frozenset(p for p in providers if isinstance(p, str)) if isinstance(providers, list)
                           else frozenset())


@dataclass(frozen=True)
class CredentialReset:
    view: SnapshotView
    windows: tuple[WindowView, ...]   # as they were before the reset


def is_exhausted(view: SnapshotView) -> bool:
    return view.state == OK and any(w.used_percent >= EXHAUSTED_PERCENT for w in view.windows)


def exhausted_providers(latest: Mapping[str, SnapshotView], providers: set[str],
                        current: Mapping[str, Credential] | None) -> set[str]:
    """Those of `providers` whose every credential with a quota reading is exhausted. Credentials CPA no
    longer lists (or lists as disabled) do not count once the current list is known."""
    readable: dict[str, list[SnapshotView]] = {p: [] for p in providers}
    for view in latest.values():
        if view.provider in readable and view.state == OK and (current is None or view.auth_index in current):
            readable[view.provider].append(view)
    return {p for p, views in readable.items() if views and all(is_exhausted(v) for v in views)}


def notable_resets(changes: Sequence[ReadingChange], after_s: int) -> list[CredentialReset]:
    found = []
    for change in changes:
        if change.before is None or change.after.at_s <= after_s:
            continue
        before = {w.key: w for w in change.before.windows}
        reset_keys = {r.window for r in detect_resets([change.before, change.after])}
        windows = tuple(before[k] for k in sorted(reset_keys) if before[k].used_percent >= NOTABLE_USED_PERCENT)
        if windows:
            found.append(CredentialReset(change.after, windows))
    return found


class QuotaNotices:
    def __init__(self, feed: QuotaFeed, switches: QuotaNotifySettings, saved: SettingsStore, *,
                 started_s: float) -> None:
        self._feed = feed
        self._switches = switches
        self._saved = saved
        # Readings are stamped in whole seconds: one taken in the second the app started is not history.
        self._started_s = int(started_s)
        self._cursor = 0
        self._marks: NoticeMarks | None = None
        self._lock = threading.Lock()

    def observe(self, now_s: float, current: Mapping[str, Credential] | None) -> tuple[Notice, ...]:
        """The notices the readings since the last call raise (each once); () when none."""
        with self._lock:
            changes, self._cursor = self._feed.changes_since(self._cursor)
            fresh = [c for c in changes if c.after.at_s >= self._started_s]
            if not fresh:
                return ()
            marks = self._marks if self._marks is not None else NoticeMarks.from_json(self._saved.get(MARKS_KEY))
            resets = notable_resets(fresh, marks.resets_through_s)
            providers = {c.after.provider for c in fresh}
            _, latest = self._feed.latest()
            exhausted = exhausted_providers(latest, providers, current)
            newly = sorted(exhausted - marks.exhausted)
            recovered = (providers - exhausted) & marks.exhausted
            updated = NoticeMarks(max([marks.resets_through_s, *(r.view.at_s for r in resets)]),
                                  (marks.exhausted | set(newly)) - recovered)
            if updated != marks:
                self._saved.put(MARKS_KEY, updated.to_json())
            self._marks = updated
        switches = self._switches.get()
        notices: list[Notice] = []
        if switches.on_reset and resets:
            notices.extend(_reset_notices(resets, current))
        if switches.on_provider_exhausted:
            notices.extend(_exhausted_notice(p, latest, current, now_s) for p in newly)
        for notice in notices:
            log.info("quota notice key=%s", notice.key)
        return tuple(notices)


def _label(auth_index: str, current: Mapping[str, Credential] | None) -> str:
    credential = current.get(auth_index) if current else None
    return credential_label(credential.label if credential else "", auth_index)


def _reset_notices(resets: list[CredentialReset], current: Mapping[str, Credential] | None) -> list[Notice]:
    if len(resets) > MAX_RESET_NOTICES:
        counts: dict[str, int] = {}
        for reset in resets:
            counts[reset.view.provider] = counts.get(reset.view.provider, 0) + 1
        at_s = max(r.view.at_s for r in resets)
        return [Notice(f"quota:reset:many:{at_s}", f"Quota is back for {len(resets)} credentials",
                       ", ".join(f"{p}: {n}" for p, n in sorted(counts.items())))]
    notices = []
    for reset in resets:
        view = reset.view
        names = [window_name(w.key) for w in reset.windows]
        noun = "window" if len(names) == 1 else "windows"
        notices.append(Notice(f"quota:reset:{view.auth_index}:{view.at_s}", f"Quota is back ({view.provider})",
                              f"{_label(view.auth_index, current)}: {joined(names)} {noun} reset"))
    return notices


def _exhausted_notice(provider: str, latest: Mapping[str, SnapshotView], current: Mapping[str, Credential] | None,
                      now_s: float) -> Notice:
    views = [v for v in latest.values() if v.provider == provider and v.state == OK
             and (current is None or v.auth_index in current)]
    back = [t for t in (_back_at(v) for v in views) if t is not None and t > now_s]
    count = f"{len(views)} credential" if len(views) == 1 else f"{len(views)} credentials"
    message = f"{count} out of quota"
    if back:
        message += f"; the first is back in {duration(min(back) - now_s)}"
    return Notice(f"quota:exhausted:{provider}", f"Every {provider} credential is out of quota", message)



def _back_at(view: SnapshotView) -> int | None:
    """When every exhausted window of the credential has reset; None when one has no reset time."""
    times = [w.resets_at_s for w in view.windows if w.used_percent >= EXHAUSTED_PERCENT]
    return None if not times or None in times else max(t for t in times if t is not None)
