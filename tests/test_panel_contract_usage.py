"""The panel's analytics, import and price fixtures match what the real server sends.

Same contract as tests/test_panel_contract.py (which holds the helpers): one running app, fed with
seeded CPA records through the CPA double and the HTTP API only, answers every request the panel
makes and parses; each answer is compared by shape with the fixture the panel's converters are
tested on (panel/src/features/*/api.contract.test.ts).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.client import Reply, call
from tests.conftest import CPA_KEY, wait_until
from tests.cpa_double import CpaDouble, records
from tests.test_panel_contract import check_fixture, trimmed
from tests.test_prices_and_analytics import LITELLM, LiteLlmServer

RECORDS = 30


class Stack:
    """The app collecting the seeded records, and the window that holds them (unix ms)."""

    def __init__(self, base_url: str, start_ms: int, end_ms: int) -> None:
        self.base_url, self.start_ms, self.end_ms = base_url, start_ms, end_ms

    def api(self, method: str, path: str, **kwargs: Any) -> Reply:
        return call(method, f"{self.base_url}/v0/management/{path}", key=CPA_KEY, **kwargs)

    def analytics(self, path: str, extra: str = "") -> Any:
        reply = self.api("GET", f"analytics/{path}?start={self.start_ms}&end={self.end_ms}&tz=Asia/Shanghai{extra}")
        assert reply.status == 200, reply.body
        return reply.json


@pytest.fixture
def litellm() -> Iterator[LiteLlmServer]:
    server = LiteLlmServer(json.dumps(LITELLM).encode())
    yield server
    server.close()


@pytest.fixture
def stack(start_app: Callable[..., Any], cpa: CpaDouble, litellm: LiteLlmServer) -> Stack:
    cpa.enqueue(*records.mixed_records(RECORDS, seed=7))
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY,
                     "USAGE_POLL_INTERVAL_MS": "100", "LITELLM_PRICES_URL": litellm.url})

    def collected() -> dict[str, Any] | None:
        status = call("GET", f"{app.base_url}/status", key=CPA_KEY).json
        return status if status["events"] == RECORDS else None

    status = wait_until(collected, message=f"{RECORDS} stored events")
    assert isinstance(status, dict)
    # Some models priced, some not: costs are numbers on some rows and unpriced on others.
    prices = {"prices": {"gpt-5.4": {"input": 1.25, "output": 10, "cacheRead": 0.125},
                         "claude-sonnet-4-5-20250929": {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75},
                         "gemini-2.5-pro": {"input": 1.25, "output": 10},
                         "gemini-2.5-flash": {"input": 0.3, "output": 2.5}}}
    assert call("PUT", f"{app.base_url}/v0/management/model-prices", key=CPA_KEY, json_body=prices).status == 200
    return Stack(app.base_url, status["oldestEventAt"], status["newestEventAt"] + 1)


def test_analytics_fixtures_match_the_server(stack: Stack) -> None:
    summary = stack.analytics("summary")
    assert summary["requests"] == RECORDS and summary["unpriced"]["requests"] > 0 and summary["costUsd"] > 0
    check_fixture("analytics-summary.json", trimmed(summary))
    series = stack.analytics("timeseries", "&bucket=hour")
    assert sum(point["requests"] for point in series["points"]) == RECORDS
    check_fixture("analytics-timeseries.json", trimmed(series))
    breakdown = stack.analytics("breakdown", "&by=account")
    assert len(breakdown["items"]) > 1 and all(item["label"] for item in breakdown["items"])
    check_fixture("analytics-breakdown.json", trimmed(breakdown))
    options = stack.analytics("options")
    assert sum(option["requests"] for option in options["dimensions"]["model"]) == RECORDS
    check_fixture("analytics-options.json", trimmed(options))
    failures = stack.analytics("failures")
    assert failures["total"] > 0 and any(reason["samples"] for reason in trimmed(failures)["byReason"])
    check_fixture("analytics-failures.json", trimmed(failures))


def test_event_page_fixture_matches_the_server(stack: Stack) -> None:
    page = stack.analytics("events", "&limit=4")
    assert len(page["events"]) == 4 and page["nextBefore"] and page["newest"]
    # Both kinds of row, so costUsd and statusCode are recorded as number and as null. The shipped
    # default prices price most models, so the rows are picked from a longer page.
    longer = stack.analytics("events", "&limit=200")["events"]
    priced = [e for e in longer if e["costUsd"] is not None][:2]
    unpriced = [e for e in longer if e["costUsd"] is None][:2]
    page["events"] = sorted(priced + unpriced, key=lambda e: e["id"], reverse=True)
    assert {e["costUsd"] is None for e in page["events"]} == {True, False}, longer
    check_fixture("analytics-events.json", trimmed(page, keep=4))


def test_import_fixtures_match_the_server(stack: Stack) -> None:
    lines = [json.dumps(r) for r in records.mixed_records(3, seed=99)]
    added = stack.api("POST", "usage/import", body="\n".join(lines).encode(),
                      headers={"Content-Type": "application/x-ndjson"})
    assert added.status == 200 and added.json["added"] == 3, added.body
    check_fixture("import-result.json", added.json)
    broken = [lines[0], "{not json", lines[1]]
    rejected = stack.api("POST", "usage/import", body="\n".join(broken).encode(),
                         headers={"Content-Type": "application/x-ndjson"})
    assert rejected.status == 400 and rejected.json["code"] == "import_rejected", rejected.body
    assert [e["line"] for e in rejected.json["errors"]] == [2]
    check_fixture("import-rejected.json", rejected.json)


def test_price_fixtures_match_the_server(stack: Stack) -> None:
    listed = stack.api("GET", "model-prices")
    assert listed.status == 200 and len(listed.json["prices"]) == 4
    check_fixture("prices-list.json", listed.json)
    body = {"prices": {**listed.json["prices"], "gpt-5-codex": {"input": 1.25, "output": 10}}}
    saved = stack.api("PUT", "model-prices", json_body=body)
    assert saved.status == 200 and "gpt-5-codex" in saved.json["prices"], saved.body
    check_fixture("prices-save.json", saved.json)
    synced = stack.api("POST", "model-prices/sync", json_body={})
    assert synced.status == 200 and synced.json["imported"] > 0, synced.body
    check_fixture("prices-sync.json", trimmed(synced.json))
