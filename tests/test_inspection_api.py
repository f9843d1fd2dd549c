"""Codex inspection on the real app and the CPA double: a dry run's suggestions and that it changes nothing,
progress and cancel, a timeout, execution with and without confirmation, the record of who disabled what,
past runs, and the runner's place in the app's start and stop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cpa_manager_desktop.app import App
from cpa_manager_desktop.store.inspection import InspectionStore
from tests.client import call
from tests.conftest import CPA_KEY, wait_until


def started(start_app: Callable[..., App], cpa: Any) -> App:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY,
                     "USAGE_POLL_INTERVAL_MS": "50"})
    wait_until(lambda: app.controller.collector_status().state == "running", message="the usage collector running")
    return app


def codex_only(cpa: Any) -> None:
    """Drop the double's canned files (their plain token answers 401), so each test lists only its own."""
    cpa.credentials.clear()


def begin(app: App, **settings: Any) -> dict:
    reply = call("POST", f"{app.base_url}/inspection/runs", key=CPA_KEY, json_body=settings)
    assert reply.status == 202, reply.body
    return reply.json["run"]


def get_run(app: App, run_id: int) -> dict:
    reply = call("GET", f"{app.base_url}/inspection/runs/{run_id}", key=CPA_KEY)
    assert reply.status == 200, reply.body
    return reply.json


def finished(app: App, run_id: int) -> dict:
    return wait_until(lambda: (lambda r: r if r["run"]["state"] != "running" else None)(get_run(app, run_id)),
                      message="the run to end")  # type: ignore[return-value]


def by_index(results: list[dict]) -> dict[str, tuple]:
    return {r["auth_index"]: (r["action"], r["reason_code"], r["http_status"], r["used_percent"]) for r in results}


def execute(app: App, run_id: int, body: dict) -> Any:
    return call("POST", f"{app.base_url}/inspection/runs/{run_id}/execute", key=CPA_KEY, json_body=body)


def writes(cpa: Any) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in cpa.requests if r.method in ("PATCH", "DELETE", "PUT")]


def disabled_at_cpa(cpa: Any, auth_index: str) -> bool:
    return next(c for c in (cpa.credentials.get(n) for n in cpa.credentials.names())
                if c is not None and c.auth_index == auth_index).disabled


def test_a_dry_run_suggests_for_every_codex_credential_and_changes_nothing(start_app, cpa) -> None:
    codex_only(cpa)
    accounts = cpa.quota_accounts
    normal = accounts.add("codex", "alice.ok@example.com")
    full = accounts.add("codex", "bob.full@example.com", "exhausted")
    expired = accounts.add("codex", "carol.old@example.com", "expired")
    busy = accounts.add("codex", "dan.busy@example.com", "rate_limited")
    odd = accounts.add("codex", "eve.odd@example.com", "unknown")
    by_hand = accounts.add("codex", "fay.off@example.com", disabled=True)
    other = accounts.add("claude", "gus@example.com")
    app = started(start_app, cpa)
    run = begin(app)
    assert run["state"] == "running" and run["settings"] == {
        "workers": 4, "timeout_seconds": 15.0, "threshold_percent": 100.0, "sample_size": 0}
    body = finished(app, run["id"])
    assert body["run"]["state"] == "finished" and body["run"]["progress"] == {"total": 6, "done": 6,
                                                                               "cancelling": False}
    assert body["run"]["counts"] == {"delete": 1, "disable": 1, "keep": 4}
    assert by_index(body["results"]) == {
        normal: ("keep", "healthy", 200, 41.5), full: ("disable", "over_threshold", 200, 100.0),
        expired: ("delete", "expired", 401, None), busy: ("keep", "rate_limited", 429, None),
        odd: ("keep", "unrecognised", 200, None), by_hand: ("keep", "manual_disable", 200, 41.5)}
    assert other not in by_index(body["results"])
    shown = {r["auth_index"]: r for r in body["results"]}[full]
    assert (shown["account"], shown["name"], shown["plan"]) == ("bob***@example.com", "codex-bob.full@example.com.json",
                                                               "pro")
    assert shown["reason"] == ("100% of the weekly window is used, at or over the 100% threshold: disable it until "
                               "the window resets.")
    assert writes(cpa) == []
    assert disabled_at_cpa(cpa, full) is False and disabled_at_cpa(cpa, by_hand) is True
    # Seen disabled without our doing: recorded as disabled by hand.
    assert InspectionStore(app.db).disables() == {by_hand: "manual"}


def test_execute_needs_confirmation_then_disables_and_later_enables_only_its_own(start_app, cpa) -> None:
    codex_only(cpa)
    full = cpa.quota_accounts.add("codex", "bob.full@example.com", "exhausted")
    by_hand = cpa.quota_accounts.add("codex", "fay.off@example.com", disabled=True)
    app = started(start_app, cpa)
    run_id = begin(app)["id"]
    seq = {r["auth_index"]: r["seq"] for r in finished(app, run_id)["results"]}[full]
    refused = execute(app, run_id, {"seq": seq})
    assert refused.status == 400 and refused.json["code"] == "confirmation_required"
    assert execute(app, run_id, {"seq": seq, "confirm": "yes"}).status == 400
    assert writes(cpa) == [] and disabled_at_cpa(cpa, full) is False
    done = execute(app, run_id, {"seq": seq, "confirm": True})
    assert done.status == 200 and done.json == {"executed": [{"seq": seq, "action": "disable", "ok": True,
                                                              "error": None}]}
    assert disabled_at_cpa(cpa, full) is True
    assert writes(cpa) == [("PATCH", "/v0/management/auth-files/status")]
    assert InspectionStore(app.db).disables() == {full: "inspection", by_hand: "manual"}
    again = execute(app, run_id, {"seq": seq, "confirm": True})
    assert again.status == 409 and again.json["code"] == "already_executed"
    result = {r["auth_index"]: r for r in get_run(app, run_id)["results"]}[full]
    assert result["executed_at"] is not None and result["execution_error"] is None

    # Both recover: ours is enabled again, the one a person disabled stays disabled, even with "execute all".
    cpa.quota_accounts.set_case(full, "normal")
    second = begin(app)["id"]
    assert by_index(finished(app, second)["results"]) == {
        full: ("enable", "recovered", 200, 41.5), by_hand: ("keep", "manual_disable", 200, 41.5)}
    outdated = execute(app, run_id, {"all": True, "confirm": True})
    assert outdated.status == 409 and outdated.json["code"] == "run_outdated"
    assert execute(app, second, {"all": True, "confirm": True}).json["executed"] == [
        {"seq": 0, "action": "enable", "ok": True, "error": None}]
    assert disabled_at_cpa(cpa, full) is False and disabled_at_cpa(cpa, by_hand) is True
    assert InspectionStore(app.db).disables() == {by_hand: "manual"}


def test_a_person_who_disables_before_the_execution_keeps_the_credential_theirs(start_app, cpa) -> None:
    codex_only(cpa)
    index = cpa.quota_accounts.add("codex", "bob@example.com", "exhausted")
    app = started(start_app, cpa)
    first = begin(app)["id"]
    assert by_index(finished(app, first)["results"])[index][0] == "disable"
    cpa.credentials.set_disabled("codex-bob@example.com.json", True)  # by hand, after the run
    outcome = execute(app, first, {"all": True, "confirm": True}).json["executed"]
    assert outcome == [{"seq": 0, "action": "disable", "ok": False,
                        "error": "It was already disabled; nothing was changed."}]
    assert InspectionStore(app.db).disables() == {index: "manual"}
    cpa.quota_accounts.set_case(index, "normal")  # its quota recovers
    second = begin(app)["id"]
    assert by_index(finished(app, second)["results"])[index][:2] == ("keep", "manual_disable")
    assert execute(app, second, {"all": True, "confirm": True}).json["executed"] == []
    assert disabled_at_cpa(cpa, index) is True and writes(cpa) == []


def test_a_person_who_enables_and_disables_again_between_runs_makes_it_theirs(start_app, cpa) -> None:
    codex_only(cpa)
    index = cpa.quota_accounts.add("codex", "bob@example.com", "exhausted")
    name = "codex-bob@example.com.json"
    app = started(start_app, cpa)
    first = begin(app)["id"]
    finished(app, first)
    assert execute(app, first, {"all": True, "confirm": True}).json["executed"][0]["ok"] is True
    assert InspectionStore(app.db).disables() == {index: "inspection"}
    for disabled in (False, True):  # by hand, at CPA, while no run looks
        cpa.clock.advance(60)
        assert call("PATCH", f"{cpa.base_url}/v0/management/auth-files/status", key=CPA_KEY,
                    json_body={"name": name, "disabled": disabled}).status == 200
    cpa.quota_accounts.set_case(index, "normal")
    second = begin(app)["id"]
    assert by_index(finished(app, second)["results"])[index][:2] == ("keep", "manual_disable")
    assert InspectionStore(app.db).disables() == {index: "manual"}


def test_progress_while_a_call_is_held_then_the_run_finishes(start_app, cpa) -> None:
    codex_only(cpa)
    for name in ("a", "b"):
        cpa.quota_accounts.add("codex", f"{name}@example.com")
    held = cpa.quota_accounts.add("codex", "z.slow@example.com", "held")
    app = started(start_app, cpa)
    run_id = begin(app, workers=2)["id"]
    try:
        progress = wait_until(lambda: (lambda r: r["run"] if r["run"]["progress"]["done"] == 2 else None)(
            get_run(app, run_id)), message="two of three done")
        assert progress["state"] == "running" and progress["progress"]["total"] == 3
        again = call("POST", f"{app.base_url}/inspection/runs", key=CPA_KEY, json_body={})
        assert again.status == 409 and again.json["code"] == "run_in_progress"
        busy = execute(app, run_id, {"all": True, "confirm": True})
        assert busy.status == 409 and busy.json["code"] == "run_in_progress"
    finally:
        cpa.quota_accounts.released.set()
    body = finished(app, run_id)
    assert body["run"]["state"] == "finished" and body["run"]["progress"]["done"] == 3
    assert by_index(body["results"])[held] == ("keep", "healthy", 200, 41.5)


def test_cancel_stops_the_calls_not_yet_made(start_app, cpa) -> None:
    codex_only(cpa)
    # Disabled, so only inspection calls them (the quota collector skips disabled credentials).
    held = {cpa.quota_accounts.add("codex", f"{name}@example.com", "held", disabled=True) for name in "abc"}
    app = started(start_app, cpa)
    run_id = begin(app, workers=1)["id"]
    try:
        wait_until(lambda: any(c.auth_index in held for c in cpa.api_calls), message="the first call in flight")
        reply = call("POST", f"{app.base_url}/inspection/runs/{run_id}/cancel", key=CPA_KEY)
        assert reply.status == 200 and reply.json["run"]["progress"]["cancelling"] is True
    finally:
        cpa.quota_accounts.released.set()
    body = finished(app, run_id)
    assert body["run"]["state"] == "cancelled"
    assert body["run"]["progress"] == {"total": 3, "done": 1, "cancelling": False} and len(body["results"]) == 1


def test_a_call_over_the_timeout_is_kept_with_the_reason(start_app, cpa) -> None:
    codex_only(cpa)
    slow = cpa.quota_accounts.add("codex", "slow@example.com", "held")
    app = started(start_app, cpa)
    run_id = begin(app, timeout_seconds=1)["id"]
    try:
        body = finished(app, run_id)
    finally:
        cpa.quota_accounts.released.set()
    (result,) = body["results"]
    assert (result["auth_index"], result["action"], result["reason_code"], result["reason"]) == (
        slow, "keep", "timeout", "No answer within 1 s: check it again later.")


def test_settings_are_checked_with_sentences(start_app, cpa) -> None:
    app = started(start_app, cpa)
    reply = call("POST", f"{app.base_url}/inspection/runs", key=CPA_KEY,
                 json_body={"workers": 0, "timeout_seconds": 500})
    assert reply.status == 400 and reply.json == {
        "error": "Workers must be a whole number from 1 to 16. The timeout must be between 1 and 120 seconds.",
        "code": "invalid_settings"}
    unknown = call("POST", f"{app.base_url}/inspection/runs", key=CPA_KEY, json_body={"threads": 2})
    assert unknown.status == 400 and unknown.json["error"].startswith("Unknown setting: threads.")
    assert call("GET", f"{app.base_url}/inspection/runs", key=CPA_KEY).json == {"runs": []}


def test_past_runs_are_listed_newest_first_with_a_sample(start_app, cpa) -> None:
    codex_only(cpa)
    for n in range(5):
        cpa.quota_accounts.add("codex", f"u{n}@example.com")
    app = started(start_app, cpa)
    first = begin(app)["id"]
    finished(app, first)
    second = begin(app, sample_size=2, threshold_percent=40)["id"]
    assert len(finished(app, second)["results"]) == 2
    runs = call("GET", f"{app.base_url}/inspection/runs", key=CPA_KEY).json["runs"]
    assert [(r["id"], r["state"], r["counts"], r["progress"]["total"]) for r in runs] == [
        (second, "finished", {"disable": 2}, 2), (first, "finished", {"keep": 5}, 5)]
    assert runs[0]["settings"]["sample_size"] == 2 and runs[0]["finished_at"] >= runs[0]["started_at"]
    assert call("GET", f"{app.base_url}/inspection/runs/99", key=CPA_KEY).status == 404
    assert call("GET", f"{app.base_url}/inspection/runs", key="wrong").status == 401


def test_the_app_stops_the_runner_after_the_server_and_before_the_store(start_app, cpa) -> None:
    app = started(start_app, cpa)
    assert app.inspection is not None
    calls: list[str] = []
    server_stop, inspection_stop, db_close = app.server.stop, app.inspection.stop, app.db.close

    def stop_server() -> None:
        calls.append("server")
        server_stop()

    def stop_inspection(timeout_s: float) -> bool:
        calls.append("inspection")
        return inspection_stop(timeout_s=timeout_s)

    def close_store() -> None:
        calls.append("store")
        db_close()

    app.server.stop, app.inspection.stop, app.db.close = stop_server, stop_inspection, close_store  # type: ignore[method-assign]
    app.stop()
    assert calls == ["server", "inspection", "store"]


def test_a_v8_cpa_is_inspected_and_changed_through_the_routes_it_keeps(start_app) -> None:
    """CPA v8 keeps the v0 credential and api-call routes (cpa-v8.md §3): the same run and execution work."""
    from tests.cpa_double import CpaDouble

    v8 = CpaDouble(CPA_KEY, version="v8.0.47").start()
    try:
        codex_only(v8)
        full = v8.quota_accounts.add("codex", "bob.full@example.com", "exhausted")
        app = started(start_app, v8)
        run_id = begin(app)["id"]
        assert by_index(finished(app, run_id)["results"]) == {full: ("disable", "over_threshold", 200, 100.0)}
        assert execute(app, run_id, {"all": True, "confirm": True}).json["executed"][0]["ok"] is True
        assert disabled_at_cpa(v8, full) is True
    finally:
        v8.stop()
