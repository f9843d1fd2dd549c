"""The Settings page's two quota-notification switches in Chromium, against the real server: off by default,
a click saves the switch the tray reads, and a reload shows what was saved.

Build the panel first (`cd panel && npm run build`): the tests serve assets/management.html.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from cpa_manager_desktop.app import App
from tests.browser import go_to, log_in
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.conftest import wait_until

EXHAUSTED = "When every credential of a provider is out of quota (once, until one of them recovers)"
RESET = "When a credential's quota comes back (a window that was at least 90 % used resets)"


def test_switches_start_off_and_a_click_is_saved(page: Page, start_app: Callable[..., App], cpa) -> None:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY})
    log_in(page, app.base_url, KEY)
    go_to(page, "Settings", "Settings")
    exhausted = page.get_by_role("checkbox", name=EXHAUSTED)
    expect(exhausted).not_to_be_checked()
    expect(page.get_by_role("checkbox", name=RESET)).not_to_be_checked()
    exhausted.check()
    wait_until(lambda: call("GET", f"{app.base_url}/quota/notifications", key=KEY).json["on_provider_exhausted"],
               message="the switch saved")
    page.reload()
    expect(page.get_by_role("checkbox", name=EXHAUSTED)).to_be_checked()
    expect(page.get_by_role("checkbox", name=RESET)).not_to_be_checked()
