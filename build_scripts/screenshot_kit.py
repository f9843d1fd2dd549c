"""What every README screenshot script shares: the output folder argument, the app running against the CPA
double (from source in a subprocess on a free port, or in this process when a script needs its database),
and a signed-in Chromium page (Debian's, with the tests' flags from tests/browser.py).

The scripts import this file by name (they run as `python build_scripts/<script>.py`, so this folder is on
sys.path); importing it puts the repository root on sys.path too, so `tests` and `cpa_manager_desktop` load.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests import conftest  # noqa: E402  (first: it loads tests.browser, which needs it, in that order)
from tests.browser import CHROMIUM, CHROMIUM_ARGS, log_in  # noqa: E402
from tests.cpa_double import CpaDouble  # noqa: E402
from tests.processes import free_port, healthy, launch  # noqa: E402

if TYPE_CHECKING:
    from cpa_manager_desktop.app import App

KEY = "screenshot-management-key"
SHOTS = ROOT / "docs" / "screenshots"
WIDTH = 1280
FAST_POLL = {"USAGE_POLL_INTERVAL_MS": "50"}   # collect the double's queue within a moment


def out_dir(doc: str) -> Path:
    """The --out folder from the command line (docs/screenshots by default); `doc` is the script's docstring."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SHOTS)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    return out


def require_panel() -> None:
    if not (ROOT / "assets" / "management.html").exists():
        raise SystemExit("build the panel first: cd panel && npm run build")


def app_env(cpa: CpaDouble, *, fast_poll: bool) -> dict[str, str]:
    return {"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, **(FAST_POLL if fast_poll else {})}


@contextmanager
def app_from_source(cpa: CpaDouble, *, fast_poll: bool = False) -> Iterator[str]:
    """`python -m cpa_manager_desktop` on a free port against the double, in a fresh config folder, until the
    block ends; yields its base URL once /health answers."""
    require_panel()
    with tempfile.TemporaryDirectory(prefix="shot-") as work:
        port = free_port()
        app = launch(Path(work) / "config.json", port, env=app_env(cpa, fast_poll=fast_poll),
                     stdout=subprocess.DEVNULL)
        try:
            conftest.wait_until(lambda: healthy(port), 20, "the app")
            yield f"http://127.0.0.1:{port}"
        finally:
            app.terminate()
            app.wait(20)


@contextmanager
def app_in_process(cpa: CpaDouble, *, fast_poll: bool = True) -> Iterator[App]:
    """The app built and started in this process (for scripts that reach its database or watch thread)."""
    from cpa_manager_desktop import paths
    from cpa_manager_desktop.app import build_app
    from cpa_manager_desktop.config import Overrides, load_settings

    require_panel()
    with tempfile.TemporaryDirectory(prefix="shot-") as work:
        base = paths.BaseDirs(config_dir=Path(work), default_data_dir=Path(work) / "data", is_portable=True)
        app = build_app(load_settings(Overrides(http_addr="127.0.0.1:0"), env=app_env(cpa, fast_poll=fast_poll),
                                      base=base))
        app.start()
        try:
            yield app
        finally:
            app.stop()


@contextmanager
def signed_in(base_url: str, *, height: int, width: int = WIDTH, **context: str) -> Iterator[Page]:
    """A light-themed Chromium page of this size, signed in to the panel (on the dashboard). `context` passes
    browser-context options such as locale or timezone_id."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, color_scheme="light", **context)
            log_in(page, base_url, KEY)
            yield page
        finally:
            browser.close()
