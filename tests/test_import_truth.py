"""Issue 12 §5: a legacy snapshot's provider is inferred from model and endpoint and reported; our own
export re-imports with every source distinct; our /usage payload re-imports with its buckets."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cpa_manager_desktop.app import App
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.store.events import EventStore
from tests.client import call
from tests.test_usage_api import ENV, KEY


def post_import(app: App, body: bytes) -> dict[str, Any]:
    reply = call("POST", f"{app.base_url}/v0/management/usage/import", key=KEY, body=body)
    assert reply.status == 200, reply.body
    return reply.json


def stored(app: App, columns: str) -> list[tuple[Any, ...]]:
    return app.db.read(lambda c: c.execute(f"SELECT {columns} FROM usage_events ORDER BY ts_ns").fetchall())


def detail(minute: int, tokens: dict[str, int]) -> dict[str, Any]:
    return {"timestamp": f"2025-10-01T08:{minute:02d}:00Z", "source": "someone@example.com", "auth_index": "a1",
            "tokens": {"input_tokens": 0, "output_tokens": 0, "reasoning_tokens": 0, "cached_tokens": 0,
                       "total_tokens": 0, **tokens}, "failed": False}


# CPA v6.9 /usage/export: keyed by client API key, no provider anywhere.
LEGACY = {"version": 1, "usage": {"apis": {"sk-client-legacy-0000": {"models": {
    # Claude: input excludes cache; cached_tokens are reads. Buckets 100 / 1000 read / 50 out.
    "claude-sonnet-4-5": {"details": [detail(1, {"input_tokens": 100, "output_tokens": 50, "cached_tokens": 1000,
                                                  "total_tokens": 150})]},
    # Gemini: thoughts are output. 800 uncached, 200 read, 100 + 40 out.
    "gemini-2.5-pro": {"details": [detail(2, {"input_tokens": 1000, "output_tokens": 100, "reasoning_tokens": 40,
                                               "cached_tokens": 200, "total_tokens": 1140})]},
    # OpenAI: cache inside input, reasoning inside output. 700 / 300 read / 80 out.
    "gpt-5": {"details": [detail(3, {"input_tokens": 1000, "output_tokens": 80, "reasoning_tokens": 30,
                                     "cached_tokens": 300, "total_tokens": 1080})]},
    # Nothing tells: no provider, and no price.
    "house-model-7": {"details": [detail(4, {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15})]},
}}}}}


def test_legacy_snapshot_provider_is_inferred_and_reported(start_app: Callable[..., App]) -> None:
    app = start_app(ENV)
    report = post_import(app, json.dumps(LEGACY).encode())
    assert report["inferred"] == {
        "claude-sonnet-4-5": {"provider": "claude", "events": 1}, "gemini-2.5-pro": {"provider": "gemini", "events": 1},
        "gpt-5": {"provider": "openai", "events": 1}, "house-model-7": {"provider": None, "events": 1}}
    assert stored(app, "model, provider, in_uncached, in_cache_read, in_cache_write, out_total, out_reasoning, "
                       "total_tokens") == [
        ("claude-sonnet-4-5", "claude", 100, 1000, 0, 50, 0, 1150),
        ("gemini-2.5-pro", "gemini", 800, 200, 0, 140, 40, 1140),
        ("gpt-5", "openai", 700, 300, 0, 80, 30, 1080),
        ("house-model-7", None, 10, 0, 0, 5, 0, 15)]
    summary = call("GET", f"{app.base_url}/v0/management/analytics/summary", key=KEY).json
    assert summary["unpriced"]["models"] == ["house-model-7"]


def key_record(n: int, source: str) -> dict[str, Any]:
    return {"timestamp": f"2026-08-22T10:{n:02d}:00Z", "request_id": f"rk{n}", "provider": "claude",
            "model": "claude-sonnet-4-5", "endpoint": "POST /v1/messages", "auth_type": "apikey", "source": source,
            "auth_index": f"{n:016x}", "failed": False, "fail": {"status_code": 200, "body": ""},
            "tokens": {"input_tokens": 10 * n, "output_tokens": n, "cache_read_tokens": 0,
                       "cache_creation_tokens": 0}}


SOURCES = ["sk-ant-api03-AAAAAAAAAAAAAAAAAAAA1111", "sk-ant-api03-BBBBBBBBBBBBBBBBBBBB2222", "shortkey1",
           "shortkey2", "alice@example.com"]


def test_reimporting_our_export_keeps_every_source_distinct(start_app: Callable[..., App], tmp_path) -> None:
    source = start_app(ENV, data_dir=str(tmp_path / "source"))
    target = start_app(ENV, data_dir=str(tmp_path / "target"))
    EventStore(source.db).add_batch([classify(key_record(n, s)) for n, s in enumerate(SOURCES, 1)])
    labels = [row[0] for row in stored(source, "source_label")]
    assert len(set(labels)) == len(SOURCES)  # the two short keys too
    exported = call("GET", f"{source.base_url}/v0/management/usage/export", key=KEY).body
    assert not [s for s in SOURCES[:4] if s.encode() in exported]
    assert post_import(target, exported)["added"] == len(SOURCES)
    assert stored(target, "source_label, source_hash") == stored(source, "source_label, source_hash")
    accounts = call("GET", f"{target.base_url}/v0/management/analytics/breakdown?by=account", key=KEY).json
    assert sorted(item["label"] for item in accounts["items"]) == sorted(labels)


def test_our_usage_payload_reimports_with_its_buckets(start_app: Callable[..., App], tmp_path) -> None:
    """/usage details are in OpenAI terms for every provider; importing them must not read a Claude
    detail's input (which already holds the cache) with Claude's rules."""
    source = start_app(ENV, data_dir=str(tmp_path / "source"))
    target = start_app(ENV, data_dir=str(tmp_path / "target"))
    record = key_record(1, SOURCES[0])
    record["tokens"] = {"input_tokens": 100, "output_tokens": 50, "cache_read_tokens": 1000,
                        "cache_creation_tokens": 200, "total_tokens": 1350}
    EventStore(source.db).add_batch([classify(record)])
    payload = call("GET", f"{source.base_url}/v0/management/usage", key=KEY).body
    report = post_import(target, payload)
    assert report["inferred"] == {"claude-sonnet-4-5": {"provider": "claude", "events": 1}}
    assert stored(target, "in_uncached, in_cache_read, in_cache_write, out_total, total_tokens, source_label") == [
        (100, 1000, 200, 50, 1350, "m:sk-a...1111")]
