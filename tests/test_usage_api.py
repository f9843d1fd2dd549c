"""The usage API over HTTP: compatible payload, export, import."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from cpa_manager_desktop.app import App
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.rows import EventRow
from tests.client import assert_error, call
from tests.cpa_double import records
from tests.fixtures.spec_records import CLAUDE_APIKEY_FAILED, CODEX_OAUTH, V610_GEMINI, record

KEY = "right-key-123"
ENV = {"CPA_UPSTREAM_URL": "http://127.0.0.1:9", "CPA_MANAGEMENT_KEY": KEY}

CODEX_FIRST_ATTEMPT = record(  # same request id as CODEX_OAUTH: a failed first attempt on another account
    CODEX_OAUTH, timestamp="2026-08-22T14:03:10.1Z", auth_index="aaaa000011112222", source="bob@example.com",
    failed=True, fail={"status_code": 429, "body": "rate limited"}, latency_ms=300, token_breakdown=None,
    tokens={"input_tokens": 0, "output_tokens": 0, "total_tokens": 0})
CLAUDE_CACHED = record(
    CLAUDE_APIKEY_FAILED, timestamp="2026-08-22T15:00:00Z", request_id="c1", failed=False,
    fail={"status_code": 200, "body": ""}, latency_ms=2000,
    tokens={"input_tokens": 100, "output_tokens": 50, "reasoning_tokens": 0, "cached_tokens": 0,
            "cache_read_tokens": 1000, "cache_creation_tokens": 200, "total_tokens": 1350})
FIXED = [CODEX_OAUTH, CODEX_FIRST_ATTEMPT, CLAUDE_APIKEY_FAILED, CLAUDE_CACHED, V610_GEMINI]


def tokens(inp: int, out: int, reasoning: int, cache_read: int, cache_write: int, total: int) -> dict[str, int]:
    return {"input_tokens": inp, "output_tokens": out, "reasoning_tokens": reasoning, "cached_tokens": cache_read,
            "cache_tokens": cache_read, "cache_read_tokens": cache_read, "cache_creation_tokens": cache_write,
            "total_tokens": total}


DETAIL_CODEX = {"timestamp": "2026-08-22T14:03:11.482913507Z", "source": "ali***@example.com",
                "auth_index": "3f9c1a7be2d04c55", "latency_ms": 8421, "tokens": tokens(12000, 900, 320, 8000, 0, 12900),
                "failed": False}
DETAIL_CODEX_FIRST = {"timestamp": "2026-08-22T14:03:10.1Z", "source": "bob***@example.com",
                      "auth_index": "aaaa000011112222", "latency_ms": 300, "tokens": tokens(0, 0, 0, 0, 0, 0),
                      "failed": True}
# An API-key source in the Go service's masked form, which the upstream panel recognises as masked.
DETAIL_CLAUDE_FAILED = {"timestamp": "2026-08-22T14:05:02.0071Z", "source": "m:sk-a...cdef",
                        "auth_index": "b07e45c1d9a2f318", "latency_ms": 640, "tokens": tokens(0, 0, 0, 0, 0, 0),
                        "failed": True}
# Details carry the canonical buckets in OpenAI terms for every provider: Claude's separate cache read
# (1000) and write (200) are inside input_tokens (100 + 1000 + 200), Gemini's thoughts inside output.
DETAIL_CLAUDE_CACHED = {"timestamp": "2026-08-22T15:00:00Z", "source": "m:sk-a...cdef",
                        "auth_index": "b07e45c1d9a2f318",
                        "latency_ms": 2000, "tokens": tokens(1300, 50, 0, 1000, 200, 1350), "failed": False}
DETAIL_GEMINI = {"timestamp": "2026-03-01T00:00:00.5Z", "source": "my-vertex-project", "auth_index": "0011223344556677",
                 "latency_ms": 1200, "tokens": tokens(1000, 250, 50, 400, 0, 1250), "failed": False}

EXPECTED_PAYLOAD = {
    "total_requests": 5, "success_count": 3, "failure_count": 2, "total_tokens": 15500, "failed_requests": 2,
    "apis": {
        "POST /v1/messages": {"total_requests": 2, "total_tokens": 1350, "models": {
            "claude-sonnet-4-5-20250929": {"total_requests": 2, "total_tokens": 1350,
                                           "details": [DETAIL_CLAUDE_CACHED, DETAIL_CLAUDE_FAILED]}}},
        "POST /v1/responses": {"total_requests": 2, "total_tokens": 12900, "models": {
            "gpt-5.4": {"total_requests": 2, "total_tokens": 12900, "details": [DETAIL_CODEX, DETAIL_CODEX_FIRST]}}},
        "POST /v1beta/models/*action": {"total_requests": 1, "total_tokens": 1250, "models": {
            "gemini-2.5-pro": {"total_requests": 1, "total_tokens": 1250, "details": [DETAIL_GEMINI]}}},
    },
    "requests_by_day": {"2026-03-01": 1, "2026-08-22": 4},
    "requests_by_hour": {"00": 1, "14": 3, "15": 1},
    "tokens_by_day": {"2026-03-01": 1250, "2026-08-22": 14250},
    "tokens_by_hour": {"00": 1250, "14": 12900, "15": 1350},
}


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Legacy day/hour buckets use the server's zone; pin it so the expectations are exact."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def app(start_app: Callable[..., App]) -> App:
    return start_app(ENV)


def load(app: App, recs: list[dict[str, Any]]) -> None:
    rows = [classify(r) for r in recs]
    assert all(isinstance(r, EventRow) for r in rows)
    EventStore(app.db).add_batch(rows)


def usage(app: App, query: str = "") -> dict[str, Any]:
    reply = call("GET", f"{app.base_url}/v0/management/usage{query}", key=KEY)
    assert reply.status == 200, reply.body
    return reply.json


def test_compatible_payload_matches_hand_computed_values(app: App, utc: None) -> None:
    load(app, FIXED)
    assert usage(app) == EXPECTED_PAYLOAD


def test_limit_cuts_details_but_not_totals(app: App, utc: None) -> None:
    load(app, FIXED)
    payload = usage(app, "?limit=2")
    assert {k: v for k, v in payload.items() if k != "apis"} == {
        k: v for k, v in EXPECTED_PAYLOAD.items() if k != "apis"}
    details = {(api, model): m["details"] for api, a in payload["apis"].items() for model, m in a["models"].items()}
    assert details == {
        ("POST /v1/messages", "claude-sonnet-4-5-20250929"): [DETAIL_CLAUDE_CACHED, DETAIL_CLAUDE_FAILED],
        ("POST /v1/responses", "gpt-5.4"): [], ("POST /v1beta/models/*action", "gemini-2.5-pro"): []}


def test_window_covers_partial_hours_exactly(app: App, utc: None) -> None:
    load(app, FIXED)
    payload = usage(app, "?start=2026-08-22T14:03:11Z&end=2026-08-22T15:00:00.000000001Z")
    assert (payload["total_requests"], payload["failure_count"], payload["total_tokens"]) == (3, 1, 14250)
    assert payload["requests_by_hour"] == {"14": 2, "15": 1}
    start_ms = 1787407391000  # 2026-08-22T14:03:11Z as unix milliseconds
    assert usage(app, f"?start={start_ms}&end=2026-08-22T15:00:00.000000001Z")["total_requests"] == 3


def test_totals_cover_many_hours_from_rollups(app: App) -> None:
    recs = records.mixed_records(4000, seed=30)
    load(app, recs)
    payload = usage(app, "?limit=10")
    rows = [classify(r) for r in recs]
    assert payload["total_requests"] == 4000
    assert payload["failure_count"] == sum(r.failed for r in rows)
    assert payload["total_tokens"] == sum(r.total_tokens for r in rows)
    assert sum(len(m["details"]) for a in payload["apis"].values() for m in a["models"].values()) == 10


@pytest.mark.parametrize(("query", "message"), [
    ("?start=yesterday", "start must be RFC 3339 or unix milliseconds"),
    ("?start=2026-01-02T00:00:00Z&end=2026-01-01T00:00:00Z", "start must be before end"),
    ("?limit=0", "limit must be a positive whole number"),
])
def test_bad_usage_parameters(app: App, query: str, message: str) -> None:
    assert_error(call("GET", f"{app.base_url}/v0/management/usage{query}", key=KEY), 400, message)


def test_usage_requires_the_key(app: App) -> None:
    assert_error(call("GET", f"{app.base_url}/v0/management/usage"), 401, "invalid management key")


def totals(app: App) -> dict[str, Any]:
    payload = usage(app, "?limit=1")
    return {k: payload[k] for k in ("total_requests", "failure_count", "total_tokens", "requests_by_day")}


def test_export_then_import_into_an_empty_store_reproduces_totals(start_app: Callable[..., App], tmp_path) -> None:
    source = start_app(ENV, data_dir=str(tmp_path / "source"))
    target = start_app(ENV, data_dir=str(tmp_path / "target"))
    recs = records.mixed_records(2500, seed=31)
    load(source, recs)
    exported = call("GET", f"{source.base_url}/v0/management/usage/export", key=KEY)
    assert exported.status == 200 and exported.headers["content-type"] == "application/x-ndjson"
    assert exported.headers["content-disposition"].startswith('attachment; filename="cpa-usage-2')
    assert exported.body.count(b"\n") == 2500
    assert not [s for s in records.secrets_in(recs) if s.encode() in exported.body]
    reply = call("POST", f"{target.base_url}/v0/management/usage/import", key=KEY, body=exported.body)
    assert reply.json == {"format": "usage_service_jsonl", "added": 2500, "skipped": 0, "total": 2500, "failed": 0,
                          "unsupported": 0, "warnings": [], "errors": [], "inferred": {}}
    assert totals(target) == totals(source)
    again = call("POST", f"{target.base_url}/v0/management/usage/import", key=KEY, body=exported.body).json
    assert (again["added"], again["skipped"]) == (0, 2500)


def test_export_window_and_csv(app: App) -> None:
    load(app, FIXED)
    reply = call("GET", f"{app.base_url}/v0/management/usage/export?format=csv&start=2026-08-01T00:00:00Z", key=KEY)
    lines = reply.body.decode().splitlines()
    assert reply.headers["content-type"].startswith("text/csv") and len(lines) == 5
    assert lines[0].startswith("format,timestamp,request_id,provider")
    assert_error(call("GET", f"{app.base_url}/v0/management/usage/export?format=xml", key=KEY), 400,
                 "format must be jsonl or csv")


def legacy_snapshot(recs: list[dict[str, Any]]) -> dict[str, Any]:
    """CPA's own /usage/export: apis keyed by the plaintext client API key."""
    apis: dict[str, Any] = {}
    for rec in recs:
        model = apis.setdefault(rec["api_key"], {"models": {}})["models"].setdefault(rec["model"], {"details": []})
        model["details"].append({k: rec[k] for k in ("timestamp", "source", "auth_index", "latency_ms", "failed")}
                                | {"tokens": {k: rec["tokens"].get(k, 0) for k in (
                                    "input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens",
                                    "total_tokens")}})
    return {"version": 1, "exported_at": "2026-08-23T00:00:00Z",
            "usage": {"total_requests": len(recs), "apis": apis}}


def test_legacy_snapshot_import_reimport_and_overlap(app: App) -> None:
    recs = records.mixed_records(300, seed=32)
    older = json.dumps(legacy_snapshot(recs[:200])).encode()
    newer = json.dumps(legacy_snapshot(recs[100:300])).encode()
    first = call("POST", f"{app.base_url}/v0/management/usage/import", key=KEY, body=older).json
    assert (first["format"], first["added"], first["skipped"]) == ("legacy_usage_export", 200, 0)
    assert first["warnings"] == ["legacy_usage_metadata_is_partial", "legacy_usage_source_matching_may_be_approximate"]
    again = call("POST", f"{app.base_url}/v0/management/usage/import", key=KEY, body=older).json
    assert (again["added"], again["skipped"]) == (0, 200)
    overlap = call("POST", f"{app.base_url}/v0/management/usage/import", key=KEY, body=newer).json
    assert (overlap["added"], overlap["skipped"]) == (100, 100)
    assert usage(app, "?limit=1")["total_requests"] == 300
    stored = app.db.read(lambda c: c.execute("SELECT COUNT(*) FROM usage_events WHERE api_key_hash IS NOT NULL")
                         .fetchone()[0])
    assert stored == 300
    blobs = b"".join(p.read_bytes() for p in app.settings.db_path.parent.glob("usage.sqlite*"))
    assert not [s for s in records.secrets_in(recs) if s.encode() in blobs]


def test_malformed_import_is_rejected_whole_with_the_line_number(app: App) -> None:
    lines = [json.dumps(r) for r in records.mixed_records(50, seed=33)]
    lines[16] = '{"timestamp": "2026-08-22T14:00:00Z", "tokens": {"input_tokens": "lots"}}'
    lines[29] = "{not json"
    reply = call("POST", f"{app.base_url}/v0/management/usage/import", key=KEY, body="\n".join(lines).encode())
    assert reply.status == 400
    body = reply.json
    assert body["error"].startswith("line 17: token count 'lots' is not a whole number (2 bad lines; nothing imported)")
    assert [e["line"] for e in body["errors"]] == [17, 30] and body["failed"] == 2 and body["added"] == 0
    assert usage(app)["total_requests"] == 0
    partial = call("POST", f"{app.base_url}/v0/management/usage/import?skipInvalid=1", key=KEY,
                   body="\n".join(lines).encode()).json
    assert (partial["added"], partial["failed"]) == (48, 2)


@pytest.mark.parametrize(("body", "message"), [
    (b"", "the file is empty"),
    (json.dumps({"usage": {"total_requests": 9, "success_count": 9}}).encode(),
     "the file holds no request details to import"),
    (json.dumps({"total_requests": 9, "failure_count": 1}).encode(),
     "the file holds only aggregate totals; request details are needed to import"),
    (json.dumps({"version": 7, "usage": {"apis": {}}}).encode(), "unsupported legacy snapshot version 7"),
])
def test_unusable_imports_are_explained(app: App, body: bytes, message: str) -> None:
    reply = call("POST", f"{app.base_url}/v0/management/usage/import", key=KEY, body=body)
    assert reply.status == 400 and reply.json["error"] == message


def test_import_of_raw_queue_records_as_json_array(app: App) -> None:
    recs = records.mixed_records(120, seed=34)
    reply = call("POST", f"{app.base_url}/v0/management/usage/import", key=KEY, body=json.dumps(recs).encode()).json
    assert (reply["format"], reply["added"]) == ("json_array", 120)


def test_oversized_import_is_413(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    from cpa_manager_desktop.web import usage_routes

    monkeypatch.setattr(usage_routes, "IMPORT_MAX_BYTES", 1000)
    reply = call("POST", f"{app.base_url}/v0/management/usage/import", key=KEY, body=b"x" * 2000)
    assert_error(reply, 413, "The import is larger than")
