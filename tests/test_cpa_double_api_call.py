"""The double's /api-call and model definitions follow cpa-management-api §5.7 and §7 (and cpa-v8 §5.1)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest
import urllib3

from tests.cpa_double import CpaDouble, records

KEY = "test-management-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
V0 = "/v0/management"
V8 = "/v8/management"
CLAUDE_KEY = records.PROVIDER_KEYS["claude"][0]
ORX_KEY = records.PROVIDER_KEYS["openai-compatible-x"][0]
ORX_BASE = "https://openrouter.example/api/v1"


@pytest.fixture
def http() -> Iterator[urllib3.PoolManager]:
    pool = urllib3.PoolManager(retries=False, timeout=5.0)
    yield pool
    pool.clear()


@pytest.fixture
def cpa() -> Iterator[CpaDouble]:
    with CpaDouble(version="v8.0.47") as double:
        yield double


def send(http: urllib3.PoolManager, cpa: CpaDouble, method: str, path: str, body: object = None
         ) -> tuple[int, object]:
    data = None if body is None else json.dumps(body).encode()
    resp = http.request(method, cpa.base_url + path, body=data, headers=AUTH)
    return resp.status, (json.loads(resp.data) if resp.data else None)


def seed_index(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def test_token_is_substituted_from_the_config_key(cpa, http):
    index = seed_index(f"openai-compatibility:{ORX_BASE}+{ORX_KEY}")
    status, reply = send(http, cpa, "POST", f"{V0}/api-call", {
        "auth_index": index, "method": "get", "url": f"{ORX_BASE}/models",
        "header": {"Authorization": "Bearer $TOKEN$"}})
    assert status == 200 and reply["status_code"] == 200
    assert reply["header"] == {"Content-Type": ["application/json"]}
    assert "qwen/qwen3-coder" in {m["id"] for m in json.loads(reply["body"])["data"]}
    [call] = cpa.api_calls
    assert (call.method, call.headers) == ("GET", {"Authorization": f"Bearer {ORX_KEY}"})
    sent = [r for r in cpa.recorded() if r.path == f"{V0}/api-call"]
    assert ORX_KEY.encode() not in sent[0].body  # the key never passed through the caller


def test_v8_path_and_alternative_index_spelling(cpa, http):
    index = seed_index(f"claude-api-key:+{CLAUDE_KEY}")
    status, reply = send(http, cpa, "POST", f"{V8}/requests/api-call", {
        "authIndex": index, "method": "GET", "url": "https://api.anthropic.com/v1/models",
        "header": {"x-api-key": "$TOKEN$", "anthropic-version": "2023-06-01"}})
    assert status == 200 and json.loads(reply["body"])["data"][0]["type"] == "model"
    assert cpa.api_calls[-1].headers["x-api-key"] == CLAUDE_KEY


def test_unknown_index_keeps_the_placeholder_and_upstream_401_is_still_200(cpa, http):
    status, reply = send(http, cpa, "POST", f"{V0}/api-call", {
        "auth_index": "0123456789abcdef", "method": "GET", "url": "https://api.openai.com/v1/models",
        "header": {"Authorization": "Bearer $TOKEN$"}})
    assert (status, reply["status_code"]) == (200, 401)
    assert cpa.api_calls[-1].headers == {"Authorization": "Bearer $TOKEN$"}


def test_unreachable_host_is_502(cpa, http):
    assert send(http, cpa, "POST", f"{V0}/api-call", {
        "method": "GET", "url": "https://nowhere.invalid/v1/models", "header": {"Authorization": "Bearer x"}}) == (
        502, {"error": "request failed"})


@pytest.mark.parametrize(("body", "error"), [
    ({"url": "https://api.openai.com/v1/models"}, "missing method"),
    ({"method": "GET"}, "missing url"),
    ({"method": "GET", "url": "/v1/models"}, "invalid url"),
    ({"method": "GET", "url": "https://api.openai.com", "proxy_url": "ftp://p:1"}, "invalid proxy_url"),
    ({"method": "GET", "url": "https://api.openai.com", "header": {"a": 1}}, "invalid body"),
])
def test_api_call_body_errors(cpa, http, body, error):
    assert send(http, cpa, "POST", f"{V0}/api-call", body) == (400, {"error": error})
    assert cpa.api_calls == []


def test_upstream_is_pluggable(cpa, http):
    seen = []

    def upstream(method, url, headers, data):
        seen.append((method, url, data))
        return 429, {"retry-after": "30"}, b'{"error":"slow down"}'

    cpa.upstream = upstream
    reply = send(http, cpa, "POST", f"{V0}/api-call", {"method": "POST", "url": "https://q.example/x", "data": "{}"})
    assert reply == (200, {"status_code": 429, "header": {"Retry-After": ["30"]}, "body": '{"error":"slow down"}'})
    assert seen == [("POST", "https://q.example/x", "{}")]


def test_model_definitions(cpa, http):
    status, reply = send(http, cpa, "GET", f"{V0}/model-definitions/Claude")
    assert status == 200 and reply["channel"] == "claude"
    assert list(reply["models"][0])[:5] == ["id", "object", "created", "owned_by", "type"]
    assert send(http, cpa, "GET", f"{V0}/model-definitions?channel=grok")[1]["models"][0]["id"] == "grok-4"
    assert send(http, cpa, "GET", f"{V8}/routing/model-definitions/codex")[1]["channel"] == "codex"
    assert send(http, cpa, "GET", f"{V0}/model-definitions/qwen") == (
        400, {"channel": "qwen", "error": "unknown channel"})
