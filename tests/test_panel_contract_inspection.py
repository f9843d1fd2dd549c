"""The inspection page's wire fixtures match what the real server sends (see tests/test_panel_contract.py):
a run with one executed suggestion and one of each kind of reason values, and the list of runs."""

from __future__ import annotations

from tests.client import call
from tests.conftest import CPA_KEY, wait_until
from tests.test_panel_contract import check_fixture


def test_inspection_fixtures_match_the_server(start_app, cpa) -> None:
    cpa.credentials.clear()
    cpa.quota_accounts.add("codex", "alice@example.com")
    cpa.quota_accounts.add("codex", "bob@example.com", "exhausted")
    cpa.quota_accounts.add("codex", "carol@example.com", "rate_limited")
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY, "USAGE_POLL_INTERVAL_MS": "50"})
    wait_until(lambda: app.controller.collector_status().state == "running", message="collection running")
    run_id = call("POST", f"{app.base_url}/inspection/runs", key=CPA_KEY, json_body={}).json["run"]["id"]
    url = f"{app.base_url}/inspection/runs/{run_id}"
    wait_until(lambda: call("GET", url, key=CPA_KEY).json["run"]["state"] == "finished", message="the run")
    executed = call("POST", f"{url}/execute", key=CPA_KEY, json_body={"all": True, "confirm": True})
    assert executed.status == 200
    check_fixture("inspection-execute.json", executed.json)
    check_fixture("inspection-run.json", call("GET", url, key=CPA_KEY).json)
    check_fixture("inspection-runs.json", call("GET", f"{app.base_url}/inspection/runs", key=CPA_KEY).json)
