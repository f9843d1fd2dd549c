"""The alerts page in the built panel in Chromium, against the real server: an alert raised by the CPA
double (publishing off) or by stored failures, its evidence link, acknowledge, and switching a kind off."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from cpa_manager_desktop.app import App
from cpa_manager_desktop.config import Settings
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from tests.browser import go_to, kpi_value, log_in
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.conftest import wait_until
from tests.cpa_double import CpaDouble, make_record

ENV = {"USAGE_POLL_INTERVAL_MS": "50"}


@pytest.fixture
def quiet_cpa() -> Iterator[CpaDouble]:
    double = CpaDouble(KEY, usage_statistics_enabled=False).start()
    yield double
    double.stop()


def collecting(start_app: Callable[..., App], cpa: CpaDouble) -> App:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, **ENV})
    assert app.collector.wait_for(lambda s: s.health.usage_statistics_enabled is not None, 10)
    return app


def alerts_json(app: App) -> list[dict]:
    return call("GET", f"{app.base_url}/alerts", key=KEY).json["alerts"]


def test_publishing_off_shows_is_acknowledged_and_its_switch_turns_it_off(
        page: Page, start_app: Callable[..., App], quiet_cpa: CpaDouble) -> None:
    app = collecting(start_app, quiet_cpa)
    assert app.watch is not None
    app.watch.tick_once()
    log_in(page, app.base_url, KEY)
    go_to(page, "Alerts", "Alerts")

    item = page.get_by_role("article", name="CPA is not publishing usage")
    expect(item).to_contain_text("usage-statistics-enabled is off on CPA, so nothing can be collected.")
    expect(item.get_by_text("Open", exact=True)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="open")).to_have_text("1 open")
    expect(item.get_by_role("link", name="Show in monitoring")).to_have_attribute(
        "href", re.compile(r"^#/monitoring\?range=custom&from=\d{4}-\d\d-\d\dT\d\d%3A\d\d&to="))

    item.get_by_role("button", name="Acknowledge").click()
    expect(item.get_by_text("Acknowledged", exact=True)).to_be_visible()
    expect(item.get_by_role("button", name="Acknowledge")).to_have_count(0)
    assert alerts_json(app)[0]["acknowledged"] is True

    page.get_by_role("checkbox", name="CPA is not publishing usage", exact=True).uncheck()
    page.get_by_role("button", name="Save alert settings").click()
    expect(page.get_by_text("Alert settings saved.")).to_be_visible()
    expect(item.get_by_text("Cleared", exact=True)).to_be_visible()
    expect(page.get_by_role("checkbox", name="CPA is not publishing usage", exact=True)).not_to_be_checked()
    assert call("GET", f"{app.base_url}/alerts/settings", key=KEY).json["kinds"]["publishing_off"] is False
    app.watch.tick_once()
    assert [a["open"] for a in alerts_json(app)] == [False]


def test_a_failing_credential_links_to_its_failures_in_monitoring(
        page: Page, make_settings: Callable[..., Settings], start_app: Callable[..., App], cpa: CpaDouble) -> None:
    env = {"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, **ENV}
    # Stored before the app starts, so the watch thread's first pass (at start) judges them.
    now = datetime.now(UTC).replace(microsecond=0)
    db = Database(make_settings(env).db_path)
    # A healthy history first: a credential with no baseline is not judged.
    EventStore(db).add_batch([classify(make_record(seq=100 + n, request_id=f"usual-{n:03d}",
                                                   source="alice@example.com",
                                                   timestamp=now - timedelta(days=2, seconds=n)))
                              for n in range(40)])
    EventStore(db).add_batch([classify(make_record(seq=n, request_id=f"spike-{n:03d}", source="alice@example.com",
                                                   failed=n % 2 == 0, timestamp=now - timedelta(minutes=30, seconds=n)))
                              for n in range(40)])
    db.close()
    app = start_app(env)
    wait_until(lambda: alerts_json(app), 10, "the failure spike in /alerts")
    log_in(page, app.base_url, KEY)
    go_to(page, "Alerts", "Alerts")

    item = page.get_by_role("article", name="Credential ali***@example.com failing more than usual")
    expect(item).to_contain_text("50.0% of 40 requests failed in the last hour, against 0% over the previous 7 days.")
    item.get_by_role("link", name="Show in monitoring").click()
    expect(page.get_by_role("heading", level=1, name="Request monitoring")).to_be_visible()
    assert "account=" in page.url and "range=custom" in page.url
    expect(kpi_value(page, "Requests")).to_have_text("40")
