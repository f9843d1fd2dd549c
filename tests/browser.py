"""Browser fixtures and helpers for the panel tests: Playwright driving Debian's Chromium (no downloaded browser).

One Chromium per test session; every test gets a fresh context (own storage, cookies, downloads) and page.
conftest.py registers the fixtures once (two modules each importing a session fixture would start two
Playwrights); tests ask for them as `browser` and `page`. Elements are found by role and
accessible name, with the English strings from panel/src/i18n/en.ts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, Playwright, expect, sync_playwright

from tests.client import call
from tests.conftest import wait_until

# Debian's launcher script; it execs /usr/lib/chromium/chromium with the distribution's flags.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
]
TIMEOUT_MS = 10_000
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session", name="playwright_session")
def playwright_fixture() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session", name="browser")
def browser_fixture(playwright_session: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    chromium = playwright_session.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


@pytest.fixture(name="page")
def page_fixture(browser: Browser) -> Iterator[Page]:
    """A fresh context per test: English, UTC, light colour scheme, downloads allowed."""
    context = browser.new_context(locale="en-US", timezone_id="UTC", color_scheme="light", viewport=VIEWPORT,
                                  accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


# --- the panel ---------------------------------------------------------------------------------------------


def panel_url(base_url: str, route: str = "") -> str:
    return f"{base_url}/management.html" + (f"#/{route}" if route else "")


def nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main navigation")


def go_to(page: Page, link: str, heading: str) -> None:
    """Follow a sidebar link and wait for the page's heading."""
    nav(page).get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=heading, exact=True)).to_be_visible()


def log_in(page: Page, base_url: str, key: str) -> None:
    """Sign in to an already set-up server through the login page; ends on the dashboard."""
    page.goto(panel_url(base_url))
    expect(page.get_by_role("heading", name="Sign in to CPA Manager")).to_be_visible()
    page.get_by_label("Management Key", exact=True).fill(key)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Dashboard", exact=True)).to_be_visible()


def kpi_region(page: Page) -> Locator:
    return page.get_by_role("region", name="Key figures")


def kpi_value(page: Page, label: str) -> Locator:
    """The value of the monitoring KPI card with this label (the span after the label's span)."""
    return kpi_region(page).get_by_text(label, exact=True).locator("xpath=following-sibling::span[1]")


def kpi_detail(page: Page, label: str) -> Locator:
    return kpi_region(page).get_by_text(label, exact=True).locator("xpath=following-sibling::span[2]")


def kpi_cards(page: Page) -> list[str]:
    """Every KPI card's text (label, value, detail), once the summary has loaded."""
    region = kpi_region(page)
    expect(region).to_have_attribute("aria-busy", "false")
    return [re.sub(r"\s+", " ", text).strip() for text in region.locator(":scope > div > div").all_inner_texts()]


def report_value(scope: Locator, term: str) -> Locator:
    """The <dd> after the <dt> with this text, in a description list."""
    return scope.locator("dt", has_text=re.compile(f"^{re.escape(term)}$")).locator("xpath=following-sibling::dd[1]")


# --- the server --------------------------------------------------------------------------------------------


def wait_stored(base_url: str, key: str, events: int, timeout_s: float = 20.0) -> None:
    """Poll /status until the service has stored exactly `events` events."""
    def stored() -> bool:
        reply = call("GET", f"{base_url}/status", key=key)
        return reply.status == 200 and reply.json["events"] == events
    wait_until(stored, timeout_s, f"{events} stored events in /status")
