"""Issue 12 §3: price tiers (long context, service tier, 1-hour cache writes), name matching, unpriced
models on every surface, and the shipped default table. Tier prices come from a local LiteLLM JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cpa_manager_desktop.app import App
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.prices.defaults import default_prices, default_table
from cpa_manager_desktop.store.events import EventStore
from tests.client import call
from tests.test_prices_and_analytics import LiteLlmServer
from tests.test_usage_api import ENV, KEY

LITELLM_TIERS = {
    "gemini/gem-long": {"input_cost_per_token": 1e-06, "output_cost_per_token": 4e-06,
                        "cache_read_input_token_cost": 1e-07, "input_cost_per_token_above_200k_tokens": 2e-06,
                        "output_cost_per_token_above_200k_tokens": 6e-06,
                        "cache_read_input_token_cost_above_200k_tokens": 2e-07},
    "gpt-tiered": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1e-07,
                   "input_cost_per_token_priority": 2e-06, "output_cost_per_token_priority": 2e-05,
                   "cache_read_input_token_cost_priority": 2e-07, "input_cost_per_token_flex": 5e-07,
                   "output_cost_per_token_flex": 5e-06},
    "anthropic/claude-cachey": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                                "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06,
                                "cache_creation_input_token_cost_above_1hr": 6e-06},
}


def rec(n: int, provider: str, model: str, tokens: dict[str, int], **extra: Any) -> dict[str, Any]:
    return {"timestamp": f"2026-08-22T10:{n:02d}:00Z", "request_id": f"pt{n:06d}", "provider": provider,
            "model": model, "endpoint": "POST /v1/chat/completions", "auth_index": f"{n:016x}",
            "source": f"u{n}@example.com", "auth_type": "oauth", "failed": False,
            "fail": {"status_code": 200, "body": ""}, "latency_ms": 100,
            "tokens": {"reasoning_tokens": 0, "cached_tokens": 0, "cache_read_tokens": 0, "cache_creation_tokens": 0,
                       **tokens}, **extra}


# request id: (record, hand-computed cost in USD per 1M tokens)
TIERED = {
    # 1,000 uncached, 100 output at base: 1000*1 + 100*4
    "pt000001": (rec(1, "gemini", "gem-long", {"input_tokens": 1000, "output_tokens": 100}), 1400),
    # input 250,000 > 200k: the whole request at the tier: 200,000*2 + 50,000*0.2 + 1,000*6
    "pt000002": (rec(2, "gemini", "gem-long", {"input_tokens": 250000, "cached_tokens": 50000,
                                               "cache_read_tokens": 50000, "output_tokens": 1000}), 416000),
    # priority: 600*2 + 400*0.2 + 200*20 (reasoning inside output)
    "pt000003": (rec(3, "codex", "gpt-tiered", {"input_tokens": 1000, "cached_tokens": 400, "cache_read_tokens": 400,
                                                "output_tokens": 200, "reasoning_tokens": 50},
                     response_service_tier="priority"), 5280),
    # flex has no cache-read rate: the base one. 600*0.5 + 400*0.1 + 200*5
    "pt000004": (rec(4, "codex", "gpt-tiered", {"input_tokens": 1000, "cached_tokens": 400, "cache_read_tokens": 400,
                                                "output_tokens": 200, "reasoning_tokens": 50},
                     response_service_tier="flex"), 1340),
    # default service tier: base. 600*1 + 400*0.1 + 200*10
    "pt000005": (rec(5, "codex", "gpt-tiered", {"input_tokens": 1000, "cached_tokens": 400, "cache_read_tokens": 400,
                                                "output_tokens": 200, "reasoning_tokens": 50},
                     response_service_tier="default"), 2640),
    # v8 Claude: 1,000 5-minute writes at 3.75 and 2,000 1-hour writes at 6: 100*3 + 1000*3.75 + 2000*6 + 50*15
    "pt000006": (rec(6, "claude", "claude-cachey", {"input_tokens": 100, "output_tokens": 50,
                                                    "cache_creation_tokens": 3000, "cache_creation_5m_tokens": 1000,
                                                    "cache_creation_1h_tokens": 2000}), 16800),
}


@pytest.fixture
def litellm() -> Iterator[LiteLlmServer]:
    server = LiteLlmServer(json.dumps(LITELLM_TIERS).encode())
    yield server
    server.close()


def api(app: App, method: str, path: str, **kwargs: object) -> Any:
    reply = call(method, f"{app.base_url}/v0/management/{path}", key=KEY, **kwargs)
    assert reply.status == 200, reply.body
    return reply.json


@pytest.fixture
def app(start_app: Callable[..., App], litellm: LiteLlmServer) -> App:
    started = start_app({**ENV, "LITELLM_PRICES_URL": litellm.url})
    EventStore(started.db).add_batch([classify(r) for r, _ in TIERED.values()])
    return started


def test_sync_keeps_the_tiers(app: App) -> None:
    prices = api(app, "POST", "model-prices/sync", json_body={"models": ["gem-long", "gpt-tiered", "claude-cachey"]})
    assert prices["imported"] == 3
    gem = prices["prices"]["gem-long"]
    assert gem["tiers"] == {"context": [{"aboveTokens": 200000, "input": 2.0, "output": 6.0, "cacheRead": 0.2}]}
    assert prices["prices"]["gpt-tiered"]["tiers"] == {"service": {"flex": {"input": 0.5, "output": 5.0},
                                                                   "priority": {"input": 2.0, "output": 20.0,
                                                                                "cacheRead": 0.2}}}
    assert prices["prices"]["claude-cachey"]["cacheWrite1h"] == 6.0


def test_tiers_on_every_surface(app: App) -> None:
    api(app, "POST", "model-prices/sync", json_body={"models": ["gem-long", "gpt-tiered", "claude-cachey"]})
    expected_total = sum(cost for _, cost in TIERED.values()) / 1e6
    assert api(app, "GET", "analytics/summary")["costUsd"] == pytest.approx(expected_total)
    events = api(app, "GET", "analytics/events?limit=50")["events"]
    assert {e["requestId"]: e["costUsd"] for e in events} == pytest.approx(
        {rid: cost / 1e6 for rid, (_, cost) in TIERED.items()})
    points = api(app, "GET", "analytics/timeseries?bucket=hour&tz=UTC")["points"]
    assert [p["costUsd"] for p in points] == [pytest.approx(expected_total)]
    # +05:45 reads quarter-hours from raw rows: same cost.
    nepal = api(app, "GET", "analytics/timeseries?bucket=day&tz=%2B05:45")["points"]
    assert [p["costUsd"] for p in nepal] == [pytest.approx(expected_total)]
    providers = {i["key"]: i["costUsd"] for i in api(app, "GET", "analytics/breakdown?by=provider")["items"]}
    assert providers == pytest.approx({"gemini": 417400 / 1e6, "codex": 9260 / 1e6, "claude": 16800 / 1e6})
    accounts = {i["key"]: i["costUsd"] for i in api(app, "GET", "analytics/breakdown?by=account")["items"]}
    assert accounts[f"{2:016x}"] == pytest.approx(416000 / 1e6)


def test_matching_exact_prefixed_dated_and_unpriced_everywhere(app: App) -> None:
    EventStore(app.db).add_batch([classify(r) for r in (
        rec(20, "codex", "gpt-5-2025-08-07", {"input_tokens": 1000, "output_tokens": 100}),
        rec(21, "openai-compatible-x", "openai/zz-model", {"input_tokens": 1000, "output_tokens": 100}),
        rec(22, "claude", "claude-q", {"input_tokens": 1000, "output_tokens": 100}),
        rec(23, "xai", "mystery-model", {"input_tokens": 1000, "output_tokens": 100}),
    )])
    api(app, "PUT", "model-prices", json_body={"prices": {
        "gpt-5": {"input": 1, "output": 10}, "zz-model": {"input": 1, "output": 10},
        "anthropic/claude-q": {"input": 3, "output": 15}}})
    summary = api(app, "GET", "analytics/summary")
    matches = {p["model"]: (p["pricedAs"], p["match"], p["source"]) for p in summary["pricing"]}
    assert matches["gpt-5-2025-08-07"] == ("gpt-5", "dated", "manual")
    assert matches["openai/zz-model"] == ("zz-model", "prefixed", "manual")
    assert matches["claude-q"] == ("anthropic/claude-q", "prefixed", "manual")
    assert "mystery-model" in summary["unpriced"]["models"]
    # Unpriced models are named on series points and on breakdowns by something other than model.
    points = api(app, "GET", "analytics/timeseries?bucket=hour&tz=UTC")["points"]
    assert all("mystery-model" in p["unpriced"]["models"] for p in points)
    xai = next(i for i in api(app, "GET", "analytics/breakdown?by=provider")["items"] if i["key"] == "xai")
    assert xai["unpriced"] == {"requests": 1, "models": ["mystery-model"]}


def test_default_table_prices_a_fresh_install(start_app: Callable[..., App]) -> None:
    app = start_app(ENV)
    model = "gpt-5" if "gpt-5" in default_prices() else sorted(default_prices())[0]
    EventStore(app.db).add_batch([classify(rec(30, "codex", model, {"input_tokens": 1_000_000,
                                                                     "output_tokens": 1_000_000}))])
    price = default_prices()[model]
    summary = api(app, "GET", "analytics/summary")
    assert summary["costUsd"] == pytest.approx(price.input_per_1m + price.output_per_1m)
    assert summary["pricing"] == [{"model": model, "pricedAs": model, "match": "exact", "source": "default"}]
    listed = api(app, "GET", "model-prices")
    assert listed["prices"] == {} and listed["defaults"]["generated"] == default_table()["generated"]
    assert listed["defaults"]["prices"][model]["source"] == "default"
    api(app, "PUT", "model-prices", json_body={"prices": {model: {"input": 0, "output": 1}}})
    overridden = api(app, "GET", "analytics/summary")
    assert overridden["costUsd"] == pytest.approx(1.0) and overridden["pricing"][0]["source"] == "manual"


def test_tier_candidates_read_the_partial_index(app: App) -> None:
    """Requests a tier may bill differently are read through idx_events_tier_candidates (migration 7),
    not by scanning every request of the window."""
    from cpa_manager_desktop.store.queries import Filters, Window, tier_candidates

    class Recording:
        def __init__(self, conn: Any) -> None:
            self.conn, self.sql, self.params = conn, "", []

        def execute(self, sql: str, params: list[Any]) -> Any:
            self.sql, self.params = sql, params
            return self.conn.execute(sql, params)

    def plan(conn: Any) -> str:
        recording = Recording(conn)
        rows = tier_candidates(recording, Window(), Filters(), ["model"], ["gem-long"], 200000)  # type: ignore[arg-type]
        assert [r["model"] for r in rows] == ["gem-long"]  # the 250k-token request
        return " ".join(str(step) for step in conn.execute("EXPLAIN QUERY PLAN " + recording.sql, recording.params))

    assert "idx_events_tier_candidates" in app.db.read(plan)
