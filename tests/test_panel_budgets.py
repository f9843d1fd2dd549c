"""The budgets page in Chromium against the real server fed by the CPA double: create a budget and see its
progress from delivered events, the server's sentence for a bad value, edit, the dashboard card, delete."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from playwright.sync_api import Page, expect

from cpa_manager_desktop.app import App
from cpa_manager_desktop.store.prices import Price, PriceStore
from tests.browser import go_to, log_in, wait_stored
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble, make_record

PRICED = "budget-browser-model"     # priced below at $1 per request: 1,000 input tokens at $1,000 per 1M


def dollar_requests(first: int, count: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC).replace(microsecond=0)
    return [make_record(provider="codex", model=PRICED, seq=i, request_id=f"budget-{i:02d}", timestamp=now,
                        tokens={"input": 1000, "output": 0}) for i in range(first, first + count)]


def unpriced_requests(count: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC).replace(microsecond=0)
    return [make_record(provider="claude", model="budget-browser-unpriced", seq=50 + i, request_id=f"unpriced-{i}",
                        timestamp=now, tokens={"input": 10, "output": 10}) for i in range(count)]


def collecting_app(start_app: Callable[..., App], cpa: CpaDouble) -> App:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})
    PriceStore(app.db).upsert([Price(PRICED, input_per_1m=1000.0, output_per_1m=0.0)])
    return app


def create(page: Page, *, period: str, limit: str, scope: str, value: str | None = None) -> None:
    form = page.get_by_role("region", name="New budget")
    form.get_by_label("Period", exact=True).select_option(label=period)
    form.get_by_label("Limit (USD)", exact=True).fill(limit)
    form.get_by_label("Applies to", exact=True).select_option(label=scope)
    if value is not None:
        form.get_by_label("Provider", exact=True).select_option(label=value)
    form.get_by_role("button", name="Create budget").click()


def test_budgets_page_create_progress_edit_dashboard_and_delete(page: Page, start_app, cpa: CpaDouble) -> None:
    app = collecting_app(start_app, cpa)
    cpa.enqueue(*dollar_requests(0, 3), *unpriced_requests(2))
    wait_stored(app.base_url, KEY, 5)
    log_in(page, app.base_url, KEY)
    expect(page.get_by_role("region", name="Budgets")).to_have_count(0)   # no card until a budget exists
    go_to(page, "Budgets", "Budgets")
    expect(page.get_by_text("No budgets yet. Create one below.")).to_be_visible()

    create(page, period="Daily", limit="-5", scope="One provider", value="codex")
    expect(page.get_by_role("alert")).to_have_text(
        "Not saved: The limit cannot be negative; give an amount in US dollars above 0")
    create(page, period="Daily", limit="10", scope="One provider", value="codex")
    codex = page.get_by_role("progressbar", name="Daily budget · Provider codex")
    expect(codex).to_have_attribute("aria-valuetext", "$3.00 of $10.00 (30.0%)")
    expect(page.get_by_role("status").filter(has_text="Budget created.")).to_be_visible()

    cpa.enqueue(*dollar_requests(3, 3))                  # three more dollars, through the collector
    wait_stored(app.base_url, KEY, 8)
    page.get_by_role("button", name="Refresh", exact=True).click()
    expect(codex).to_have_attribute("aria-valuetext", "$6.00 of $10.00 (60.0%)")

    page.get_by_role("button", name="Edit Daily budget · Provider codex").click()
    edit = page.get_by_role("region", name="Edit budget")
    expect(edit.get_by_label("Limit (USD)", exact=True)).to_have_value("10")
    edit.get_by_label("Thresholds (%)", exact=True).fill("50, 100, 80")
    edit.get_by_role("button", name="Save changes").click()
    expect(edit.get_by_role("alert")).to_have_text("Not saved: Thresholds must be in ascending order, each once")
    edit.get_by_label("Limit (USD)", exact=True).fill("8")
    edit.get_by_label("Thresholds (%)", exact=True).fill("25, 50, 90")
    edit.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Budget saved.")).to_be_visible()
    expect(codex).to_have_attribute("aria-valuetext", "$6.00 of $8.00 (75.0%)")
    item = page.get_by_role("listitem").filter(has=codex)
    expect(item.get_by_role("list", name="Thresholds:").get_by_role("listitem")).to_have_text(
        ["25% reached", "50% reached", "90% not reached"])

    create(page, period="Monthly", limit="100", scope="All usage")
    overall = page.get_by_role("progressbar", name="Monthly budget · All usage")
    expect(overall).to_have_attribute("aria-valuetext", "$6.00 of $100.00 (6.0%)")
    expect(page.get_by_role("listitem").filter(has=overall)).to_contain_text(
        "2 unpriced requests are not counted: their models have no price.")
    # Period bounds to the minute in the browser's locale (en-US): "Dec 1, 2026, 12:00 AM", no seconds.
    minute = r"\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M"
    expect(page.get_by_role("listitem").filter(has=overall)).to_contain_text(
        re.compile(rf"This period: {minute}\s–\s{minute}"))

    go_to(page, "Dashboard", "Dashboard")
    card = page.get_by_role("region", name="Budgets")
    expect(card.get_by_role("progressbar")).to_have_count(2)
    expect(card.get_by_role("progressbar").first).to_have_accessible_name("Daily budget · Provider codex")
    card.get_by_role("link", name="Manage budgets").click()
    expect(page.get_by_role("heading", level=1, name="Budgets", exact=True)).to_be_visible()

    page.get_by_role("button", name="Delete Monthly budget · All usage").click()
    page.get_by_role("dialog", name="Delete this budget?").get_by_role("button", name="Delete budget").click()
    expect(page.get_by_role("progressbar", name="Monthly budget · All usage")).to_have_count(0)
    stored = call("GET", f"{app.base_url}/budgets", key=KEY).json["budgets"]
    assert [(b["period"], b["limitUsd"], b["scope"]["value"], b["thresholds"], b["crossed"]) for b in stored] == [
        ("daily", 8.0, "codex", [25, 50, 90], [25, 50])]
