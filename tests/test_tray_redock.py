"""A system tray that starts after the app (issue 11 §8): the log says the app is waiting, and the icon
docks and shows once the tray host appears — again after the host restarts."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import wait_until
from tests.processes import free_port, launch, log_text
from tests.test_desktop_process import display_accepts_clients, start_tray_host, stop, tray_manager_running


@pytest.fixture
def bare_display() -> Iterator[str]:
    """A private virtual display with no system tray on it yet."""
    for tool, package in (("Xvfb", "xvfb"), ("trayer", "trayer")):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is required (Debian package {package}); .ci/run installs it")
    command = ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        display = f":{server.stdout.readline().strip()}"
        wait_until(lambda: display_accepts_clients(display), 20, f"Xvfb {display} to accept clients")
        yield display
    finally:
        server.terminate()
        server.wait(10)


def icon_docked_and_visible(display: str) -> bool:
    """True when our icon window sits inside another window (the tray) and is viewable."""
    from Xlib import X
    from Xlib.display import Display

    connection = Display(display)
    try:
        root = connection.screen().root
        pending = list(root.query_tree().children)
        while pending:
            window = pending.pop()
            try:
                wm_class = window.get_wm_class()
                tree = window.query_tree()
                attributes = window.get_attributes()
            except Exception:  # a window vanished while we looked
                continue
            # pystray names its window class "<name>SystemTrayIcon", instance "<name>".
            if wm_class and "cpa-manager" in wm_class and tree.parent.id != root.id:
                return attributes.map_state == X.IsViewable
            pending += tree.children
        return False
    finally:
        connection.close()


def test_the_icon_docks_when_the_tray_starts_after_the_app(tmp_path: Path, bare_display: str) -> None:
    config, port = tmp_path / "config.json", free_port()
    app = launch(config, port, headless=False, env={"DISPLAY": bare_display, "PYSTRAY_BACKEND": "xorg"})
    tray_host = None
    try:
        wait_until(lambda: "waiting for one, the icon appears when it starts" in log_text(config), 30,
                   "the log to say it waits for a tray")
        assert not icon_docked_and_visible(bare_display)
        tray_host = start_tray_host(bare_display)
        wait_until(lambda: tray_manager_running(bare_display), 20, "trayer to own the system tray")
        wait_until(lambda: icon_docked_and_visible(bare_display), 20, "the icon to dock in the new tray")
        # The tray host restarts (a desktop session restarting its panel): the icon comes back.
        tray_host.terminate()
        tray_host.wait(10)
        tray_host = start_tray_host(bare_display)
        wait_until(lambda: tray_manager_running(bare_display), 20, "trayer to own the system tray again")
        wait_until(lambda: icon_docked_and_visible(bare_display), 20, "the icon to dock in the restarted tray")
        assert "tray icon docked" in log_text(config)
    finally:
        assert stop(app) == 0
        if tray_host is not None:
            tray_host.terminate()
            tray_host.wait(10)
