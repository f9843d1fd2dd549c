"""What the tray menu (and the desktop routes) can do, and the loop that keeps the tray up to date.

Menu callbacks only post a Command; a worker thread carries it out, so the tray's own thread never
waits on the network or the disk. The same loop refreshes the TrayState snapshot and turns status
changes into notifications through the AlertPolicy.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from cpa_manager_desktop.analytics.service import AnalyticsQuery, AnalyticsService
from cpa_manager_desktop.analytics.window import local_zone
from cpa_manager_desktop.desktop.alerts import AlertPolicy
from cpa_manager_desktop.desktop.menu import Command, TrayState
from cpa_manager_desktop.service.controller import Controller
from cpa_manager_desktop.service.usage import UsageService
from cpa_manager_desktop.store.queries import Window

log = logging.getLogger(__name__)
REFRESH_S = 2.0


class Autostart(Protocol):
    description: str

    def is_enabled(self) -> bool: ...
    def enable(self) -> None: ...
    def disable(self) -> None: ...


class Notifier(Protocol):
    def __call__(self, title: str, message: str) -> None: ...


def _log_notifier(title: str, message: str) -> None:
    log.warning("%s: %s", title, message)


class DesktopActions:
    """The service functions behind every tray item."""

    def __init__(self, controller: Controller, usage: UsageService, analytics: AnalyticsService, *,
                 panel_url: str, data_dir: Path, downloads: Callable[[], Path], autostart: Autostart | None,
                 open_url: Callable[[str], None], open_folder: Callable[[Path], None],
                 request_quit: Callable[[], None]) -> None:
        self._controller = controller
        self._usage = usage
        self._analytics = analytics
        self.panel_url = panel_url
        self.data_dir = data_dir
        self._downloads = downloads
        self._autostart = autostart
        self._open_url = open_url
        self._open_folder = open_folder
        self.request_quit = request_quit
        self.notify: Notifier = _log_notifier
        self._lock = threading.Lock()
        self._exporting = False
        self.last_export: Path | None = None

    def open_panel(self) -> None:
        self._open_url(self.panel_url)

    def pause(self) -> None:
        self._controller.pause()

    def resume(self) -> None:
        self._controller.resume()

    def restart(self) -> None:
        self._controller.restart()

    def export_usage(self) -> Path:
        """Write the full history to Downloads; notifies when done. Returns the file written."""
        with self._lock:
            if self._exporting:
                raise RuntimeError("an export is already running")
            self._exporting = True
        try:
            path = self._usage.export_to_folder(self._downloads())
        except OSError as exc:
            self.notify("Export failed", f"Could not write the export: {exc.strerror or exc}")
            raise
        finally:
            with self._lock:
                self._exporting = False
        self.last_export = path
        log.info("usage exported path=%s", path)
        self.notify("Export finished", f"Usage history saved to {path}")
        return path

    def open_export_folder(self) -> None:
        self._open_folder(self.last_export.parent if self.last_export else self._downloads())

    def open_data_folder(self) -> None:
        self._open_folder(self.data_dir)

    def autostart_state(self) -> dict[str, Any]:
        if self._autostart is None:
            return {"available": False, "enabled": False, "where": ""}
        return {"available": True, "enabled": self._autostart.is_enabled(), "where": self._autostart.description}

    def set_autostart(self, enabled: bool) -> dict[str, Any]:
        if self._autostart is not None:
            (self._autostart.enable if enabled else self._autostart.disable)()
            log.info("start at login %s (%s)", "enabled" if enabled else "disabled", self._autostart.description)
        return self.autostart_state()

    def toggle_autostart(self) -> None:
        self.set_autostart(not self.autostart_state()["enabled"])

    def snapshot(self) -> TrayState:
        status = self._controller.status()
        collector = status["collector"]
        now = datetime.now(local_zone())
        midnight_ns = int(now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()) * 1_000_000_000
        today = self._analytics.summary(AnalyticsQuery(Window(midnight_ns, time.time_ns() + 1), local_zone()))
        autostart = self.autostart_state()
        return TrayState(
            collector_state=collector["state"], configured=status["configured"], events_today=today["requests"],
            cost_today_usd=today["costUsd"], unpriced_today=today["unpriced"]["requests"],
            last_error=collector["lastError"], paused_since_ms=collector["pausedSince"],
            autostart_enabled=autostart["enabled"], autostart_available=autostart["available"],
            last_export=str(self.last_export or ""), exporting=self._exporting, now_ms=int(time.time() * 1000),
        )

    def status(self) -> dict[str, Any]:
        return self._controller.status()


class DesktopLoop:
    """One worker thread: carries out posted commands and refreshes the tray snapshot."""

    def __init__(self, actions: DesktopActions, on_state: Callable[[TrayState], None], notify: Notifier,
                 policy: AlertPolicy | None = None, refresh_s: float = REFRESH_S) -> None:
        self._actions = actions
        self._on_state = on_state
        self._notify = notify
        actions.notify = notify
        self._policy = policy or AlertPolicy(time.time)
        self._refresh_s = refresh_s
        self._commands: queue.Queue[Command | None] = queue.Queue()
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
            state = self._actions.snapshot()
            alerts = self._policy.observe(self._actions.status())
        except Exception:
            log.exception("could not refresh the tray")
            return
        for alert in alerts:
            self._notify(alert.title, alert.message)
        comparable = replace(state, now_ms=0)
        if comparable != self._last_state or state.collector_state == "paused":
            self._last_state = comparable
            try:
                self._on_state(state)
            except Exception:  # a tray that cannot draw must not stop commands and alerts
                log.exception("could not draw the tray")


class _Refresh:
    pass


_REFRESH: Any = _Refresh()
