"""CPA's own quota routes against the double in v7 and v8 mode: a v7.2 CPA is never asked for them; a v8
without quota providers is read through api-call; a provider CPA lists is read through its fetch (and its
answer parsed defensively); 404/501 fall back to api-call, 502 is the credential's state."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from cpa_manager_desktop.quota.native import V0_ROUTES, V8_ROUTES, routes_for
from cpa_manager_desktop.quota.native_parse import NativeAnswer, native_result
from cpa_manager_desktop.quota.providers import PROVIDERS
from cpa_manager_desktop.quota.reading import ApiAnswer, CredentialProblem, QuotaReading, Unrecognised
from cpa_manager_desktop.quota.schedule import Schedule
from cpa_manager_desktop.quota.snapshot import from_row
from cpa_manager_desktop.quota.worker import QuotaCollector
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.quota import QuotaStore
from tests.conftest import CPA_KEY
from tests.cpa_double import CpaDouble
from tests.cpa_double.quota_plugins import PluginFailed, normalised_body
from tests.quota_helpers import StepClock, quota_source

T0 = 1_796_000_000.0
INTERVAL = 900.0
RESET = "2026-12-06T05:00:00Z"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[QuotaStore]:
    db = Database(tmp_path / "usage.sqlite")
    yield QuotaStore(db)
    db.close()


@pytest.fixture
def v8() -> Iterator[CpaDouble]:
    double = CpaDouble(CPA_KEY, version="v8.0.47").start()
    yield double
    double.stop()


def one_pass(double: CpaDouble, store: QuotaStore) -> dict[str, object]:
    source = quota_source(double)
    QuotaCollector(store.record, lambda: source, interval_s=INTERVAL, clock=StepClock(T0),
                   schedule=Schedule(INTERVAL, random.Random(3))).tick()
    return {row.auth_index: from_row(row) for row in store.latest()}


def paths(double: CpaDouble) -> list[str]:
    return [r.path for r in double.recorded()]


def test_the_version_picks_the_routes() -> None:
    assert routes_for("v8.0.47") == routes_for("8.0.4") == V8_ROUTES
    assert routes_for("7.3.8") == routes_for("v7.2.141") == V0_ROUTES
    assert routes_for("v7.2.140") is routes_for("dev") is routes_for(None) is None


def test_v7_never_asks_for_the_quota_routes(cpa: CpaDouble, store: QuotaStore) -> None:
    index = cpa.quota_accounts.add("codex", "a@x.test")
    cpa.quota_plugins.register("codex-quota", "codex")  # even a registered plugin: v7.2.140 has no route
    found = one_pass(cpa, store)
    assert found[index].state == "ok"
    assert not [p for p in paths(cpa) if p.startswith("/v8/") or "/quota/" in p]
    assert cpa.quota_plugins.fetches == []
    assert index in {c.auth_index for c in cpa.api_calls}


def test_v8_without_quota_providers_uses_api_call(v8: CpaDouble, store: QuotaStore) -> None:
    index = v8.quota_accounts.add("codex", "a@x.test")
    found = one_pass(v8, store)
    assert found[index].state == "ok" and found[index].windows[0].used_percent == 23.0
    assert paths(v8).count("/v8/management/credentials/quota/providers") == 1  # once per pass
    assert "/v8/management/credentials/quota/fetch" not in paths(v8)
    assert index in {c.auth_index for c in v8.api_calls}


def test_v8_with_a_quota_provider_fetches_through_cpa(v8: CpaDouble, store: QuotaStore) -> None:
    codex = v8.quota_accounts.add("codex", "a@x.test")
    claude = v8.quota_accounts.add("claude", "c@x.test")
    v8.quota_plugins.register("quota-suite", "codex-quota", supported_providers=("codex",))
    found = one_pass(v8, store)
    view = found[codex]
    assert (view.state, view.plan) == ("ok", "pro")
    assert [(w.key, w.used_percent, w.resets_at_s, w.window_s) for w in view.windows] == [
        ("five_hour", 23.0, 1796533200, 18000)]
    (fetch,) = [f for f in v8.quota_plugins.fetches if f.auth_index == codex]
    assert (fetch.provider, fetch.plugin_id) == ("codex-quota", "quota-suite")
    assert codex not in {c.auth_index for c in v8.api_calls}  # no api-call for a credential CPA reads itself
    assert claude in {c.auth_index for c in v8.api_calls} and found[claude].state == "ok"
    assert paths(v8).count("/v8/management/credentials/quota/providers") == 1


def test_a_cpa_after_7_2_140_uses_the_v0_routes(store: QuotaStore) -> None:
    with CpaDouble(CPA_KEY, version="v7.3.8") as double:
        index = double.quota_accounts.add("kimi", "k@x.test")
        double.quota_plugins.register("kimi-quota", "kimi")
        found = one_pass(double, store)
        assert found[index].state == "ok"
        assert "/v0/management/quota/fetch" in paths(double)
        assert not [p for p in paths(double) if p.startswith("/v8/")]


def test_an_unknown_answer_is_unrecognised_with_a_redacted_sample(v8: CpaDouble, store: QuotaStore) -> None:
    odd = v8.quota_accounts.add("codex", "odd@x.test")
    fine = v8.quota_accounts.add("claude", "fine@x.test")
    v8.quota_plugins.register("odd", "codex", fetch=lambda index, provider: {
        "credits": {"left": 3}, "access_token": "secretpayload-abcdef0123456789", "owner": "someone@example.com"})
    found = one_pass(v8, store)
    assert found[odd].state == "unrecognised"
    detail = json.loads(found[odd].detail or "")
    assert detail["reason"] == "unrecognised codex quota format (CPA quota fetch): no groups"
    assert "secretpayload" not in detail["sample"] and "som***@example.com" in detail["sample"]
    assert found[fine].state == "ok"


def test_a_plugin_failure_is_a_credential_state(v8: CpaDouble, store: QuotaStore) -> None:
    failing = v8.quota_accounts.add("codex", "f@x.test")
    other = v8.quota_accounts.add("kimi", "k@x.test")

    def fail(index: str, provider: str) -> dict:
        raise PluginFailed("upstream timed out")

    v8.quota_plugins.register("broken", "codex", fetch=fail)
    found = one_pass(v8, store)
    assert (found[failing].state, found[failing].detail) == ("failed", "HTTP 502")
    assert failing not in {c.auth_index for c in v8.api_calls}
    assert found[other].state == "ok"  # kimi: no provider listed, api-call as before


def test_no_provider_for_the_credential_after_all_falls_back_to_api_call(v8: CpaDouble, store: QuotaStore) -> None:
    index = v8.quota_accounts.add("codex", "a@x.test")
    v8.quota_plugins.register("codex-quota", "codex")
    # The double lists more than one credential and the pass checks four at a time, so one injected
    # failure could land on another credential's fetch: every fetch of this pass answers 501.
    for _ in range(8):
        v8.fail_next("POST", "/v8/management/credentials/quota/fetch", 501, {"error": "no quota provider for codex"})
    found = one_pass(v8, store)
    assert found[index].state == "ok" and found[index].plan == "plus"  # the api-call fixture's plan
    assert index in {c.auth_index for c in v8.api_calls}


def test_a_provider_only_cpa_can_read_is_collected_through_the_fetch(v8: CpaDouble, store: QuotaStore) -> None:
    v8.credentials.add("devin-d@x.test.json", {"type": "devin", "email": "d@x.test", "access_token": "tok-devin"})
    index = v8.credentials.get("devin-d@x.test.json").auth_index  # type: ignore[union-attr]
    v8.quota_plugins.register("devin-quota", "devin", fetch=lambda i, p: {"groups": [
        {"displayName": "Daily", "buckets": [{"window": "daily", "used_percent": 40, "resetTime": 1796040000}]},
        {"displayName": "Monthly", "buckets": [{"window": "monthly", "remaining_fraction": "0.5"}]}]})
    found = one_pass(v8, store)
    view = found[index]
    assert (view.provider, view.state) == ("devin", "ok")
    assert [(w.key, w.used_percent, w.resets_at_s) for w in view.windows] == [
        ("daily:daily", 40.0, 1796040000), ("monthly:monthly", 50.0, None)]


def test_providers_route_failing_falls_back_to_api_call(v8: CpaDouble, store: QuotaStore) -> None:
    index = v8.quota_accounts.add("codex", "a@x.test")
    v8.quota_plugins.register("codex-quota", "codex")
    v8.fail_next("GET", "/v8/management/credentials/quota/providers", 404, {"error": "not_found"})
    found = one_pass(v8, store)
    assert found[index].state == "ok" and index in {c.auth_index for c in v8.api_calls}
    assert v8.quota_plugins.fetches == []


# ---- the fetch answer, parsed on its own ----

def test_fetch_statuses_and_a_passed_through_provider_answer() -> None:
    assert native_result("codex", NativeAnswer(404)) is None
    assert native_result("codex", NativeAnswer(501)) is None
    problem = native_result("codex", NativeAnswer(502))
    assert isinstance(problem, CredentialProblem) and problem.status_code == 502
    reading = native_result("codex", NativeAnswer(200, {"quota": normalised_body(0.0, RESET)}))
    assert isinstance(reading, QuotaReading) and reading.exhausted
    codex_shape = {"plan_type": "plus", "rate_limit": {"primary_window": {
        "used_percent": 12, "limit_window_seconds": 18000, "reset_at": 1796010000}}}
    passed = native_result("codex", NativeAnswer(200, codex_shape),
                           lambda text: PROVIDERS["codex"].parse([ApiAnswer(200, text)]))
    assert isinstance(passed, QuotaReading) and passed.windows[0].used_percent == 12.0
    odd = native_result("codex", NativeAnswer(200, ["not", "an", "object"]))
    assert isinstance(odd, Unrecognised) and "not an object" in odd.reason
