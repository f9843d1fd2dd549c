"""The tray icon: the only module that imports pystray.

It draws the TrayState it is given and posts a Command when an item is chosen; it decides nothing.
Known platform traps handled here: `import pystray` without a display raises a non-ImportError; only
the appindicator/gtk backends have menus on Linux (xorg: left click opens the panel, the rest is in the
panel); on macOS every tray mutation must run on the main thread; notifications are best effort.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from PIL import Image

from cpa_manager_desktop.desktop import icons, xlib_wakeup
from cpa_manager_desktop.desktop.menu import Command, MenuEntry, TrayState, build_menu, status_line
from cpa_manager_desktop.desktop.tray_host import TrayHostWatch
from cpa_manager_desktop.service.status import CollectorState

log = logging.getLogger(__name__)
TITLE = "CPA Manager"


class TrayUnavailable(Exception):
    """No tray can be shown here; the app carries on headless."""


def display_problem() -> str | None:
    """Why a tray cannot work in this session, or None when it may."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "no DISPLAY or WAYLAND_DISPLAY"
    return None


def load_pystray() -> Any:
    problem = display_problem()
    if problem:
        raise TrayUnavailable(problem)
    if sys.platform.startswith("linux"):
        xlib_wakeup.install()
    try:
        import pystray
    except Exception as exc:  # xorg raises Xlib.error.DisplayNameError, not ImportError, without a display
        raise TrayUnavailable(f"tray backend failed to load: {exc.__class__.__name__}: {exc}") from None
    return pystray


class TrayIcon:
    def __init__(self, pystray: Any, post: Callable[[Command], None],
                 render: Callable[[str], Image.Image] = icons.render) -> None:
        self._pystray = pystray
        self._post = post
        self._render = render
        self._state = TrayState()
        self._lock = threading.Lock()
        self._logged_menu = ""
        self._stopping = False
        self._host_watch: TrayHostWatch | None = None
        # Made in run(): building the app must not talk to the display (xorg opens a connection here).
        self.icon: Any = None

    def _make_icon(self) -> Any:
        pystray = self._pystray
        icon = pystray.Icon("cpa-manager", self._render(icons.NORMAL), TITLE, menu=pystray.Menu(self._menu_items))
        backend = type(icon)
        log.info("tray backend=%s menu=%s default_action=%s", backend.__module__,
                 getattr(backend, "HAS_MENU", "?"), getattr(backend, "HAS_DEFAULT_ACTION", "?"))
        return icon

    def _menu_items(self) -> tuple[Any, ...]:
        with self._lock:
            entries = build_menu(self._state)
        return tuple(self._item(e) for e in entries)

    def _item(self, entry: MenuEntry) -> Any:
        pystray = self._pystray
        if entry.separator:
            return pystray.Menu.SEPARATOR
        command = entry.command
        action = (lambda _icon, _item: self._post(command)) if command else None
        checked = (lambda _item: bool(entry.checked)) if entry.checked is not None else None
        return pystray.MenuItem(entry.text, action, checked=checked, enabled=entry.enabled, default=entry.default)

    def show(self, state: TrayState) -> None:
        """Draw a new state; safe from any thread. Ignored once stopping: redrawing a closed xorg icon
        blocked the refresh thread and delayed Quit by seconds."""
        with self._lock:
            self._state = state
            if self._stopping or self.icon is None:
                return
        self._ui_call(self._apply)

    def _apply(self) -> None:
        with self._lock:
            state = self._state
        texts = " | ".join(e.text for e in build_menu(state) if not e.separator)
        if texts != self._logged_menu:
            # xorg trays show no menu at all, so the log is where its state can be read.
            self._logged_menu = texts
            log.info("tray menu: %s", texts)
        self.icon.icon = self._render(icons.state_for(state.collector_state, state.tint))
        self.icon.title = f"{TITLE}: {status_line(state)}"[:127]  # Windows caps tooltips at 128 characters
        self.icon.update_menu()

    def notify(self, title: str, message: str) -> None:
        log.info("notify title=%s message=%s", title, message)
        if self.icon is None or not getattr(self.icon, "HAS_NOTIFICATION", True):
            return
        try:
            self._ui_call(lambda: self.icon.notify(message, title))
        except Exception as exc:  # no notification daemon, Focus Assist...: the log line above remains
            log.info("notification not shown: %s", exc)

    def run(self, on_ready: Callable[[], None]) -> None:
        """Blocks the calling (main) thread until stop()."""

        def setup(icon: Any) -> None:
            try:
                icon.visible = True
            except Exception:  # the app must still run (and Quit) when the icon cannot be shown
                log.exception("the tray icon could not be shown")
            self._watch_for_tray_host(icon)
            # pystray joins its (non-daemon) setup thread at exit; an X call racing with stop() can block
            # for ever, which kept the process alive after Quit. Our work runs on a daemon thread instead.
            threading.Thread(target=on_ready, name="tray-ready", daemon=True).start()

        with self._lock:
            if self._stopping:
                return
            self.icon = self._make_icon()
        try:
            self.icon.run(setup=setup)
        except Exception as exc:  # e.g. GLib.GError from a missing notification daemon at exit
            log.warning("tray loop ended with %s: %s", exc.__class__.__name__, exc)

    def _watch_for_tray_host(self, icon: Any) -> None:
        """xorg: dock again whenever a system tray (re)appears, and say when we are waiting for one."""
        if not type(icon).__module__.endswith("._xorg"):
            return  # AppIndicator, Windows and macOS hosts find the icon themselves
        watch = TrayHostWatch(lambda: self._dock_again(icon))
        with self._lock:
            if self._stopping:
                return
            self._host_watch = watch
        has_tray = watch.start()
        if not has_tray or getattr(icon, "_systray_manager", True) is None:
            log.warning("no system tray on this display yet (nothing owns _NET_SYSTEM_TRAY_S0); "
                        "waiting for one, the icon appears when it starts")

    def _dock_again(self, icon: Any) -> None:
        with self._lock:
            if self._stopping:
                return
        # pystray's xorg _show() runs on its own loop thread (it dispatches there) and docks with the
        # current selection owner; it is the step pystray takes only once, at start.
        icon._show()
        if getattr(icon, "_systray_manager", None) is not None:
            log.info("tray icon docked")

    def stop(self) -> None:
        """Idempotent; fine before run() (then run() returns at once)."""
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
            icon = self.icon
            watch, self._host_watch = self._host_watch, None
        if watch is not None:
            watch.stop()
        if icon is not None:
            self._ui_call(icon.stop)


    def _ui_call(self, fn: Callable[[], None]) -> None:
        if sys.platform == "darwin":
            from PyObjCTools import AppHelper  # only present on macOS

            AppHelper.callAfter(fn)
        else:
            fn()


def show_startup_error(pystray: Any, message: str, quit_requested: threading.Event, *, shown_s: float,
                       grace_s: float, exit_code: int) -> None:
    """A double-clicked app has no console: show why it cannot start in the tray until the user quits.
    Any item (or a click, where the tray has no menu) quits, as does a quit signal."""
    state = TrayState(collector_state=CollectorState.ERROR, configured=True, last_error=f"{message} Click to quit.")
    tray = TrayIcon(pystray, post=lambda _command: quit_requested.set())
    tray_returned = threading.Event()

    def ready() -> None:
        tray.show(state)
        tray.notify("CPA Manager cannot start", message)

    def stop_on_quit() -> None:
        quit_requested.wait(shown_s)
        threading.Thread(target=tray.stop, name="tray-stop", daemon=True).start()
        if not tray_returned.wait(grace_s):
            logging.shutdown()
            os._exit(exit_code)

    threading.Thread(target=stop_on_quit, name="tray-quit", daemon=True).start()
    tray.run(on_ready=ready)
    tray_returned.set()
