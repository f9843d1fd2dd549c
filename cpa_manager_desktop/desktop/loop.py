"""The loop that keeps the tray up to date and carries out what its menu asks.

Menu callbacks only post a Command; a worker thread carries it out through the service layer
(service/desktop.py), so the tray's own thread never waits on the network or the disk. The same loop
refreshes the TrayState snapshot and shows the watchers' notifications (alerts, budgets: service/glance.py).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from cpa_manager_desktop.desktop.menu import Command, TrayState
from cpa_manager_desktop.service.desktop import DesktopActions, Notifier
from cpa_manager_desktop.service.glance import Glance, Watcher, merge
from cpa_manager_desktop.service.status import CollectorState, ServiceStatus

log = logging.getLogger(__name__)
REFRESH_S = 2.0


class _Refresh:
    pass


_REFRESH: Any = _Refresh()
# What the tray posts and the loop takes: a Command, a refresh request, or None to stop.
CommandQueue = queue.Queue


def tray_state(actions: DesktopActions, status: ServiceStatus, glance: Glance | None = None) -> TrayState:
    """The tray's snapshot: the collector, today's totals, start at login, the last export, the watchers."""
    glance = glance or Glance()
    today = actions.today()
    autostart = actions.autostart_state()
    collector = status.collector
    return TrayState(
        collector_state=collector.state, configured=status.is_configured, events_today=today.requests,
        cost_today_usd=today.cost_usd, unpriced_today=today.unpriced_requests, last_error=collector.last_error,
        paused_since_ms=collector.paused_since_ms, autostart_enabled=autostart.is_enabled,
        autostart_available=autostart.is_available, last_export=str(actions.last_export or ""),
        exporting=actions.is_exporting, now_ms=int(time.time() * 1000),
        glance_lines=glance.lines, tint=glance.tint,
    )


class DesktopLoop:
    """One worker thread: carries out posted commands and refreshes the tray snapshot."""

    def __init__(self, actions: DesktopActions, on_state: Callable[[TrayState], None], notify: Notifier,
                 commands: CommandQueue | None = None,
                 refresh_s: float = REFRESH_S, watchers: Sequence[Watcher] = (),
                 clock: Callable[[], float] = time.time) -> None:
        self._actions = actions
        self._on_state = on_state
        self._notify = notify
        self._refresh_s = refresh_s
        self._watchers = tuple(watchers)
        self._clock = clock
        self._commands: CommandQueue = commands if commands is not None else queue.Queue()
        self._thread = threading.Thread(target=self._run, name="desktop", daemon=True)
        self._last_state: TrayState | None = None
        self.handlers: dict[Command, Callable[[], Any]] = {
            Command.OPEN_PANEL: actions.open_panel, Command.PAUSE: actions.pause, Command.RESUME: actions.resume,
            Command.RESTART: actions.restart, Command.EXPORT: self._export_in_background,
            Command.OPEN_EXPORT_FOLDER: actions.open_export_folder, Command.OPEN_DATA_FOLDER: actions.open_data_folder,
            Command.TOGGLE_AUTOSTART: actions.toggle_autostart, Command.QUIT: actions.request_quit,
        }

    def post(self, command: Command) -> None:
        """Called from menu callbacks: returns at once."""
        self._commands.put(command)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Idempotent; fine before start() (the tray may fail before it is ready)."""
        self._commands.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def snapshot(self) -> TrayState:
        return tray_state(self._actions, self._actions.status())

    def _glance(self) -> Glance:
        """Every watcher's lines, tint and new notices; one failing watcher costs only its own glance."""
        now_s = self._clock()
        glances = []
        for watcher in self._watchers:
            try:
                glances.append(watcher.glance(now_s))
            except Exception:
                log.exception("tray watcher failed watcher=%s", type(watcher).__name__)
        return merge(glances)

    def _export_in_background(self) -> None:
        def run() -> None:
            try:
                self._actions.export_usage()
            except (OSError, RuntimeError) as exc:
                log.warning("export failed: %s", exc)
            self._commands.put_nowait(_REFRESH)

        threading.Thread(target=run, name="export", daemon=True).start()

    def _run(self) -> None:
        self._refresh()
        while True:
            try:
                command = self._commands.get(timeout=self._refresh_s)
            except queue.Empty:
                command = _REFRESH
            if command is None:
                return
            if command is not _REFRESH:
                self._execute(command)
            self._refresh()

    def _execute(self, command: Command) -> None:
        try:
            self.handlers[command]()
        except Exception:
            log.exception("tray action failed command=%s", command.name)

    def _refresh(self) -> None:
        try:
            status = self._actions.status()
            glance = self._glance()
            state = tray_state(self._actions, status, glance)
        except Exception:
            log.exception("could not refresh the tray")
            return
        for notice in glance.notices:
            self._notify(notice.title, notice.message)
        comparable = replace(state, now_ms=0)
        if comparable != self._last_state or state.collector_state == CollectorState.PAUSED:
            self._last_state = comparable
            try:
                self._on_state(state)
            except Exception:  # a tray that cannot draw must not stop commands and alerts
                log.exception("could not draw the tray")
