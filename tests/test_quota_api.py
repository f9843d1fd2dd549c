"""Our quota API on the real app and the CPA double: latest, history, refresh with progress, status,
auth, and the quota thread's place in the app's start and stop."""

from __future__ import annotations

from collections.abc import Callable

from cpa_manager_desktop.app import App
from tests.client import call
from tests.conftest import CPA_KEY, wait_until


def started(start_app: Callable[..., App], cpa) -> App:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY,
                     "USAGE_POLL_INTERVAL_MS": "50"})
    wait_until(lambda: app.controller.collector_status().state == "running",
               message="the usage collector running")
    return app


def refresh_all(app: App, body: dict | None = None) -> dict:
    reply = call("POST", f"{app.base_url}/quota/refresh", key=CPA_KEY, json_body=body or {})
    assert reply.status == 202 and reply.json["refresh"]["running"] is True

    def finished() -> dict | None:
        status = call("GET", f"{app.base_url}/quota/status", key=CPA_KEY).json
        return status if not status["refresh"]["running"] and status["refresh"]["total"] else None

    return wait_until(finished, message="the refresh")


def latest(app: App) -> dict[str, dict]:
    reply = call("GET", f"{app.base_url}/quota/latest", key=CPA_KEY)
    assert reply.status == 200
    return {c["auth_index"]: c for c in reply.json["credentials"]}


def test_refresh_all_then_latest(start_app, cpa) -> None:
    normal = cpa.quota_accounts.add("codex", "alice.quota@example.com")
    expired = cpa.quota_accounts.add("claude", "old@example.com", "expired")
    off = cpa.quota_accounts.add("kimi", "off@example.com", disabled=True)
    app = started(start_app, cpa)
    status = refresh_all(app)
    assert status["state"] in ("idle", "polling") and status["interval_seconds"] == 900
    assert status["refresh"]["done"] == status["refresh"]["total"] == 4  # ours, plus the two canned files
    found = latest(app)
    assert off not in found
    card = found[normal]
    assert card["provider"] == "codex" and card["label"] == "ali***@example.com"
    assert card["snapshot"]["state"] == "ok" and card["snapshot"]["plan"] == "plus"
    assert [(w["key"], w["used_percent"], w["resets_at"]) for w in card["snapshot"]["windows"]] == [
        ("five_hour", 23.0, 1796990460), ("weekly", 41.5, 1797333000)]
    assert card["snapshot"]["credits"] == {"has_credits": False, "unlimited": False, "balance": 0.0}
    assert card["schedule"]["stopped"] is None and card["schedule"]["last_state"] == "ok"
    assert found[expired]["snapshot"]["state"] == "expired"
    assert found[expired]["schedule"]["stopped"] == "expired" and found[expired]["schedule"]["next_check"] is None


def test_refresh_one_and_history(start_app, cpa) -> None:
    index = cpa.quota_accounts.add("gemini-cli", "g@example.com")
    app = started(start_app, cpa)
    refresh_all(app)
    cpa.quota_accounts.set_case(index, "exhausted")
    status = refresh_all(app, {"auth_index": index})
    assert (status["refresh"]["total"], status["refresh"]["done"]) == (1, 1)
    reply = call("GET", f"{app.base_url}/quota/history?auth_index={index}&start=0", key=CPA_KEY)
    assert reply.status == 200
    used = [[w["used_percent"] for w in s["windows"]] for s in reply.json["snapshots"]]
    # The first reading stays unless both fell in the same second (then the later one stands).
    assert used in ([[18.0, 3.0], [100.0, 100.0]], [[100.0, 100.0]])


def test_history_needs_an_auth_index_and_a_sane_range(start_app, cpa) -> None:
    app = started(start_app, cpa)
    assert call("GET", f"{app.base_url}/quota/history", key=CPA_KEY).json["code"] == "missing_auth_index"
    reply = call("GET", f"{app.base_url}/quota/history?auth_index=x&start=2000&end=1000", key=CPA_KEY)
    assert reply.status == 400 and reply.json["code"] == "invalid_range"


def test_refresh_and_retention_refuse_a_body_that_is_not_an_object(start_app, cpa) -> None:
    app = started(start_app, cpa)
    for method, path, body in (("POST", "/quota/refresh", b"[1]"), ("POST", "/quota/refresh", b"{nope"),
                               ("PUT", "/maintenance/retention", b"[30]"), ("PUT", "/maintenance/retention", b"{")):
        reply = call(method, f"{app.base_url}{path}", key=CPA_KEY, body=body,
                     headers={"Content-Type": "application/json"})
        assert reply.status == 400 and reply.json["code"] in ("invalid_body", "invalid_json", "invalid_retention"), \
            (path, body, reply.status, reply.body)


def test_quota_routes_need_the_key(start_app, cpa) -> None:
    app = started(start_app, cpa)
    for method, path in (("GET", "/quota/latest"), ("GET", "/quota/history?auth_index=x"),
                         ("POST", "/quota/refresh"), ("GET", "/quota/status")):
        assert call(method, f"{app.base_url}{path}").status == 401
        assert call(method, f"{app.base_url}{path}", key="wrong").status == 401


def test_the_app_owns_the_quota_thread(start_app, cpa) -> None:
    app = started(start_app, cpa)
    assert app.quota is not None and app.quota.status().state != "stopped"
    app.stop()
    assert app.quota.status().state == "stopped"
