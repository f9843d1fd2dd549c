"""The budgets API on the real app: create, list with spend, replace, delete; bad input refused with a
sentence; the watch thread and the tray watcher wired in build_app."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from cpa_manager_desktop.app import App
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.redact import sha256_hex
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.prices import Price, PriceStore
from cpa_manager_desktop.watch.budgets_watch import BudgetWatch
from tests.client import assert_error, call
from tests.conftest import CPA_KEY
from tests.cpa_double import make_record

PRICED = "budget-test-model"
CLIENT_KEY = "sk-client-budget-0001"
ENV = {"CPA_MANAGEMENT_KEY": CPA_KEY}


def app_with_usage(start_app: Callable[..., App]) -> App:
    """The app with $3 of codex usage today through one client key, and 2 unpriced claude requests."""
    app = start_app(ENV)
    PriceStore(app.db).upsert([Price(PRICED, input_per_1m=1000.0, output_per_1m=0.0)])
    now = datetime.now(UTC)
    records = [make_record(provider="codex", model=PRICED, api_key=CLIENT_KEY, timestamp=now, seq=i,
                           request_id=f"api-{i}", tokens={"input": 1000, "output": 0}) for i in range(3)]
    records += [make_record(provider="claude", model="budget-unpriced", timestamp=now, seq=9 + i,
                            request_id=f"api-u{i}", tokens={"input": 10, "output": 10}) for i in range(2)]
    EventStore(app.db).add_batch([classify(r) for r in records])  # type: ignore[misc]
    return app


def post(app: App, body: Any) -> Any:
    return call("POST", f"{app.base_url}/budgets", key=CPA_KEY, json_body=body)


def test_create_list_replace_and_delete(start_app: Callable[..., App]) -> None:
    app = app_with_usage(start_app)
    key_hash = sha256_hex(CLIENT_KEY)
    created = post(app, {"period": "monthly", "limitUsd": 5, "scope": {"kind": "apiKey", "value": key_hash}})
    assert created.status == 201
    budget = created.json["budget"]
    assert {k: v for k, v in budget.items() if k not in ("periodStart", "periodEnd")} == {
        "id": 1, "period": "monthly", "limitUsd": 5.0,
        "scope": {"kind": "apiKey", "value": key_hash, "label": "sk-c…0001"},
        "description": "Monthly budget for API key sk-c…0001", "thresholds": [50, 80, 100],
        "spendUsd": 3.0, "percent": 60.0, "crossed": [50],
        "unpriced": {"requests": 0, "models": [], "note": None}}
    start, end = (datetime.fromtimestamp(budget[name] / 1000) for name in ("periodStart", "periodEnd"))
    assert (start.day, start.hour, start.minute, end.day, end.hour) == (1, 0, 0, 1, 0)

    overall = post(app, {"period": "daily", "limitUsd": 4, "thresholds": [25, 90]}).json["budget"]
    assert (overall["scope"], overall["percent"], overall["crossed"]) == (
        {"kind": "overall", "value": "", "label": ""}, 75.0, [25])
    assert overall["unpriced"] == {"requests": 2, "models": ["budget-unpriced"],
                                   "note": "2 unpriced requests are not counted in the spend"}

    replaced = call("PUT", f"{app.base_url}/budgets/2", key=CPA_KEY,
                    json_body={"period": "weekly", "limitUsd": 30, "scope": {"kind": "provider", "value": "claude"}})
    assert replaced.status == 200
    assert (replaced.json["budget"]["description"], replaced.json["budget"]["spendUsd"],
            replaced.json["budget"]["unpriced"]["requests"]) == ("Weekly budget for provider claude", 0.0, 2)
    listed = call("GET", f"{app.base_url}/budgets", key=CPA_KEY).json["budgets"]
    assert [(b["id"], b["period"], b["limitUsd"]) for b in listed] == [(1, "monthly", 5.0), (2, "weekly", 30.0)]

    deleted = call("DELETE", f"{app.base_url}/budgets/1", key=CPA_KEY)
    assert (deleted.status, deleted.json) == (200, {"deleted": 1})
    assert [b["id"] for b in call("GET", f"{app.base_url}/budgets", key=CPA_KEY).json["budgets"]] == [2]
    assert_error(call("DELETE", f"{app.base_url}/budgets/1", key=CPA_KEY), 404, "There is no budget 1")
    assert_error(call("PUT", f"{app.base_url}/budgets/x", key=CPA_KEY, json_body={}), 404, "There is no budget 'x'")


OK = {"period": "daily", "limitUsd": 10}


@pytest.mark.parametrize(("body", "status", "sentence"), [
    ({**OK, "limitUsd": -5}, 400, "The limit cannot be negative; give an amount in US dollars above 0"),
    ({**OK, "limitUsd": 0}, 400, "The limit must be more than 0 US dollars"),
    ({**OK, "limitUsd": 1_000_001}, 400, "The limit must be at most 1,000,000 US dollars"),
    ({**OK, "limitUsd": 10**400}, 400, "The limit must be a finite number of US dollars"),
    ({**OK, "limitUsd": "10"}, 400, "limitUsd is required: a number of US dollars"),
    ({"limitUsd": 10}, 400, "period is required: daily, weekly or monthly"),
    ({**OK, "period": "yearly"}, 400, "The period must be daily, weekly or monthly"),
    ({**OK, "thresholds": []}, 400, "Give at least one threshold, in percent of the limit"),
    ({**OK, "thresholds": [0, 50]}, 400, "Each threshold must be between 1 and 1000 percent"),
    ({**OK, "thresholds": [50, 1001]}, 400, "Each threshold must be between 1 and 1000 percent"),
    ({**OK, "thresholds": [80, 50]}, 400, "Thresholds must be in ascending order, each once"),
    ({**OK, "thresholds": [50, 50]}, 400, "Thresholds must be in ascending order, each once"),
    ({**OK, "thresholds": [50.5]}, 400, "Thresholds must be whole percentages, such as 50, 80 and 100"),
    ({**OK, "thresholds": "50"}, 400, "thresholds must be a list of percentages, such as [50, 80, 100]"),
    ({**OK, "scope": {"kind": "team"}}, 400, "The scope must be overall, provider or apiKey"),
    ({**OK, "scope": {"kind": "provider", "value": ""}}, 400, "Choose a provider for this budget"),
    ({**OK, "scope": {"kind": "provider", "value": "mistral"}}, 400,
     "No usage has been recorded for a provider 'mistral'; choose one from the list"),
    ({**OK, "scope": {"kind": "apiKey", "value": "ab" * 32}}, 400,
     f"No usage has been recorded for an API key '{'ab' * 32}'; choose one from the list"),
    ([OK], 400, "The request body must be a JSON object"),
])
def test_bad_input_is_refused_with_a_sentence(start_app: Callable[..., App], body: Any, status: int,
                                              sentence: str) -> None:
    app = app_with_usage(start_app)
    reply = post(app, body)
    assert (reply.status, reply.json["error"]) == (status, sentence)
    assert_error(reply, status, sentence)
    assert call("GET", f"{app.base_url}/budgets", key=CPA_KEY).json == {"budgets": []}


def test_nan_and_a_second_budget_for_the_same_scope_are_refused(start_app: Callable[..., App]) -> None:
    app = app_with_usage(start_app)
    nan = call("POST", f"{app.base_url}/budgets", key=CPA_KEY, body=b'{"period": "daily", "limitUsd": NaN}',
               headers={"Content-Type": "application/json"})
    assert_error(nan, 400, "The limit must be a finite number of US dollars")
    assert post(app, {**OK, "scope": {"kind": "provider", "value": "codex"}}).status == 201
    twice = post(app, {**OK, "limitUsd": 20, "scope": {"kind": "provider", "value": "codex"}})
    assert_error(twice, 409, "A daily budget for provider codex already exists (budget 1); edit that one instead")
    assert post(app, {**OK, "period": "weekly", "scope": {"kind": "provider", "value": "codex"}}).status == 201


def test_budgets_need_the_key_once_set_up(start_app: Callable[..., App], cpa) -> None:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY})
    for method, path in (("GET", "/budgets"), ("POST", "/budgets"), ("PUT", "/budgets/1"), ("DELETE", "/budgets/1")):
        assert call(method, f"{app.base_url}{path}", json_body=OK).status == 401
        assert call(method, f"{app.base_url}{path}", key="wrong", json_body=OK).status == 401


def test_the_watch_thread_and_the_tray_get_the_budget_watch(start_app: Callable[..., App]) -> None:
    app = app_with_usage(start_app)
    assert post(app, {"period": "daily", "limitUsd": 100}).status == 201
    assert app.watch is not None
    watches = [t for t in app.watch._tickers if isinstance(t, BudgetWatch)]
    assert len(watches) == 1
    app.watch.tick_once()
    glance = watches[0].glance(0)
    assert glance.lines == ("Budget (all usage): $3.00 of $100.00 today (3%)",)


def test_the_openapi_document_describes_the_budget_body() -> None:
    from cpa_manager_desktop.web.openapi import PATHS

    assert set(PATHS["/budgets"]) == {"get", "post"} and set(PATHS["/budgets/{budget_id}"]) == {"put", "delete"}
    assert "thresholds" in json.dumps(PATHS["/budgets"]["post"])
