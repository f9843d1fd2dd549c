"""Redraw the real tray icon from another thread many times; run as `python -m tests.tray_redraws N`.

Exits 0 once all N redraws returned. A redraw that never returns (the xorg tray frozen) keeps it
running, so the caller's deadline catches it.
"""

from __future__ import annotations

import sys
import threading

from cpa_manager_desktop.desktop.menu import TrayState
from cpa_manager_desktop.desktop.tray import TrayIcon, load_pystray

STATES = ("running", "paused", "error")


def main(redraws: int) -> int:
    tray = TrayIcon(load_pystray(), post=lambda _command: None)
    finished = threading.Event()

    def redraw() -> None:
        for number in range(redraws):
            tray.show(TrayState(collector_state=STATES[number % len(STATES)], configured=True, events_today=number))
        finished.set()
        tray.stop()

    tray.run(on_ready=lambda: threading.Thread(target=redraw, name="redraw", daemon=True).start())
    return 0 if finished.is_set() else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
