"""The double's credentials, OAuth login and OAuth model maps follow the spec (cpa-management-api §4–§6;
cpa-v8 §5.1 paths, §6.1 providers, §6.2 /credentials)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
import urllib3

from tests.cpa_double import CpaDouble
from tests.cpa_double.credential_store import AUTH_DIR

KEY = "test-management-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
V0 = "/v0/management"
V8 = "/v8/management"


@pytest.fixture
def http() -> Iterator[urllib3.PoolManager]:
    pool = urllib3.PoolManager(retries=False, timeout=5.0, maxsize=8)
    yield pool
    pool.clear()


@pytest.fixture
def cpa() -> Iterator[CpaDouble]:
    with CpaDouble(KEY) as double:
        yield double


@pytest.fixture
def v8() -> Iterator[CpaDouble]:
    with CpaDouble(KEY, version="v8.0.47") as double:
        yield double


def send(http: urllib3.PoolManager, cpa: CpaDouble, method: str, path: str, body: Any = None, *,
         raw: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    resp = http.request(method, cpa.base_url + path, body=data, headers=AUTH if headers is None else headers)
    try:
        return resp.status, json.loads(resp.data) if resp.data else None
    except ValueError:
        return resp.status, resp.data


def multipart(http: urllib3.PoolManager, cpa: CpaDouble, path: str, fields: list[Any]) -> tuple[int, Any]:
    body, content_type = urllib3.encode_multipart_formdata(fields)
    return send(http, cpa, "POST", path, raw=body, headers={**AUTH, "Content-Type": content_type})


# --- auth files ----------------------------------------------------------------------------------


def test_upload_resaves_the_file_and_lists_it_with_the_spec_auth_index(cpa, http):
    raw = b'{"type": "Codex", "email": "carol@example.com", "proxy-url": "http://p:1", "priority": 3}'
    assert send(http, cpa, "POST", f"{V0}/auth-files?name=carol.json", raw=raw) == (200, {"status": "ok"})
    status, body = send(http, cpa, "GET", f"{V0}/auth-files?name=carol.json")
    [entry] = body["files"]
    index = hashlib.sha256(f"codex:{AUTH_DIR}/carol.json".encode()).hexdigest()[:16]
    assert status == 200 and entry["auth_index"] == index and entry["path"] == f"{AUTH_DIR}/carol.json"
    assert {k: entry[k] for k in ("type", "label", "email", "priority", "status", "disabled", "source")} == {
        "type": "codex", "label": "carol@example.com", "email": "carol@example.com", "priority": 3,
        "status": "active", "disabled": False, "source": "file"}
    assert list(entry) == sorted(entry) and "proxy_url" not in entry  # keys alphabetical; §5.1 omits proxy_url
    resp = http.request("GET", f"{cpa.base_url}{V0}/auth-files/download?name=carol.json", headers=AUTH)
    assert resp.headers["Content-Disposition"] == 'attachment; filename="carol.json"'
    assert resp.data == (b'{"disabled":false,"email":"carol@example.com","priority":3,"proxy_url":"http://p:1",'
                         b'"type":"Codex"}')


def test_multipart_upload_answers_207_with_the_failed_files(cpa, http):
    status, body = multipart(http, cpa, f"{V0}/auth-files", [
        ("file", ("a.json", b'{"type":"claude"}', "application/json")),
        ("file", ("b.json", b'{"type":', "application/json")),
        ("file", ("c.txt", b"{}", "text/plain")),
    ])
    assert status == 207
    assert body["files"] == ["a.json"] and body["uploaded"] == 1 and body["status"] == "partial"
    assert [f["name"] for f in body["failed"]] == ["b.json", "c.txt"]
    assert body["failed"][0]["error"].startswith("invalid auth file: ")
    assert body["failed"][1]["error"] == "file must be .json"
    assert send(http, cpa, "POST", f"{V0}/auth-files?name=x.json", raw=b"[1]")[0] == 500


@pytest.mark.parametrize(("path", "expected"), [
    ("download?name=", (400, {"error": "invalid name"})),
    ("download?name=a/b.json", (400, {"error": "invalid name"})),
    ("download?name=a.txt", (400, {"error": "name must end with .json"})),
    ("download?name=missing.json", (404, {"error": "file not found"})),
    ("models", (400, {"error": "name is required"})),
])
def test_download_and_models_errors(cpa, http, path, expected):
    assert send(http, cpa, "GET", f"{V0}/auth-files/{path}") == expected


def test_delete_variants(cpa, http):
    for name in ("a.json", "b.json", "c.json", "d.json"):
        cpa.credentials.add(name, {"type": "codex"})
    assert send(http, cpa, "DELETE", f"{V0}/auth-files?name=a.json") == (200, {"status": "ok"})
    assert send(http, cpa, "DELETE", f"{V0}/auth-files?name=a.json") == (404, {"error": "auth file not found"})
    assert send(http, cpa, "DELETE", f"{V0}/auth-files", {"names": ["b.json", "zz.json"]}) == (
        207, {"deleted": 1, "failed": [{"error": "auth file not found", "name": "zz.json"}], "files": ["b.json"],
              "status": "partial"})
    assert send(http, cpa, "DELETE", f"{V0}/auth-files", ["c.json"]) == (200, {"status": "ok"})
    assert send(http, cpa, "DELETE", f"{V0}/auth-files") == (400, {"error": "invalid name"})
    assert send(http, cpa, "DELETE", f"{V0}/auth-files?all=true") == (200, {"deleted": 3, "status": "ok"})
    assert cpa.credentials.names() == []


def test_status_and_fields_write_the_file(v8, http):
    v8.credentials.add("k.json", {"type": "kimi", "headers": {"X-A": "1", "X-B": "2"}})
    base = f"{V8}/credentials"
    assert send(http, v8, "PATCH", f"{base}/status", {"name": "k.json", "disabled": True}) == (
        200, {"disabled": True, "status": "ok"})
    [entry] = send(http, v8, "GET", f"{base}?name=k.json")[1]["files"]
    assert (entry["status"], entry["status_message"], entry["disabled"]) == (
        "disabled", "disabled via management API", True)
    assert send(http, v8, "GET", f"{base}/models?name=k.json") == (200, {"models": []})
    assert send(http, v8, "PATCH", f"{base}/status", {"name": "k.json"}) == (400, {"error": "disabled is required"})
    assert send(http, v8, "PATCH", f"{base}/fields", {"name": "k.json", "headers": {"X-A": "", "X-C": "3"},
                                                       "proxy-url": "socks5://h:1", "weight": 5, "a.b": 1}) == (
        200, {"status": "ok"})
    stored = json.loads(v8.credentials.raw("k.json"))
    assert stored["headers"] == {"X-B": "2", "X-C": "3"} and stored["proxy_url"] == "socks5://h:1"
    assert stored["weight"] == 5 and stored["a"] == {"b": 1}
    assert send(http, v8, "PATCH", f"{base}/fields", {"name": "k.json", "weight": 2_000_000}) == (
        400, {"error": "weight must not exceed 1000000"})
    assert send(http, v8, "PATCH", f"{base}/fields", {"name": "k.json", "proxy_url": "a", "proxy-url": "b"}) == (
        400, {"error": 'auth file fields "proxy_url" and "proxy-url" refer to the same field'})
    assert send(http, v8, "PATCH", f"{base}/fields", {"name": "k.json"}) == (400, {"error": "no fields to update"})
    v8.credentials.fail_for("k.json", 500, "disk full")
    assert send(http, v8, "PATCH", f"{base}/status", {"name": "k.json", "disabled": False}) == (
        500, {"error": "disk full"})
    assert send(http, v8, "PATCH", f"{base}/status", {"name": "k.json", "disabled": False})[0] == 200


def test_v8_lists_quota_and_refreshes(v8, http):
    v8.credentials.set_state("claude-bob@example.com.json", quota={"observed_at": "t", "signals": {"retry-after": "9"}},
                             unavailable=True, next_retry_after="2026-12-05T10:00:00Z")
    [entry] = send(http, v8, "GET", f"{V8}/credentials?name=claude-bob@example.com.json")[1]["files"]
    assert entry["quota"]["signals"] == {"retry-after": "9"}
    assert (entry["unavailable"], entry["next_retry_after"]) == (True, "2026-12-05T10:00:00Z")
    status, body = send(http, v8, "POST", f"{V8}/credentials/refresh?name=claude-bob@example.com.json")
    assert status == 200 and body["ok"] is True and body["auth"]["name"] == "claude-bob@example.com.json"


def test_vertex_import_v0_and_v8(cpa, v8, http):
    account = {"project_id": "acme prod", "client_email": "bot@acme", "private_key": "-----BEGIN PRIVATE KEY-----\n"}
    file = ("file", ("sa.json", json.dumps(account).encode(), "application/json"))
    status, body = multipart(http, cpa, f"{V0}/vertex/import", [file, ("location", "europe-west4")])
    assert (status, body["project_id"], body["location"]) == (200, "acme prod", "europe-west4")
    assert body["auth-file"] == f"{AUTH_DIR}/vertex-acme-prod.json"
    status, body = multipart(http, v8, f"{V8}/oauth/import?provider=vertex", [file])
    assert (status, body["location"]) == (200, "us-central1")
    assert multipart(http, cpa, f"{V0}/vertex/import", [("location", "x")]) == (400, {"error": "file required"})
    bad = ("file", ("sa.json", b'{"project_id": "p"}', "application/json"))
    assert multipart(http, cpa, f"{V0}/vertex/import", [bad])[1]["error"] == "invalid service account"


# --- OAuth login ---------------------------------------------------------------------------------


def test_v0_login_wait_ok_and_unknown_routes(cpa, http):
    status, start = send(http, cpa, "GET", f"{V0}/anthropic-auth-url?is_webui=true")
    assert status == 200 and set(start) == {"state", "status", "url"} and len(start["state"]) == 32
    state = start["state"]
    assert send(http, cpa, "GET", f"{V0}/get-auth-status?state={state}") == (200, {"status": "wait"})
    saved = cpa.oauth.complete(state)
    assert send(http, cpa, "GET", f"{V0}/get-auth-status?state={state}") == (200, {"status": "ok"})
    assert saved in cpa.credentials.names()
    cpa.clock.advance(61)
    assert send(http, cpa, "GET", f"{V0}/get-auth-status?state={state}") == (
        200, {"error": "unknown or expired state", "status": "error"})
    assert send(http, cpa, "GET", f"{V0}/get-auth-status?state=a..b") == (
        400, {"error": "invalid state", "status": "error"})
    assert send(http, cpa, "GET", f"{V0}/devin-auth-url")[0] == 404  # v8-era provider
    assert send(http, cpa, "GET", f"{V0}/gemini-cli-auth-url")[0] == 404


def test_device_flow_error_and_session_cancel(v8, http):
    status, start = send(http, v8, "GET", f"{V8}/oauth/auth-url?provider=kimi-ai")
    assert status == 200 and start["flow"] == "device" and start["user_code"] and start["state"].startswith("kmi-")
    v8.oauth.fail(start["state"], "OAuth flow timed out")
    assert send(http, v8, "GET", f"{V8}/oauth/status?state={start['state']}") == (
        200, {"error": "OAuth flow timed out", "status": "error"})
    state = send(http, v8, "GET", f"{V8}/oauth/auth-url?provider=claude")[1]["state"]
    assert send(http, v8, "DELETE", f"{V8}/oauth/session?state={state}") == (200, {"cancelled": True, "status": "ok"})
    assert send(http, v8, "DELETE", f"{V8}/oauth/session?state={state}") == (
        200, {"cancelled": False, "status": "ok"})
    assert send(http, v8, "GET", f"{V8}/oauth/auth-url?provider=qwen") == (404, {"error": "provider_not_found"})
    assert send(http, v8, "GET", f"{V0}/meta-auth-url")[1]["flow"] == "device"


def test_callback_needs_no_key_and_validates(cpa, http):
    state = send(http, cpa, "GET", f"{V0}/codex-auth-url")[1]["state"]
    bare = {"Content-Type": "application/json"}
    cb = f"{V0}/oauth-callback"
    assert send(http, cpa, "POST", cb, {"provider": "openai"}, headers=bare) == (
        400, {"error": "state is required", "status": "error"})
    assert send(http, cpa, "POST", cb, {"redirect_url": f"http://x/cb?state={state}"}, headers=bare) == (
        400, {"error": "code or error is required", "status": "error"})
    assert send(http, cpa, "POST", cb, {"provider": "claude", "state": state, "code": "c"}, headers=bare) == (
        400, {"error": "provider does not match state", "status": "error"})
    assert send(http, cpa, "POST", cb, {"state": "nope", "code": "c"}, headers=bare) == (
        404, {"error": "unknown or expired state", "status": "error"})
    resp = http.request("POST", cpa.base_url + cb, headers=bare,
                        body=json.dumps({"provider": "openai", "redirect_url": f"http://x/cb?code=c&state={state}"}))
    assert resp.status == 200 and "X-CPA-VERSION" not in resp.headers
    assert send(http, cpa, "GET", f"{V0}/get-auth-status?state={state}") == (200, {"status": "ok"})
    assert send(http, cpa, "POST", cb, {"state": state, "code": "c"}, headers=bare) == (
        409, {"error": "oauth flow is already completed", "status": "error"})


# --- OAuth model maps ----------------------------------------------------------------------------


def test_excluded_models_normalise_and_empty_map_reads_null(cpa, http):
    path = f"{V0}/oauth-excluded-models"
    assert send(http, cpa, "GET", path) == (200, {"oauth-excluded-models": None})
    assert send(http, cpa, "PATCH", path, {"provider": " Codex ", "models": ["GPT-5*", "gpt-5*", " "]}) == (
        200, {"status": "ok"})
    assert send(http, cpa, "GET", path) == (200, {"oauth-excluded-models": {"codex": ["gpt-5*"]}})
    assert send(http, cpa, "PATCH", path, {"provider": "xai", "models": []}) == (404, {"error": "provider not found"})
    assert send(http, cpa, "PATCH", path, {"provider": "", "models": ["a"]}) == (400, {"error": "invalid provider"})
    assert send(http, cpa, "DELETE", path) == (400, {"error": "missing provider"})
    assert send(http, cpa, "DELETE", f"{path}?provider=codex") == (200, {"status": "ok"})
    assert send(http, cpa, "GET", path) == (200, {"oauth-excluded-models": None})


def test_model_alias_drops_bad_entries_and_lands_in_a_v8_file(v8, http):
    v8.rewrite_to_v8()
    path = f"{V0}/oauth-model-alias"
    aliases = [{"name": "gpt-5.4", "alias": "fast"}, {"name": "a", "alias": "A"}, {"name": "b", "alias": "FAST"},
               {"name": "", "alias": "x"}, {"name": "gpt-5.4-mini", "alias": "mini", "fork": True}]
    assert send(http, v8, "PATCH", path, {"channel": "CODEX", "aliases": aliases}) == (200, {"status": "ok"})
    assert send(http, v8, "GET", path) == (200, {"oauth-model-alias": {"codex": [
        {"name": "gpt-5.4", "alias": "fast"}, {"name": "gpt-5.4-mini", "alias": "mini", "fork": True}]}})
    assert v8.config.v8_tree()["oauth"]["model-alias"]["codex"][0] == {"name": "gpt-5.4", "alias": "fast"}
