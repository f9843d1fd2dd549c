"""Retention in the built panel (Chromium, real server, CPA double): Settings shows the database figures and
sets the retention; once the watch thread folded the old events, Monitoring still counts them and its event
list says where raw events end. Light and dark both render the card."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser import go_to, kpi_value, log_in, report_value, wait_stored
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.conftest import wait_until
from tests.cpa_double import CpaDouble
from tests.test_panel_browser_polish import records_at


def storage(base_url: str) -> dict:
    return call("GET", f"{base_url}/maintenance/storage", key=KEY).json


def test_settings_sets_retention_and_monitoring_keeps_the_totals(page: Page, start_app, cpa: CpaDouble) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    recs = records_at(now - timedelta(days=40), 4) + [
        {**r, "request_id": f"recent-{i}"} for i, r in enumerate(records_at(now - timedelta(hours=2), 2))]
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})
    cpa.enqueue(*recs)
    wait_stored(app.base_url, KEY, len(recs))
    log_in(page, app.base_url, KEY)
    go_to(page, "Settings", "Settings")

    card = page.get_by_role("region", name="Storage and retention")
    expect(report_value(card, "Events")).to_have_text("6 raw, 0 in hourly totals")
    for bad in ("-1", "99999"):
        card.get_by_label("Keep raw events for (days)").fill(bad)
        card.get_by_role("button", name="Save retention").click()
        expect(card.get_by_text("Enter a whole number of days from 1 to 3,650")).to_be_visible()
    card.get_by_label("Keep raw events for (days)").fill("30")
    card.get_by_role("button", name="Save retention").click()
    expect(card.get_by_text("Retention saved.")).to_be_visible()
    assert storage(app.base_url)["retention"]["days"] == 30

    # The watch thread's next tick (every 15 s) folds the four 40-day-old events.
    wait_until(lambda: storage(app.base_url)["aggregatedEvents"] == 4, 40, "the old events to be folded")
    page.reload()
    expect(report_value(card, "Events")).to_have_text("2 raw, 4 in hourly totals")
    for scheme in ("dark", "light"):
        page.emulate_media(color_scheme=scheme)
        expect(card).to_be_visible()

    go_to(page, "Monitoring", "Request monitoring")
    page.get_by_role("button", name="All", exact=True).click()
    expect(kpi_value(page, "Requests")).to_have_text("6")
    events = page.get_by_role("region", name="Recent events")
    expect(events.get_by_text("were folded into hourly totals")).to_be_visible()
    expect(events.locator("tbody tr")).to_have_count(2)
