"""The alert API on the real server: an alert from the CPA double (publishing off), acknowledge, settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cpa_manager_desktop.app import App
from tests.client import assert_error, call
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble


@pytest.fixture
def quiet_cpa() -> Iterator[CpaDouble]:
    double = CpaDouble(KEY, usage_statistics_enabled=False).start()
    yield double
    double.stop()


def alerting_app(start_app: Callable[..., App], cpa: CpaDouble) -> App:
    """The app collecting from a CPA that does not publish usage, once the watch thread has judged it."""
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})
    assert app.collector.wait_for(lambda s: s.health.usage_statistics_enabled is False, 10)
    assert app.watch is not None
    app.watch.tick_once()
    return app


def get(app: App, path: str) -> Any:
    reply = call("GET", f"{app.base_url}{path}", key=KEY)
    assert reply.status == 200, reply.body
    return reply.json


def test_publishing_off_is_listed_and_acknowledged(start_app: Callable[..., App], quiet_cpa: CpaDouble) -> None:
    app = alerting_app(start_app, quiet_cpa)
    [alert] = get(app, "/alerts")["alerts"]
    opened = alert["opened_at"]
    assert alert == {
        "id": alert["id"], "kind": "publishing_off", "subject": "", "subject_label": "",
        "title": "CPA is not publishing usage",
        "message": "usage-statistics-enabled is off on CPA, so nothing can be collected. Turn it on in the panel.",
        "facts": {}, "open": True, "opened_at": opened, "cleared_at": None, "acknowledged": False,
        "acknowledged_at": None, "evidence": {"start": opened - 3600, "end": None, "filters": {}}}
    assert call("GET", f"{app.base_url}/alerts").status == 401

    reply = call("POST", f"{app.base_url}/alerts/{alert['id']}/acknowledge", key=KEY)
    assert reply.status == 200 and reply.json["alert"]["acknowledged"] is True
    assert get(app, "/alerts")["alerts"][0]["acknowledged_at"] == reply.json["alert"]["acknowledged_at"]
    assert_error(call("POST", f"{app.base_url}/alerts/9999/acknowledge", key=KEY), 404, "There is no alert 9999")
    assert_error(call("POST", f"{app.base_url}/alerts/first/acknowledge", key=KEY), 400,
                 "The alert id must be a whole number")


def test_settings_are_validated_saved_and_switching_a_kind_off_clears_it(
        start_app: Callable[..., App], quiet_cpa: CpaDouble) -> None:
    app = alerting_app(start_app, quiet_cpa)
    settings = get(app, "/alerts/settings")
    assert settings["kinds"] == {k: True for k in ("stalled", "unreachable", "stopped", "publishing_off", "idle",
                                                   "data_gap", "failure_spike", "spend_spike")}
    assert settings["thresholds"] == {
        "unreachable_after_seconds": 60, "idle_after_hours": 6, "failure_min_requests": 20, "failure_factor": 3,
        "failure_points": 20, "spend_factor": 3, "spend_floor_usd": 1, "renotify_minutes": 30}
    assert [t["name"] for t in settings["limits"]] == list(settings["thresholds"])

    refused = call("PUT", f"{app.base_url}/alerts/settings", key=KEY, json_body={"thresholds": {"failure_factor": -2}})
    assert_error(refused, 400, "failure_factor must be a number from 1 to 100")
    assert get(app, "/alerts/settings") == settings

    changed = call("PUT", f"{app.base_url}/alerts/settings", key=KEY,
                   json_body={"kinds": {"publishing_off": False}, "thresholds": {"spend_floor_usd": 5}})
    assert changed.status == 200
    assert (changed.json["kinds"]["publishing_off"], changed.json["thresholds"]["spend_floor_usd"]) == (False, 5)
    assert get(app, "/alerts/settings") == changed.json
    [alert] = get(app, "/alerts")["alerts"]
    assert (alert["open"], alert["cleared_at"] is not None) == (False, True)
    app.watch.tick_once()
    assert len(get(app, "/alerts")["alerts"]) == 1
