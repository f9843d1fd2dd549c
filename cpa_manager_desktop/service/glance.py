"""What a watcher adds to the tray: lines for the menu, a tint for the icon, notifications to show.

Quota, budgets and alerts each implement Watcher; the desktop loop asks every watcher for a Glance on
each refresh and merges them, so none of them knows about trays and the loop knows none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol


class Tint(IntEnum):
    """How loudly the icon speaks; the loudest tint of all watchers wins."""

    NONE = 0
    WARNING = 1      # a budget threshold crossed, a quota nearly gone: look when convenient
    ALERT = 2        # something needs the user now


@dataclass(frozen=True)
class Notice:
    """One desktop notification. `key` names what it is about, for logs and tests."""

    key: str
    title: str
    message: str


@dataclass(frozen=True)
class Glance:
    lines: tuple[str, ...] = ()
    tint: Tint = Tint.NONE
    # Raised since the previous glance: each is shown once, so a watcher returns it once.
    notices: tuple[Notice, ...] = ()


class Watcher(Protocol):
    def glance(self, now_s: float) -> Glance: ...


def merge(glances: list[Glance]) -> Glance:
    lines = tuple(line for g in glances for line in g.lines)
    tint = max((g.tint for g in glances), default=Tint.NONE)
    notices = tuple(n for g in glances for n in g.notices)
    return Glance(lines, tint, notices)
