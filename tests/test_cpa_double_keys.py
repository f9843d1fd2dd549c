"""The double's client keys, key names, provider lists and Ampcode routes follow the spec
(cpa-management-api §2, §3; cpa-v8 §5.2 provider groups, §6.4 key names)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator

import pytest
import urllib3

from tests.cpa_double import CpaDouble, RespClient, records

KEY = "test-management-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
V0 = "/v0/management"
V8 = "/v8/management"
GEMINI_KEY = records.PROVIDER_KEYS["gemini"][0]
ORX_KEY = records.PROVIDER_KEYS["openai-compatible-x"][0]


@pytest.fixture
def http() -> Iterator[urllib3.PoolManager]:
    pool = urllib3.PoolManager(retries=False, timeout=5.0, maxsize=8)
    yield pool
    pool.clear()


@pytest.fixture
def cpa() -> Iterator[CpaDouble]:
    with CpaDouble(api_keys=["sk-a", "sk-b"]) as double:
        yield double


@pytest.fixture
def v8() -> Iterator[CpaDouble]:
    with CpaDouble(version="8.0.47", api_keys=["sk-team-0001"]) as double:
        yield double


def send(http: urllib3.PoolManager, cpa: CpaDouble, method: str, path: str, body: object = None
         ) -> tuple[int, object]:
    data = None if body is None else json.dumps(body).encode()
    resp = http.request(method, cpa.base_url + path, body=data, headers=AUTH)
    return resp.status, (json.loads(resp.data) if resp.data else None)


def spec_auth_index(seed: str) -> str:
    """cpa-management-api §3.2, written out again: hex of the first 8 bytes of sha256(seed)."""
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


# --- client API keys ---------------------------------------------------------------------------


def test_api_keys_put_patch_delete_quirks(cpa, http):
    assert send(http, cpa, "GET", f"{V0}/api-keys") == (200, {"api-keys": ["sk-a", "sk-b"]})
    assert send(http, cpa, "PUT", f"{V0}/api-keys", {"items": []}) == (400, {"error": "invalid body"})
    assert send(http, cpa, "PUT", f"{V0}/api-keys", {"items": [" x ", "y", "y"]})[0] == 200
    assert send(http, cpa, "GET", f"{V0}/api-keys")[1] == {"api-keys": [" x ", "y", "y"]}  # kept as sent
    assert send(http, cpa, "PATCH", f"{V0}/api-keys", {"index": 1, "value": "z"})[0] == 200
    assert send(http, cpa, "PATCH", f"{V0}/api-keys", {"old": "absent", "new": "w"})[0] == 200  # appends
    assert send(http, cpa, "PATCH", f"{V0}/api-keys", {"index": 9, "value": "q"}) == (400, {"error": "missing fields"})
    assert send(http, cpa, "GET", f"{V0}/api-keys")[1] == {"api-keys": [" x ", "z", "y", "w"]}
    assert send(http, cpa, "DELETE", f"{V0}/api-keys?index=1abc")[0] == 200  # read like %d
    assert send(http, cpa, "DELETE", f"{V0}/api-keys?value=x")[0] == 200  # trimmed match
    assert send(http, cpa, "GET", f"{V0}/api-keys")[1] == {"api-keys": ["y", "w"]}
    assert send(http, cpa, "DELETE", f"{V0}/api-keys") == (400, {"error": "missing index or value"})
    assert send(http, cpa, "PUT", f"{V0}/api-keys", [])[0] == 200
    assert send(http, cpa, "GET", f"{V0}/api-keys") == (200, {"api-keys": None})  # null after PUT []
    assert "# Client keys: who may call this proxy" in cpa.read_config_text()


def test_concurrent_key_edits_lose_nothing(cpa, http):
    threads = [threading.Thread(target=send, args=(http, cpa, "PATCH", f"{V0}/api-keys",
                                                   {"old": f"none-{i}", "new": f"sk-new-{i}"})) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    keys = send(http, cpa, "GET", f"{V0}/api-keys")[1]["api-keys"]
    assert sorted(keys) == sorted(["sk-a", "sk-b", *(f"sk-new-{i}" for i in range(12))])


def test_key_names_on_v8(v8, http):
    digest = hashlib.sha256(b"sk-team-0001").hexdigest()
    assert send(http, v8, "GET", f"{V8}/access/api-key-names") == (200, {"names": {}})
    other = "0" * 64
    assert send(http, v8, "PATCH", f"{V8}/access/api-key-names", {"names": {digest: "Team", other: ""}}) == (
        200, {"names": {digest: "Team", other: ""}})
    kept = send(http, v8, "PATCH", f"{V8}/access/api-key-names",
                {"names": {digest: "Auto", other: "Auto"}, "only_if_absent": True})
    assert kept == (200, {"names": {digest: "Team", other: ""}})  # a tombstone counts as present
    with RespClient(v8.port) as sub:
        assert sub.call("AUTH", KEY) == "OK" and sub.call("SUBSCRIBE", "usage")[0] == b"subscribe"
        assert sub.read() == [b"message", b"usage", b'{"support_refresh":true}']
        assert send(http, v8, "PATCH", f"{V8}/access/api-key-names", {"names": {other: "Ops"}})[0] == 200
        assert sub.read() == [b"message", b"usage", b'{"refresh":true}']  # collectors re-read the names
    assert json.loads(v8.config_path.with_name("api-key-names.json").read_text())["names"][digest] == "Team"
    refusals = [({"names": {"abc": "x"}}, "invalid_key_name"), ({"names": {digest: "n" * 129}}, "invalid_key_name"),
                ({"names": {digest: "mine sk-team-0001"}}, "name_contains_key"), ({"names": []}, "invalid_key_names")]
    for body, code in refusals:
        status, reply = send(http, v8, "PATCH", f"{V8}/access/api-key-names", body)
        assert (status, reply["error"]) == (400, code)


def test_key_names_and_meta_do_not_exist_on_v7(cpa, http):
    assert http.request("GET", f"{cpa.base_url}{V8}/access/api-key-names", headers=AUTH).status == 404
    assert send(http, cpa, "GET", f"{V0}/meta-api-key") == (404, None)


# --- provider lists -------------------------------------------------------------------------------


def test_get_adds_auth_index_from_the_spec_formula(cpa, http):
    gemini = send(http, cpa, "GET", f"{V0}/gemini-api-key")[1]["gemini-api-key"]
    assert gemini == [{"api-key": GEMINI_KEY, "auth-index": spec_auth_index(f"gemini-api-key:+{GEMINI_KEY}")}]
    [compat] = send(http, cpa, "GET", f"{V0}/openai-compatibility")[1]["openai-compatibility"]
    base = "https://openrouter.example/api/v1"
    assert list(compat) == ["name", "disabled", "base-url", "api-key-entries"]
    assert compat["api-key-entries"] == [
        {"api-key": ORX_KEY, "auth-index": spec_auth_index(f"openai-compatibility:{base}+{ORX_KEY}")}]
    assert send(http, cpa, "GET", f"{V0}/codex-api-key") == (200, {"codex-api-key": None})


def test_put_normalises_and_drops_codex_without_base_url(cpa, http):
    entries = [
        {"api-key": " sk-1 ", "base-url": " https://api.openai.com/v1 ", "prefix": "/team/",
         "excluded-models": ["GPT-5", "gpt-5", " "], "headers": {"X-A": "1", "X-B": " "}},
        {"api-key": "sk-2"},  # no base-url: silently dropped
        {"api-key": "sk-3", "base-url": "https://b.example", "prefix": "a/b", "weight": 0},
    ]
    assert send(http, cpa, "PUT", f"{V0}/codex-api-key", entries) == (200, {"status": "ok"})
    shown = send(http, cpa, "GET", f"{V0}/codex-api-key")[1]["codex-api-key"]
    assert shown == [
        {"api-key": "sk-1", "prefix": "team", "base-url": "https://api.openai.com/v1", "proxy-url": "",
         "models": None, "headers": {"X-A": "1"}, "excluded-models": ["gpt-5"],
         "auth-index": spec_auth_index("codex-api-key:https://api.openai.com/v1+sk-1")},
        {"api-key": "sk-3", "weight": 0, "base-url": "https://b.example", "proxy-url": "", "models": None,
         "auth-index": spec_auth_index("codex-api-key:https://b.example+sk-3")},
    ]


@pytest.mark.parametrize(("family", "items", "error"), [
    ("gemini-api-key", [{"api-key": "k", "weight": 1000001}],
     "gemini-api-key[0].weight: weight must not exceed 1000000"),
    ("vertex-api-key", [{"api-key": "v"}, {"api-key": " "}], "vertex-api-key[1].api-key is required"),
    ("claude-api-key", [{"api-key": "k", "weight": "2"}], "invalid body"),
    ("xai-api-key", {"items": []}, "invalid body"),
])
def test_put_refusals_change_nothing(cpa, http, family, items, error):
    before = cpa.read_config_text()
    assert send(http, cpa, "PUT", f"{V0}/{family}", items) == (400, {"error": error})
    assert cpa.read_config_text() == before


def test_gemini_put_drops_duplicates_and_empty_entries(cpa, http):
    items = [{"api-key": "g1"}, {"api-key": " g1 "}, {"api-key": "", "base-url": ""}, {"base-url": "https://g"}]
    assert send(http, cpa, "PUT", f"{V0}/gemini-api-key", items)[0] == 200
    shown = send(http, cpa, "GET", f"{V0}/gemini-api-key")[1]["gemini-api-key"]
    assert [(e.get("api-key"), e.get("base-url")) for e in shown] == [("g1", None), (None, "https://g")]


def test_patch_rules(cpa, http):
    send(http, cpa, "PUT", f"{V0}/gemini-api-key", [{"api-key": "g1", "base-url": "https://a"},
                                                  {"api-key": "g1", "base-url": "https://b"}, {"api-key": "g2"}])
    path = f"{V0}/gemini-api-key"
    assert send(http, cpa, "PATCH", path, {"match": "g1", "value": {"prefix": "x"}}) == (
        400, {"error": "multiple items match; index is required"})
    assert send(http, cpa, "PATCH", f"{path}?base-url=https://b", {"match": "g1", "value": {"weight": 5}})[0] == 200
    assert send(http, cpa, "PATCH", path, {"match": "nope", "value": {}}) == (404, {"error": "item not found"})
    assert send(http, cpa, "PATCH", path, {"index": 1}) == (400, {"error": "invalid body"})
    assert send(http, cpa, "PATCH", path, {"index": 1, "value": {"weight": 1.5}}) == (
        400, {"error": "weight must be an integer"})
    assert send(http, cpa, "PATCH", path, {"index": 1, "value": {"disable-cooling": "no"}}) == (
        400, {"error": "disable-cooling must be a boolean or null"})
    assert send(http, cpa, "PATCH", path, {"index": 2, "value": {"priority": 9, "disable-cooling": False}})[0] == 200
    shown = send(http, cpa, "GET", path)[1]["gemini-api-key"]
    assert shown[1]["weight"] == 5 and "priority" not in shown[2] and shown[2]["disable-cooling"] is False
    assert send(http, cpa, "PATCH", path, {"index": 1, "value": {"weight": None}})[0] == 200
    assert "weight" not in send(http, cpa, "GET", path)[1]["gemini-api-key"][1]
    # Emptying what identifies an entry deletes it.
    assert send(http, cpa, "PATCH", path, {"index": 2, "value": {"api-key": ""}})[0] == 200
    assert len(send(http, cpa, "GET", path)[1]["gemini-api-key"]) == 2
    send(http, cpa, "PUT", f"{V0}/codex-api-key", [{"api-key": "c", "base-url": "https://c"}])
    assert send(http, cpa, "PATCH", f"{V0}/codex-api-key", {"match": "c", "value": {"base-url": ""}})[0] == 200
    assert send(http, cpa, "GET", f"{V0}/codex-api-key")[1] == {"codex-api-key": None}


def test_delete_table(cpa, http):
    send(http, cpa, "PUT", f"{V0}/gemini-api-key", [{"api-key": "g", "base-url": "https://a"},
                                                  {"api-key": "g", "base-url": "https://b"}])
    send(http, cpa, "PUT", f"{V0}/claude-api-key", [{"api-key": "c", "base-url": "https://a"},
                                                  {"api-key": "c", "base-url": "https://a"}])
    gem, claude, compat = f"{V0}/gemini-api-key", f"{V0}/claude-api-key", f"{V0}/openai-compatibility"
    assert send(http, cpa, "DELETE", f"{gem}?api-key=g") == (
        400, {"error": "multiple items match api-key; base-url is required"})
    assert send(http, cpa, "DELETE", f"{gem}?api-key=g&base-url=https://z") == (404, {"error": "item not found"})
    assert send(http, cpa, "DELETE", f"{gem}?api-key=g&base-url=https://a")[0] == 200
    assert send(http, cpa, "DELETE", f"{gem}?api-key=zz") == (404, {"error": "item not found"})
    assert send(http, cpa, "DELETE", gem) == (400, {"error": "missing api-key or index"})
    assert send(http, cpa, "DELETE", f"{claude}?api-key=zz") == (200, {"status": "ok"})  # no-op
    assert send(http, cpa, "DELETE", f"{claude}?api-key=c")[0] == 400
    assert send(http, cpa, "DELETE", f"{claude}?api-key=c&base-url=https://a")[0] == 200  # all matches
    assert send(http, cpa, "GET", claude)[1] == {"claude-api-key": None}
    assert send(http, cpa, "DELETE", compat) == (400, {"error": "missing name or index"})
    assert send(http, cpa, "DELETE", f"{compat}?name=X")[0] == 200  # case-sensitive: "x" stays
    assert len(send(http, cpa, "GET", compat)[1]["openai-compatibility"]) == 1
    assert send(http, cpa, "DELETE", f"{compat}?index=0")[0] == 200
    assert send(http, cpa, "GET", compat)[1] == {"openai-compatibility": None}


def test_v8_file_keeps_groups(v8, http):
    assert send(http, v8, "PUT", f"{V8}/config/routing/strategy", "fill-first")[0] == 200  # the rewrite
    items = [{"api-key": "c1", "base-url": "https://c"}, {"api-key": "c2", "base-url": "https://c", "weight": 2},
             {"api-key": "c3", "base-url": "https://d"}]
    assert send(http, v8, "PUT", f"{V0}/codex-api-key", items)[0] == 200
    groups = send(http, v8, "GET", f"{V8}/config/api-keys/codex")[1]
    assert groups == [{"base-url": "https://c", "keys": [{"api-key": "c1"}, {"api-key": "c2", "weight": 2}]},
                      {"base-url": "https://d", "keys": [{"api-key": "c3"}]}]
    flat = send(http, v8, "GET", f"{V0}/codex-api-key")[1]["codex-api-key"]
    assert [e["api-key"] for e in flat] == ["c1", "c2", "c3"]
    assert send(http, v8, "DELETE", f"{V0}/codex-api-key?index=1")[0] == 200  # the flattened position
    assert send(http, v8, "GET", f"{V8}/config/api-keys/codex")[1][0]["keys"] == [{"api-key": "c1"}]
    assert send(http, v8, "PUT", f"{V0}/meta-api-key", [{"api-key": "m"}])[0] == 200
    assert send(http, v8, "GET", f"{V8}/config/api-keys/meta")[1] == [{"keys": [{"api-key": "m"}]}]
    text = v8.read_config_text()
    assert "\ncodex-api-key:" not in text and "config-version: 8" in text


def test_v8_groups_without_base_url_are_dropped_for_codex(v8, http):
    v8.rewrite_to_v8()
    groups = [{"keys": [{"api-key": "lost"}]}, {"base-url": "https://c", "keys": [{"api-key": "kept"}]}]
    assert send(http, v8, "PUT", f"{V8}/config/api-keys/codex", groups)[0] == 200
    assert [e["api-key"] for e in send(http, v8, "GET", f"{V0}/codex-api-key")[1]["codex-api-key"]] == ["kept"]
    assert send(http, v8, "GET", f"{V8}/config/api-keys/codex")[1] == groups  # the file keeps what was sent


# --- Ampcode -------------------------------------------------------------------------------------


def test_ampcode_routes_exist_only_before_7_2_0(http):
    with CpaDouble(version="v7.1.30") as old:
        assert send(http, old, "PUT", f"{V0}/ampcode/upstream-url", {"value": " https://ampcode.com "})[0] == 200
        assert send(http, old, "GET", f"{V0}/ampcode/upstream-url") == (200, {"upstream-url": "https://ampcode.com"})
        maps = f"{V0}/ampcode/model-mappings"
        assert send(http, old, "PUT", maps, {"value": [{"from": "claude-opus-4", "to": "gpt-5.4"}]})[0] == 200
        assert send(http, old, "PATCH", maps, {"value": [{"from": "claude-opus-4", "to": "gemini-2.5-pro"},
                                                        {"from": "a", "to": "b"}]})[0] == 200
        assert send(http, old, "DELETE", maps, {"value": ["a"]})[0] == 200
        assert send(http, old, "GET", maps) == (200, {"model-mappings": [{"from": "claude-opus-4",
                                                                          "to": "gemini-2.5-pro"}]})
        assert send(http, old, "PUT", f"{V0}/ampcode/force-model-mappings", {"value": True})[0] == 200
        assert "ampcode:\n  upstream-url: https://ampcode.com" in old.read_config_text()
    with CpaDouble(version="v7.2.0") as new:
        assert send(http, new, "GET", f"{V0}/ampcode/upstream-url") == (404, None)
