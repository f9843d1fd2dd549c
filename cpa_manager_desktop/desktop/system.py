"""Operating-system glue for the desktop shell: open a URL or a folder, find Downloads."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import webbrowser
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)


def open_url(url: str) -> None:
    if not webbrowser.open(url):
        log.warning("no browser could be opened; visit %s", url)


def open_folder(folder: Path) -> None:
    """Show a folder in the file manager, without blocking and without a console window."""
    try:
        if sys.platform == "win32":
            os.startfile(folder)  # type: ignore[attr-defined]
            return
        opener = "open" if sys.platform == "darwin" else "xdg-open"
        subprocess.Popen([opener, str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        log.warning("could not open folder %s: %s", folder, exc.strerror or exc)


def downloads_dir() -> Path:
    folder = Path(platformdirs.user_downloads_dir())
    return folder if folder.is_dir() else Path.home()
