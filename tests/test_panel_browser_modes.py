"""The built panel in Chromium: CPA panel mode, the "why is it empty?" checklist, and account names.

CPA panel mode runs the panel the way users drop it into CPA: the CPA double serves assets/management.html
from its own origin, and CPA Manager is connected as the external usage service (cross-origin, allowed by
USAGE_CORS_ORIGINS).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.browser import (
    go_to,
    kpi_value,
    log_in,
    nav,
    panel_url,
    wait_stored,
)
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble, make_record

PANEL = Path(__file__).resolve().parents[1] / "assets" / "management.html"


def check_item(page: Page, title: str) -> Locator:
    """One checklist entry, found by the start of its heading (the heading ends with the check's state)."""
    heading = page.get_by_role("heading", level=2, name=re.compile(f"^{re.escape(title)}"))
    return page.get_by_role("listitem").filter(has=heading)


def records(sources: list[str], model: str = "gpt-5.4") -> list[dict[str, Any]]:
    now = datetime.now(UTC).replace(microsecond=0)
    return [make_record(provider="codex", model=model, source=source, seq=i, request_id=f"mode-{i:02d}",
                        timestamp=now - timedelta(minutes=i + 1), auth_type="oauth")
            for i, source in enumerate(sources)]


def test_cpa_panel_mode_signs_in_to_cpa_and_connects_the_usage_service(page: Page, start_app) -> None:
    cpa = CpaDouble(KEY, management_html=PANEL.read_bytes()).start()
    try:
        cpa.enqueue(*records(["alice@example.com"] * 4))
        app = start_app({"USAGE_CORS_ORIGINS": cpa.base_url, "USAGE_POLL_INTERVAL_MS": "50"})

        # Served by CPA: no /usage-service/info there, so the panel signs in to CPA itself.
        page.goto(f"{cpa.base_url}/management.html")
        expect(page.get_by_role("heading", name="Sign in to CLIProxyAPI")).to_be_visible()
        page.get_by_label("Management Key", exact=True).fill("wrong-key")
        page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text("CPA blocks this address for 30 minutes")
        assert cpa.auth_failures() == 1
        page.get_by_label("Management Key", exact=True).fill(KEY)
        page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page.get_by_role("heading", level=1, name="Dashboard", exact=True)).to_be_visible()
        expect(page.get_by_text("CPA v7.2.140", exact=True)).to_be_visible()

        # No usage service yet: usage pages explain instead of failing.
        nav(page).get_by_role("link", name="Monitoring", exact=True).click()
        expect(page.get_by_text("No usage service connected")).to_be_visible()
        assert call("GET", f"{app.base_url}/status", key=KEY).json["configured"] is False

        go_to(page, "Settings", "Settings")
        page.get_by_label("Usage service address").fill(app.base_url)
        page.get_by_role("button", name="Check", exact=True).click()
        expect(page.get_by_text("not yet connected to a CPA")).to_be_visible()
        page.get_by_role("button", name="Save and connect").click()
        expect(page.get_by_text(f"Connected to {app.base_url}.")).to_be_visible()
        status = call("GET", f"{app.base_url}/status", key=KEY).json
        assert status["configured"] is True and status["collector"]["upstream"] == cpa.base_url

        wait_stored(app.base_url, KEY, 4)
        go_to(page, "Monitoring", "Request monitoring")
        expect(kpi_value(page, "Requests")).to_have_text("4")

        # The connection survives a reload (the URL is a preference; the key stays in this tab's session).
        page.reload()
        expect(kpi_value(page, "Requests")).to_have_text("4")
        assert page.evaluate("() => localStorage.getItem('cpa-manager:usage-service-url')") == app.base_url
    finally:
        cpa.stop()


def test_checklist_finds_publishing_off_and_fixes_it(page: Page, start_app) -> None:
    cpa = CpaDouble(KEY, usage_statistics_enabled=False).start()
    try:
        app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})
        log_in(page, app.base_url, KEY)
        go_to(page, "Why is it empty?", "Why is monitoring empty?")
        cause = page.get_by_role("alert").filter(has_text="Most likely cause")
        expect(cause).to_contain_text("usage-statistics-enabled is off")
        publishing = check_item(page, "Usage publishing")
        expect(publishing).to_contain_text("Problem")

        publishing.get_by_role("button", name="Turn on usage publishing").click()
        expect(publishing).to_contain_text("OK")
        assert cpa.usage_statistics_enabled is True
        expect(check_item(page, "Collector")).to_contain_text("OK")
    finally:
        cpa.stop()


def test_paused_collection_is_found_and_resumed_from_the_checklist(page: Page, start_app, cpa: CpaDouble) -> None:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})
    assert call("POST", f"{app.base_url}/collector/pause", key=KEY).status == 200
    log_in(page, app.base_url, KEY)
    go_to(page, "Why is it empty?", "Why is monitoring empty?")
    collector = check_item(page, "Collector")
    expect(collector).to_contain_text("Check")
    collector.get_by_role("button", name="Resume collection").click()
    expect(collector).to_contain_text("OK")
    assert call("GET", f"{app.base_url}/status", key=KEY).json["collector"]["collector"] == "running"


def test_accounts_that_mask_alike_are_told_apart_and_can_be_revealed(page: Page, start_app, cpa: CpaDouble) -> None:
    # alice@ is one of CPA's auth files; alicia@ is not, so only the service's masked label is known for it.
    cpa.enqueue(*records(["alice@example.com", "alice@example.com", "alicia@example.com"]))
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})
    wait_stored(app.base_url, KEY, 3)
    log_in(page, app.base_url, KEY)
    page.goto(panel_url(app.base_url, "monitoring"))
    # The request chart's text alternative carries its numbers.
    chart_text = re.compile(r"^Requests\. Requests: total 3, peak [1-3] at .*; Failures: none")
    expect(page.get_by_role("img", name=chart_text)).to_be_visible()
    breakdown = page.get_by_role("region", name="Breakdown")
    breakdown.get_by_role("group", name="Group by").get_by_role("button", name="Account").click()
    names = breakdown.locator("tbody td:first-child")
    expect(names).to_have_count(2)
    labels = sorted(names.all_inner_texts())
    assert len(set(labels)) == 2 and all(label.startswith("ali***@example.com · ") for label in labels), labels

    page.get_by_role("button", name="Show account names").click()
    expect(breakdown.get_by_text("alice@example.com", exact=True)).to_be_visible()
    expect(breakdown.get_by_text("ali***@example.com", exact=True)).to_be_visible()
    account_filter = page.get_by_role("combobox", name="Account")
    expect(account_filter.locator("option", has_text="alice@example.com")).to_have_count(1)
