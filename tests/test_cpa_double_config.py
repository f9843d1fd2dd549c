"""The double's config.yaml follows the spec (cpa-management-api §1, cpa-v8 §2, §4, §5.2, §8)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import urllib3

from tests.cpa_double import CpaDouble

KEY = "test-management-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
V0 = "/v0/management"
V8 = "/v8/management"


@pytest.fixture
def http() -> Iterator[urllib3.PoolManager]:
    pool = urllib3.PoolManager(retries=False, timeout=5.0)
    yield pool
    pool.clear()


@pytest.fixture
def v7() -> Iterator[CpaDouble]:
    with CpaDouble() as double:
        yield double


@pytest.fixture
def v8() -> Iterator[CpaDouble]:
    with CpaDouble(version="v8.0.47") as double:
        yield double


def send(http: urllib3.PoolManager, cpa: CpaDouble, method: str, path: str, body: object = None,
         headers: dict | None = None, raw: bytes | None = None) -> urllib3.BaseHTTPResponse:
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    return http.request(method, cpa.base_url + path, body=data, headers=AUTH if headers is None else headers)


def answer(resp: urllib3.BaseHTTPResponse) -> tuple[int, object]:
    return resp.status, (json.loads(resp.data) if resp.data else None)


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


# --- v0: reading --------------------------------------------------------------------------------


def test_runtime_view_is_flat_ordered_with_defaults(v7, http):
    config = json.loads(send(http, v7, "GET", f"{V0}/config").data)
    keys = list(config)
    assert keys[0] == "proxy-url" and keys[-1] == "payload"
    assert keys.index("api-keys") < keys.index("debug") < keys.index("usage-statistics-enabled")
    assert keys.index("gemini-api-key") < keys.index("claude-api-key") < keys.index("openai-compatibility")
    assert "host" not in config and "port" not in config and "remote-management" not in config
    assert config["codex-api-key"] is None and config["api-keys"] is None  # nil lists are null
    assert config["ws-auth"] is True and config["error-logs-max-files"] == 10
    assert config["pprof"] == {"enable": False, "addr": "127.0.0.1:8316"}
    assert config["routing"] == {"strategy": "round-robin"}


def test_config_yaml_is_the_raw_file(v7, http):
    resp = send(http, v7, "GET", f"{V0}/config.yaml")
    assert resp.status == 200 and resp.data == v7.config_path.read_bytes()
    assert resp.headers["Content-Type"] == "application/yaml; charset=utf-8"
    assert (resp.headers["Cache-Control"], resp.headers["X-Content-Type-Options"]) == ("no-store", "nosniff")
    assert comment_lines(resp.data.decode())[0].startswith("# CLIProxyAPI configuration")


# --- v0: setters ------------------------------------------------------------------------------


def test_setter_writes_the_file_and_keeps_comments(v7, http):
    before = v7.read_config_text()
    assert answer(send(http, v7, "PUT", f"{V0}/debug", {"value": True})) == (200, {"status": "ok"})
    after = v7.read_config_text()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [("debug: false", "debug: true")]
    assert answer(send(http, v7, "GET", f"{V0}/debug")) == (200, {"debug": True})
    assert answer(send(http, v7, "PATCH", f"{V0}/request-retry", {"value": 7})) == (200, {"status": "ok"})
    assert "request-retry: 7 # retries on 403/408/429/5xx" in v7.read_config_text()
    assert v7.settings["request-retry"] == 7


@pytest.mark.parametrize(("path", "body"), [
    ("/debug", {"value": "true"}), ("/debug", {"value": None}), ("/debug", {}), ("/request-retry", {"value": 1.5}),
    ("/request-retry", {"value": True}), ("/proxy-url", {"value": 5}), ("/usage-statistics-enabled", [True]),
])
def test_setter_refuses_mistyped_values(v7, http, path, body):
    before = v7.read_config_text()
    assert answer(send(http, v7, "PUT", V0 + path, body)) == (400, {"error": "invalid body"})
    assert v7.read_config_text() == before


def test_clamping_setters_and_proxy_url_delete(v7, http):
    send(http, v7, "PUT", f"{V0}/error-logs-max-files", {"value": -3})
    send(http, v7, "PUT", f"{V0}/logs-max-total-size-mb", {"value": -1})
    send(http, v7, "PUT", f"{V0}/proxy-url", {"value": "socks5://127.0.0.1:1080"})
    runtime = v7.runtime_config()
    assert (runtime["error-logs-max-files"], runtime["logs-max-total-size-mb"]) == (10, 0)
    assert runtime["proxy-url"] == "socks5://127.0.0.1:1080"
    assert answer(send(http, v7, "DELETE", f"{V0}/proxy-url")) == (200, {"status": "ok"})
    assert answer(send(http, v7, "GET", f"{V0}/proxy-url")) == (200, {"proxy-url": ""})


@pytest.mark.parametrize(("sent", "stored"), [
    (" WRR ", "weighted-round-robin"), ("fillfirst", "fill-first"), ("", "round-robin"), ("rr", "round-robin"),
])
def test_routing_strategy_is_normalised(v7, http, sent, stored):
    assert answer(send(http, v7, "PUT", f"{V0}/routing/strategy", {"value": sent}))[0] == 200
    assert answer(send(http, v7, "GET", f"{V0}/routing/strategy")) == (200, {"strategy": stored})
    assert f"strategy: {stored}" in v7.read_config_text()


def test_unknown_strategy_refused_and_unknown_yaml_value_shown_trimmed(v7, http):
    assert answer(send(http, v7, "PUT", f"{V0}/routing/strategy", {"value": "random"})) == (
        400, {"error": "invalid strategy"})
    v7.write_config_text("routing:\n  strategy: '  Sticky '\n")
    assert answer(send(http, v7, "GET", f"{V0}/routing/strategy")) == (200, {"strategy": "Sticky"})


def test_quota_switches_use_their_own_get_keys(v7, http):
    assert answer(send(http, v7, "PUT", f"{V0}/quota-exceeded/switch-project", {"value": True}))[0] == 200
    assert answer(send(http, v7, "GET", f"{V0}/quota-exceeded/switch-project")) == (200, {"switch-project": True})
    assert "quota-exceeded:\n  switch-project: true" in v7.read_config_text()


# --- v0: PUT /config.yaml ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("debug: true\nrouting:\n  - a\n strategy: x\n", "yaml: line 3: did not find expected key"),
    # Parser errors name the 0-based line of their context, as yaml.v3 does: "line 1" is the "[" line's predecessor.
    ("debug: true\nproxy: [a, b\nport: 1\n", "yaml: line 1: did not find expected ',' or ']'"),
    ("debug: yes\nport: 8317\nrequest-retry: two\n",
     "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `yes` into bool\n"
     "  line 3: cannot unmarshal !!str `two` into int"),
    ("debug: true\ndebug: false\n", 'yaml: unmarshal errors:\n  line 2: mapping key "debug" already defined at line 1'),
])
def test_put_config_yaml_refuses_bad_yaml_with_go_messages(v7, http, text, message):
    before = v7.read_config_text()
    resp = send(http, v7, "PUT", f"{V0}/config.yaml", raw=text.encode())
    assert answer(resp) == (400, {"error": "invalid_yaml", "message": message})
    assert v7.read_config_text() == before


def test_put_config_yaml_validates_then_writes_verbatim(v7, http):
    heavy = "codex-api-key:\n  - api-key: k\n    base-url: https://x.example\n    weight: 1000001\n"
    assert answer(send(http, v7, "PUT", f"{V0}/config.yaml", raw=heavy.encode())) == (
        422, {"error": "invalid_config", "message": "codex-api-key[0].weight: weight must not exceed 1000000"})
    text = "# mine\nusage-statistics-enabled: false   # paused\nredis-usage-queue-retention-seconds: -5\n"
    assert answer(send(http, v7, "PUT", f"{V0}/config.yaml", raw=text.encode())) == (
        200, {"changed": ["config"], "ok": True})
    assert v7.read_config_text() == text
    runtime = json.loads(send(http, v7, "GET", f"{V0}/config").data)
    assert runtime["redis-usage-queue-retention-seconds"] == 60  # negative is accepted, then loaded as 60
    assert v7.usage_statistics_enabled is False
    assert answer(send(http, v7, "PUT", f"{V0}/config.yaml", raw=b""))[0] == 200  # empty = all defaults


# --- v8 routes on v7 and v8 --------------------------------------------------------------------


def test_v7_answers_v8_paths_with_gin_noroute(v7, http):
    for headers in (AUTH, {"Authorization": "Bearer wrong"}, {}):
        resp = send(http, v7, "GET", f"{V8}/config", headers=headers)
        assert (resp.status, resp.data) == (404, b"")
        assert "X-CPA-VERSION" not in resp.headers
    assert v7.auth_failures() == 0


def test_v8_uses_the_management_middleware(v8, http):
    resp = send(http, v8, "GET", f"{V8}/config", headers={})
    assert answer(resp) == (401, {"error": "missing management key"})
    assert resp.headers["X-CPA-VERSION"] == "v8.0.47"
    assert send(http, v8, "GET", f"{V8}/config").headers["Cache-Control"] == "no-store"


def test_v8_reads_show_the_tree_without_rewriting(v8, http):
    before = v8.read_config_text()
    tree = json.loads(send(http, v8, "GET", f"{V8}/config").data)
    assert tree["config-version"] == 8
    assert tree["observability"]["usage"] == {
        "usage-statistics-enabled": True, "redis-usage-queue-retention-seconds": 60}
    assert tree["api-keys"]["openai-compatibility"][0]["keys"][0]["api-key"].startswith("sk-or-v1-")
    assert "usage-statistics-enabled" not in tree and "debug" not in tree
    assert answer(send(http, v8, "GET", f"{V8}/config/routing/strategy")) == (200, "round-robin")
    assert answer(send(http, v8, "GET", f"{V8}/config/routing/session-affinity")) == (404, {"error": "not_found"})
    yaml = send(http, v8, "GET", f"{V8}/config.yaml")
    assert yaml.headers["Content-Type"] == "application/yaml; charset=utf-8" and b"config-version: 8" in yaml.data
    assert v8.read_config_text() == before


def test_first_v8_write_rewrites_the_flat_file(v8, http):
    path = f"{V8}/config/observability/usage/usage-statistics-enabled"
    assert answer(send(http, v8, "PUT", path, False)) == (200, {"config-version": 8, "status": "ok"})
    text = v8.read_config_text()
    assert "config-version: 8" in text and "\nusage-statistics-enabled:" not in text
    assert "\nremote-management:" not in text and "management:\n  allow-remote: false" in text
    assert comment_lines(text)[0].startswith("# CLIProxyAPI configuration")  # the header comment survives
    assert send(http, v8, "GET", f"{V0}/config.yaml").data == text.encode()  # v0 now returns the nested file
    runtime = json.loads(send(http, v8, "GET", f"{V0}/config").data)
    assert runtime["usage-statistics-enabled"] is False and runtime["request-retry"] == 3
    assert runtime["openai-compatibility"][0]["api-key-entries"][0]["api-key"].startswith("sk-or-v1-")
    assert v8.usage_statistics_enabled is False
    # A v0 setter on a v8 file writes the v8 path.
    assert answer(send(http, v8, "PUT", f"{V0}/debug", {"value": True})) == (200, {"status": "ok"})
    assert answer(send(http, v8, "GET", f"{V8}/config/observability/logs/debug")) == (200, True)
    assert "\ndebug:" not in v8.read_config_text()


@pytest.mark.parametrize(("method", "path", "body", "status", "error"), [
    ("PUT", "/config/observability/usage/usage-statistics-enabled", {"value": True}, 400, "invalid_config"),
    ("PUT", "/config/usage-statistics-enabled", True, 400, "invalid_config"),
    ("PUT", "/config/frobnicate/x", 1, 400, "invalid_config"),
    ("PUT", "/config/routing/retry/request-retry", "3", 400, "invalid_config"),
    ("PUT", "/config/credentials/concurrency/lifecycle-config-revision", 2, 400, "read_only_field"),
    ("PUT", "/config", [1], 400, "config_must_be_object"),
    ("DELETE", "/config", None, 400, "cannot_delete_config"),
    ("DELETE", "/config/requests/nothing-here", None, 404, "not_found"),
    ("PUT", "/config/access/api-keys/0", "k", 400, "invalid_path"),
])
def test_v8_refusals_change_nothing(v8, http, method, path, body, status, error):
    before = v8.read_config_text()
    code, reply = answer(send(http, v8, method, V8 + path, body))
    assert (code, reply["error"]) == (status, error), reply
    assert v8.read_config_text() == before


def test_v8_null_is_stored_patch_merges_delete_prunes(v8, http):
    assert answer(send(http, v8, "PUT", f"{V8}/config/routing/strategy", raw=b"null"))[0] == 200
    assert answer(send(http, v8, "GET", f"{V8}/config/routing/strategy")) == (200, None)
    assert "strategy: null" in v8.read_config_text()
    assert answer(send(http, v8, "GET", f"{V0}/routing/strategy")) == (200, {"strategy": "round-robin"})
    patch = {"logs": {"request-log": True}, "usage": {"redis-usage-queue-retention-seconds": 300}}
    assert answer(send(http, v8, "PATCH", f"{V8}/config/observability", patch))[0] == 200
    usage = json.loads(send(http, v8, "GET", f"{V8}/config/observability/usage").data)
    assert usage == {"usage-statistics-enabled": True, "redis-usage-queue-retention-seconds": 300}
    assert v8.usage_queue.retention_s == 300
    assert answer(send(http, v8, "DELETE", f"{V8}/config/requests/proxy-url"))[0] == 200
    assert "requests" not in json.loads(send(http, v8, "GET", f"{V8}/config").data)  # emptied parent pruned


def test_v8_config_yaml_put_keeps_a_v8_file_verbatim(v8, http):
    text = "config-version: 8\n# mine\nobservability:\n  usage:\n    usage-statistics-enabled: true # on\n"
    assert answer(send(http, v8, "PUT", f"{V8}/config.yaml", raw=text.encode())) == (
        200, {"config-version": 8, "status": "ok"})
    assert v8.read_config_text() == text
    assert answer(send(http, v8, "PUT", f"{V8}/config.yaml", raw=b"a: [\n"))[1]["error"] == "invalid_config"


# --- latest version and test hooks --------------------------------------------------------------


def test_latest_version_offline_and_v8_path(http):
    with CpaDouble(version="v8.0.47", latest_version=None) as cpa:
        code, body = answer(send(http, cpa, "GET", f"{V0}/latest-version"))
        assert (code, body["error"]) == (502, "request_failed")
        cpa.latest_version = "v8.0.48"
        assert answer(send(http, cpa, "GET", f"{V8}/server/latest-version")) == (200, {"latest-version": "v8.0.48"})


def test_fail_next_refuses_or_drops_one_request(v7, http):
    v7.fail_next("PUT", f"{V0}/config.yaml", 500, {"error": "write_failed", "message": "disk full"})
    before = v7.read_config_text()
    resp = send(http, v7, "PUT", f"{V0}/config.yaml", raw=b"debug: true\n")
    assert answer(resp) == (500, {"error": "write_failed", "message": "disk full"})
    assert resp.headers["X-CPA-VERSION"] == v7.version and v7.read_config_text() == before
    v7.fail_next("put", f"{V0}/debug", drop=True)
    with pytest.raises(urllib3.exceptions.ProtocolError):
        send(http, v7, "PUT", f"{V0}/debug", {"value": True})
    assert v7.settings["debug"] is False
    assert answer(send(http, v7, "PUT", f"{V0}/debug", {"value": True})) == (200, {"status": "ok"})
    sent = [r for r in v7.recorded() if r.path == f"{V0}/debug"]
    assert [r.json() for r in sent] == [{"value": True}] * 2
