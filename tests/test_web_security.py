from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.client import assert_error, call

ENV_SETUP = {"CPA_UPSTREAM_URL": "http://127.0.0.1:9", "CPA_MANAGEMENT_KEY": "right-key-123"}


@pytest.fixture
def app(start_app: Callable[..., object]):
    return start_app(ENV_SETUP)


def test_public_endpoints_need_no_key(app) -> None:
    assert call("GET", f"{app.base_url}/health").json == {"ok": True, "service": "cpa-manager"}
    info = call("GET", f"{app.base_url}/usage-service/info").json
    assert {"service": "cpa-manager", "mode": "embedded", "configured": True}.items() <= info.items()
    panel = call("GET", f"{app.base_url}/management.html")
    assert panel.status == 200 and panel.headers["content-type"].startswith("text/html")
    root = call("GET", f"{app.base_url}/")
    assert root.status == 307 and root.headers["location"].endswith("/management.html")


def test_status_requires_the_key_once_set_up(app) -> None:
    assert_error(call("GET", f"{app.base_url}/status"), 401, "invalid management key")
    assert_error(call("GET", f"{app.base_url}/status", key="wrong"), 401, "invalid management key")
    status = call("GET", f"{app.base_url}/status", key="right-key-123")
    assert status.status == 200 and status.json["configured"] is True
    assert call("GET", f"{app.base_url}/status", headers={"X-Management-Key": "right-key-123"}).status == 200
    assert call("GET", f"{app.base_url}/status", headers={"Authorization": "right-key-123"}).status == 200


def test_status_never_contains_the_key(app) -> None:
    assert b"right-key-123" not in call("GET", f"{app.base_url}/status", key="right-key-123").body


def test_status_is_open_before_setup(start_app: Callable[..., object]) -> None:
    app = start_app()
    status = call("GET", f"{app.base_url}/status")
    assert status.status == 200
    assert (status.json["configured"], status.json["collector"]["collector"]) == (False, "stopped")


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.nip.io", "localhost:1"])
def test_dns_rebinding_hosts_refused(app, host: str) -> None:
    reply = call("GET", f"{app.base_url}/health", headers={"Host": host})
    assert_error(reply, 403, f"Host '{host}' is not allowed")


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_local_host_names_with_the_port_accepted(app, host: str) -> None:
    assert call("GET", f"{app.base_url}/health", headers={"Host": f"{host}:{app.port}"}).status == 200


def test_configured_extra_host_accepted(start_app: Callable[..., object]) -> None:
    app = start_app({"USAGE_ALLOWED_HOSTS": "mybox.lan"})
    assert call("GET", f"{app.base_url}/health", headers={"Host": f"mybox.lan:{app.port}"}).status == 200


def test_foreign_origin_cannot_change_state_without_the_key(app) -> None:
    url = f"{app.base_url}/collector/pause"
    reply = call("POST", url, headers={"Origin": "http://evil.example"})
    assert_error(reply, 403, "Cross-origin request from http://evil.example refused")
    assert call("POST", url, key="right-key-123", headers={"Origin": "http://cpa-panel:8317"}).status == 200
    assert call("POST", f"{app.base_url}/collector/resume", key="right-key-123",
                headers={"Origin": app.base_url}).status == 200


def test_foreign_setup_refused_before_any_setup(start_app: Callable[..., object]) -> None:
    app = start_app()
    reply = call("POST", f"{app.base_url}/setup", headers={"Origin": "http://evil.example"},
                 json_body={"cpaBaseUrl": "http://evil.example:8317", "managementKey": "x"})
    assert_error(reply, 403, "Cross-origin request")


def test_explicitly_allowed_origin_may_write(start_app: Callable[..., object]) -> None:
    app = start_app({"USAGE_CORS_ORIGINS": "http://cpa-host:8317"})
    reply = call("POST", f"{app.base_url}/setup", headers={"Origin": "http://cpa-host:8317"}, json_body={})
    assert_error(reply, 400, "cpaBaseUrl and managementKey are required")
    assert reply.headers["access-control-allow-origin"] == "http://cpa-host:8317"
    other = call("GET", f"{app.base_url}/health", headers={"Origin": "http://other:1"})
    assert "access-control-allow-origin" not in other.headers


def test_preflight_answers_without_auth(app) -> None:
    reply = call("OPTIONS", f"{app.base_url}/status", headers={
        "Origin": "http://cpa-host:8317", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization"})
    assert reply.status == 204
    assert reply.headers["access-control-allow-origin"] == "*"
    assert "Authorization" in reply.headers["access-control-allow-headers"]


def test_unknown_routes_and_methods_are_json(app) -> None:
    assert_error(call("GET", f"{app.base_url}/nope"), 404, "No such endpoint: GET /nope")
    assert_error(call("DELETE", f"{app.base_url}/health"), 405, "Method not allowed")


@pytest.mark.parametrize(("body", "status", "message"), [
    (b"{not json", 400, "The request body is not valid JSON"),
    (b"", 400, "The request body is empty"),
    (b"[]", 400, "The setup body must be a JSON object"),
    (b'{"cpaBaseUrl": "http://x"}', 400, "cpaBaseUrl and managementKey are required"),
    (b'{"cpaBaseUrl": "ftp://x", "managementKey": "k"}', 400, "Invalid CPA URL"),
    (b'{"cpaBaseUrl": "http://x", "managementKey": "k", "popSide": "up"}', 400, "popSide must be right or left"),
])
def test_setup_input_errors(start_app: Callable[..., object], body: bytes, status: int, message: str) -> None:
    app = start_app()
    reply = call("POST", f"{app.base_url}/setup", body=body, headers={"Content-Type": "application/json"})
    assert_error(reply, status, message)


def test_env_managed_setup_conflicts(app) -> None:
    reply = call("POST", f"{app.base_url}/setup", json_body={"cpaBaseUrl": "http://other:8317", "managementKey": "k"})
    assert_error(reply, 409, "setup is managed by environment variables")
    same = call("POST", f"{app.base_url}/setup",
                json_body={"cpaBaseUrl": "http://127.0.0.1:9/v0/management", "managementKey": "right-key-123"})
    assert same.status == 200 and same.json["changed"] is False


def test_the_served_panel_is_the_built_react_app(app) -> None:
    panel = call("GET", f"{app.base_url}/management.html")
    html = panel.body.decode()
    assert panel.status == 200 and panel.headers["cache-control"] == "no-cache"
    assert '<div id="root">' in html and "<script" in html
    assert "is not part of this build yet" not in html
    assert "http://" not in html.split("<script", 1)[0], "the page must load nothing from elsewhere"


def test_favicon_is_the_app_icon_not_a_404(start_app) -> None:
    app = start_app()
    reply = call("GET", f"{app.base_url}/favicon.ico")
    icon = (Path(__file__).resolve().parents[1] / "assets" / "icon.png").read_bytes()
    assert (reply.status, reply.headers["content-type"], reply.body) == (200, "image/png", icon)
