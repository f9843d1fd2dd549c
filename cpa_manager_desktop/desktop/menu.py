"""The tray menu as data: a pure function of a TrayState snapshot, testable without a display."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from cpa_manager_desktop.service.glance import Tint
from cpa_manager_desktop.service.status import CollectorState


class Command(Enum):
    OPEN_PANEL = auto()
    PAUSE = auto()
    RESUME = auto()
    RESTART = auto()
    EXPORT = auto()
    OPEN_EXPORT_FOLDER = auto()
    OPEN_DATA_FOLDER = auto()
    TOGGLE_AUTOSTART = auto()
    QUIT = auto()


@dataclass(frozen=True)
class TrayState:
    collector_state: CollectorState = CollectorState.STOPPED
    configured: bool = False
    events_today: int = 0
    cost_today_usd: float = 0.0
    unpriced_today: int = 0
    last_error: str = ""
    paused_since_ms: int = 0
    autostart_enabled: bool = False
    autostart_available: bool = True
    last_export: str = ""
    exporting: bool = False
    now_ms: int = 0
    # From the watchers (quota, budgets, alerts): extra informational lines and the icon's tint.
    glance_lines: tuple[str, ...] = ()
    tint: Tint = Tint.NONE


@dataclass(frozen=True)
class MenuEntry:
    text: str
    command: Command | None = None       # None: an informational line
    enabled: bool = True
    checked: bool | None = None
    default: bool = False
    separator: bool = False


SEPARATOR = MenuEntry("", separator=True)


def _duration(ms: int) -> str:
    minutes = max(ms, 0) // 60_000
    if minutes < 1:
        return "less than a minute"
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def status_line(state: TrayState) -> str:
    """One line for the menu's first item and the tooltip."""
    if not state.configured:
        return "Not set up: open the panel to connect to CPA"
    counts = f"{state.events_today:,} events today · ${state.cost_today_usd:,.2f}"
    if state.unpriced_today:
        counts += " (some unpriced)"
    if state.collector_state == CollectorState.PAUSED:
        return f"Paused for {_duration(state.now_ms - state.paused_since_ms)} · {counts}"
    if state.collector_state == CollectorState.ERROR:
        return f"Error: {state.last_error or 'see the panel'}"
    label = {CollectorState.RUNNING: "Collecting", CollectorState.STARTING: "Connecting"}.get(state.collector_state,
                                                                                         "Stopped")
    return f"{label} · {counts}"


def build_menu(state: TrayState) -> list[MenuEntry]:
    paused = state.collector_state == CollectorState.PAUSED
    entries = [
        MenuEntry(status_line(state), enabled=False),
        *(MenuEntry(line, enabled=False) for line in state.glance_lines),
        SEPARATOR,
        MenuEntry("Open panel", Command.OPEN_PANEL, default=True),
        # Pausing is not free: CPA drops whatever it holds longer than its queue retention (60 s default).
        MenuEntry("Resume collection" if paused else "Pause collection (CPA drops usage after ~60 s)",
                  Command.RESUME if paused else Command.PAUSE, enabled=state.configured),
        MenuEntry("Restart collection", Command.RESTART, enabled=state.configured and not paused),
        SEPARATOR,
        MenuEntry("Exporting usage…" if state.exporting else "Export usage (JSONL)…", Command.EXPORT,
                  enabled=not state.exporting),
    ]
    if state.last_export:
        entries.append(MenuEntry("Open export folder", Command.OPEN_EXPORT_FOLDER))
    entries += [
        MenuEntry("Open data folder", Command.OPEN_DATA_FOLDER),
        MenuEntry("Start at login", Command.TOGGLE_AUTOSTART, checked=state.autostart_enabled,
                  enabled=state.autostart_available),
        SEPARATOR,
        MenuEntry("Quit", Command.QUIT),
    ]
    return entries
