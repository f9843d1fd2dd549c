"""The desktop's service functions: what every tray item and every /desktop route does.

The tray (desktop/) and the HTTP routes (web/desktop_routes.py) both call these, so a tray without a
menu (xorg) loses nothing. Platform pieces (opening URLs and folders, start at login) are passed in.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from cpa_manager_desktop.analytics.service import AnalyticsQuery, AnalyticsService
from cpa_manager_desktop.analytics.window import local_zone
from cpa_manager_desktop.service.controller import Controller
from cpa_manager_desktop.service.status import ServiceStatus
from cpa_manager_desktop.service.usage import UsageService, coverage_sidecar_path
from cpa_manager_desktop.store.queries import Window

log = logging.getLogger(__name__)


class Autostart(Protocol):
    description: str

    def is_enabled(self) -> bool: ...
    def enable(self) -> None: ...
    def disable(self) -> None: ...


class Notifier(Protocol):
    def __call__(self, title: str, message: str) -> None: ...


def log_notifier(title: str, message: str) -> None:
    """Where notifications go without a tray."""
    log.warning("%s: %s", title, message)


@dataclass(frozen=True)
class AutostartState:
    is_available: bool
    is_enabled: bool
    where: str


@dataclass(frozen=True)
class TodaySummary:
    requests: int
    cost_usd: float
    unpriced_requests: int


class DesktopActions:
    """Everything is given at construction; nothing is set afterwards. `panel_url` is a function
    because the port is known only once the server is bound."""

    def __init__(self, controller: Controller, usage: UsageService, analytics: AnalyticsService, *,
                 panel_url: Callable[[], str], data_dir: Path, downloads: Callable[[], Path],
                 autostart: Autostart | None, open_url: Callable[[str], None],
                 open_folder: Callable[[Path], None], request_quit: Callable[[], None],
                 notify: Notifier = log_notifier) -> None:
        self._controller = controller
        self._usage = usage
        self._analytics = analytics
        self._panel_url = panel_url
        self.data_dir = data_dir
        self._downloads = downloads
        self._autostart = autostart
        self._open_url = open_url
        self._open_folder = open_folder
        self.request_quit = request_quit
        self._notify = notify
        self._lock = threading.Lock()
        self._exporting = False
        self.last_export: Path | None = None

    @property
    def panel_url(self) -> str:
        return self._panel_url()

    @property
    def is_exporting(self) -> bool:
        return self._exporting

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
            self._notify("Export failed", f"Could not write the export: {exc.strerror or exc}")
            raise
        finally:
            with self._lock:
                self._exporting = False
        self.last_export = path
        log.info("usage exported path=%s", path)
        gaps = self._usage.coverage_gaps(Window())
        note = (f". It has {len(gaps)} interval(s) in which collection could not see every event; "
                f"see {coverage_sidecar_path(path).name}") if gaps else ""
        self._notify("Export finished", f"Usage history saved to {path}{note}")
        return path

    def open_export_folder(self) -> None:
        self._open_folder(self.last_export.parent if self.last_export else self._downloads())

    def open_data_folder(self) -> None:
        self._open_folder(self.data_dir)

    def autostart_state(self) -> AutostartState:
        if self._autostart is None:
            return AutostartState(is_available=False, is_enabled=False, where="")
        return AutostartState(is_available=True, is_enabled=self._autostart.is_enabled(),
                              where=self._autostart.description)

    def set_autostart(self, enabled: bool) -> AutostartState:
        if self._autostart is not None:
            (self._autostart.enable if enabled else self._autostart.disable)()
            log.info("start at login %s (%s)", "enabled" if enabled else "disabled", self._autostart.description)
        return self.autostart_state()

    def toggle_autostart(self) -> None:
        self.set_autostart(not self.autostart_state().is_enabled)

    def today(self) -> TodaySummary:
        """Requests and cost since local midnight, for the tray's status line."""
        zone = local_zone()
        midnight = datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
        window = Window(int(midnight.timestamp()) * 1_000_000_000, time.time_ns() + 1)
        totals = self._analytics.totals(AnalyticsQuery(window, zone))
        return TodaySummary(requests=totals.requests, cost_usd=totals.cost_usd,
                            unpriced_requests=totals.unpriced_requests)

    def status(self) -> ServiceStatus:
        return self._controller.status()
