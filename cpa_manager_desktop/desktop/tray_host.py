"""Waiting for an X11 system tray that starts after us (autostart racing the desktop at login).

pystray's xorg backend docks once, when the icon is shown, and again only when the tray it docked in
is destroyed; if no tray owned `_NET_SYSTEM_TRAY_S<screen>` at that moment it logs "Failed to dock
icon" and the icon never appears (issue 11). A tray host announces itself, per the freedesktop system
tray specification, with a MANAGER client message on the root window naming the selection it now
owns. This watcher listens for that message on its own X connection (the tray's connection belongs to
pystray's loop) and calls back every time a tray appears, so a restarted tray host gets the icon too.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class TrayHostWatch:
    def __init__(self, on_appeared: Callable[[], None]) -> None:
        self._on_appeared = on_appeared
        self._display: Any = None
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Start listening; returns whether a tray host already owns the selection. False as well when
        this X server cannot be watched (then nothing is started)."""
        try:
            from Xlib import X
            from Xlib.display import Display
        except ImportError:
            return False
        try:
            display = Display()
            selection = display.intern_atom(f"_NET_SYSTEM_TRAY_S{display.get_default_screen()}")
            manager = display.intern_atom("MANAGER")
            # Listen first, then look: a tray starting in between is seen either way.
            display.screen().root.change_attributes(event_mask=X.StructureNotifyMask)
            display.flush()
            has_tray = display.get_selection_owner(selection) != X.NONE
        except Exception as exc:  # no X server after all, or it refused us: no watching
            log.info("cannot watch for a system tray: %s", exc)
            return False
        self._display = display
        self._thread = threading.Thread(target=self._run, args=(display, selection, manager),
                                        name="tray-host-watch", daemon=True)
        self._thread.start()
        return has_tray

    def _run(self, display: Any, selection: int, manager: int) -> None:
        from Xlib import X

        try:
            while not self._stopped.is_set():
                try:
                    event = display.next_event()
                except Exception:  # stop() shut the connection down, or the X server went away
                    return
                if event.type != X.ClientMessage or event.client_type != manager:
                    continue
                _format, data = event.data
                if len(data) > 1 and data[1] == selection:
                    log.info("a system tray appeared on the display; docking the icon")
                    try:
                        self._on_appeared()
                    except Exception:
                        log.exception("docking the icon in the new system tray failed")
        finally:
            # Closed here, by the thread that reads it: close() from another thread can block on
            # python-xlib's connection lock while this thread waits for an event (it froze Quit).
            with contextlib.suppress(Exception):
                display.close()

    def stop(self) -> None:
        """Idempotent and non-blocking: shutting the socket down ends the watcher's blocked read, and
        the watcher closes its connection itself."""
        self._stopped.set()
        display, self._display = self._display, None
        if display is not None:
            with contextlib.suppress(Exception):
                display.display.socket.shutdown(socket.SHUT_RDWR)
