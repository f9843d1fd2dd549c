"""A fix for a lost wake-up in python-xlib that freezes pystray's xorg tray.

pystray's xorg backend runs its event loop on one thread and carries out updates asked from other
threads (icon, title, show) by sending itself an X message over the same connection and flushing it.
python-xlib (0.33, the latest release) lets one thread do the socket I/O while others wait:
a thread that needs a reply while another is sending parks on `request_wait_lock`, and the active
thread must release that lock when it leaves `send_and_recv`. One exit forgets to: a thread that is
only sending (another thread is the receiver) returns early as soon as the socket becomes readable,
without waking the parked threads. When the parked thread is the tray loop (asking the window's
geometry to redraw) and the sender is waiting for that loop to run its update, both wait for ever:
seen in CI as a tray whose menu stopped following the collector (py-spy: the loop in
`Drawable.get_geometry`, the updater in pystray's dispatcher `Queue.get`).

The fix wraps `send_and_recv` so every exit wakes the parked threads, as its normal exit does.
That is always safe: python-xlib documents that a return does not mean the caller's condition holds,
and every caller loops until it has what it waited for, going back to sleep if another thread is still
active.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

log = logging.getLogger(__name__)
_MARK = "_cpa_manager_wakes_waiters"
_STATE = ("send_recv_lock", "request_waiting", "request_wait_lock", "event_waiting", "event_wait_lock")


def install() -> bool:
    """Patch python-xlib's Display once; False when Xlib is absent or not the layout this fix knows."""
    try:
        from Xlib.protocol import display
    except ImportError:
        return False
    original = display.Display.send_and_recv
    if getattr(original, _MARK, False):
        return True
    if not _knows_layout(display.Display):
        log.warning("python-xlib changed; the xorg tray's lost wake-up fix is not applied")
        return False

    @functools.wraps(original)
    def send_and_recv(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, *args, **kwargs)
        finally:
            wake_waiters(self)

    setattr(send_and_recv, _MARK, True)
    display.Display.send_and_recv = send_and_recv
    return True


def wake_waiters(connection: Any) -> None:
    """Release threads parked for a reply or an event, exactly as send_and_recv's normal exit does."""
    connection.send_recv_lock.acquire()
    try:
        if connection.event_waiting:
            connection.event_waiting = 0
            connection.event_wait_lock.release()
        if connection.request_waiting:
            connection.request_waiting = 0
            connection.request_wait_lock.release()
    finally:
        connection.send_recv_lock.release()


def _knows_layout(display_class: type) -> bool:
    init_names = display_class.__init__.__code__.co_names
    return all(name in init_names for name in _STATE)
