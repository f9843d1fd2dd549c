"""POST /setup against the CPA double: validation, idempotence, rotation, and the ban guard."""

from __future__ import annotations

from cpa_manager_desktop.app import App
from tests.client import assert_error, call
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble, records


def config_checks(cpa: CpaDouble) -> int:
    return sum(1 for r in cpa.recorded() if r.path == "/v0/management/config")


def setup(app: App, url: str, key: str, bearer: str | None = None):
    return call("POST", f"{app.base_url}/setup", key=bearer, json_body={"cpaBaseUrl": url, "managementKey": key})


def test_setup_validates_saves_and_starts_collecting(start_app, cpa: CpaDouble) -> None:
    app = start_app()
    cpa.enqueue(*records.mixed_records(50, seed=9))
    reply = setup(app, f"{cpa.base_url}/v0/management/", KEY)
    assert reply.status == 200
    assert reply.json == {"ok": True, "upstream": cpa.base_url, "changed": True, "warnings": []}
    assert app.collector.wait_for(lambda s: s.total_inserted == 50, 15)
    assert_error(call("GET", f"{app.base_url}/status"), 401, "invalid management key")
    assert call("GET", f"{app.base_url}/status", key=KEY).json["setupSource"] == "saved"


def test_unchanged_setup_does_not_revalidate_or_restart(start_app, cpa: CpaDouble) -> None:
    app = start_app()
    assert setup(app, cpa.base_url, KEY).status == 200
    # The collector's own health check also reads /config; let it finish before counting.
    assert app.collector.wait_for(lambda s: s.state == "running" and s.health.checked_ms > 0, 10)
    checks, started = config_checks(cpa), app.controller.collector_status()
    again = setup(app, cpa.base_url, KEY)
    assert again.status == 200 and again.json["changed"] is False
    assert config_checks(cpa) == checks
    assert app.controller.collector_status().state == "running"
    assert app.controller.collector_status().total_popped >= started.total_popped


def test_wrong_key_is_refused_with_one_failed_login(start_app, cpa: CpaDouble) -> None:
    app = start_app()
    assert_error(setup(app, cpa.base_url, "wrong"), 401, "CPA rejected the Management Key")
    assert cpa.auth_failures() == 1
    assert call("GET", f"{app.base_url}/status").json["configured"] is False


def test_ban_guard_refuses_the_fifth_wrong_key(start_app, cpa: CpaDouble) -> None:
    app = start_app()
    for attempt in range(4):
        assert setup(app, cpa.base_url, f"wrong-{attempt}").status == 401
    assert_error(setup(app, cpa.base_url, "wrong-4"), 429, "CPA rejected 4 keys in a row")
    assert cpa.auth_failures() == 4 and not cpa.is_banned()


def test_unreachable_cpa_is_502(start_app) -> None:
    app = start_app()
    assert_error(setup(app, "http://127.0.0.1:9", KEY), 502, "Cannot reach CPA at http://127.0.0.1:9")


def test_key_rotation_for_the_same_url_resumes_collection(start_app, cpa: CpaDouble) -> None:
    app = start_app()
    assert setup(app, cpa.base_url, KEY).status == 200
    assert app.collector.wait_for(lambda s: s.state == "running", 10)
    cpa.management_key = "rotated-key"
    assert app.collector.wait_for(lambda s: s.state == "error", 10)
    cpa.enqueue(*records.mixed_records(20, seed=10))
    assert setup(app, cpa.base_url, "rotated-key").status == 200
    assert app.collector.wait_for(lambda s: s.total_inserted == 20 and s.state == "running", 10)
    assert call("GET", f"{app.base_url}/status", key="rotated-key").status == 200


def test_changing_url_needs_the_current_key(start_app, cpa: CpaDouble) -> None:
    other = CpaDouble("other-key").start()
    try:
        app = start_app()
        assert setup(app, cpa.base_url, KEY).status == 200
        assert_error(setup(app, other.base_url, "other-key"), 401, "invalid management key for existing setup")
        moved = setup(app, other.base_url, "other-key", bearer=KEY)
        assert moved.status == 200 and moved.json["upstream"] == other.base_url
    finally:
        other.stop()


def test_setup_reports_publishing_off(start_app) -> None:
    quiet = CpaDouble(KEY, usage_statistics_enabled=False).start()
    try:
        reply = setup(start_app(), quiet.base_url, KEY)
        assert reply.status == 200
        assert any("usage-statistics-enabled is false" in w for w in reply.json["warnings"])
    finally:
        quiet.stop()


def test_collector_endpoints_pause_resume_restart(start_app, cpa: CpaDouble) -> None:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})
    assert app.collector.wait_for(lambda s: s.state == "running", 10)
    paused = call("POST", f"{app.base_url}/collector/pause", key=KEY).json
    assert paused["collector"] == "paused" and paused["pausedSince"] > 0
    pops = dict(cpa.pop_calls)
    cpa.enqueue(*records.mixed_records(5, seed=11))
    assert not app.collector.wait_for(lambda s: cpa.pop_calls["http"] > pops["http"], 0.5)
    assert call("POST", f"{app.base_url}/collector/resume", key=KEY).json["collector"] == "running"
    assert app.collector.wait_for(lambda s: s.total_inserted == 5, 10)
    assert call("POST", f"{app.base_url}/collector/restart", key=KEY).status == 200
    assert app.collector.wait_for(lambda s: s.state == "running", 10)
