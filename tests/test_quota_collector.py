"""The quota collector against the CPA double: what it polls, what it stores, 401/403/429, the limit of
four calls at a time, its thread, and no token anywhere."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from cpa_manager_desktop.quota.native import NO_NATIVE_QUOTA, NativeQuota, NativeRoute
from cpa_manager_desktop.quota.native_parse import NativeAnswer
from cpa_manager_desktop.quota.providers import ApiRequest, Credential
from cpa_manager_desktop.quota.reading import ApiAnswer
from cpa_manager_desktop.quota.schedule import Schedule
from cpa_manager_desktop.quota.snapshot import from_row
from cpa_manager_desktop.quota.worker import CONCURRENCY, QuotaCollector
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.quota import QuotaStore
from tests.conftest import wait_until
from tests.quota_helpers import StepClock, quota_source

T0 = 1_796_000_000.0
INTERVAL = 900.0


@pytest.fixture
def store(tmp_path: Path) -> Iterator[QuotaStore]:
    db = Database(tmp_path / "usage.sqlite")
    yield QuotaStore(db)
    db.close()


def collector(cpa: object, store: QuotaStore, clock: StepClock) -> QuotaCollector:
    source = quota_source(cpa)
    return QuotaCollector(store.record, lambda: source, interval_s=INTERVAL, clock=clock,
                          schedule=Schedule(INTERVAL, random.Random(7)), prune=store.prune)


def states(store: QuotaStore) -> dict[str, str]:
    return {row.auth_index: row.state for row in store.latest()}


def test_one_pass_reads_every_enabled_credential_of_every_provider(cpa, store: QuotaStore) -> None:
    accounts = cpa.quota_accounts
    expected = {}
    for provider in ("codex", "claude", "gemini-cli", "antigravity", "kimi", "xai"):
        for case, state in (("normal", "ok"), ("exhausted", "ok"), ("expired", "expired"),
                            ("rate_limited", "rate_limited"), ("unknown", "unrecognised")):
            expected[accounts.add(provider, f"{case}@{provider}.test", case)] = state
    disabled = accounts.add("codex", "off@codex.test", disabled=True)
    collector(cpa, store, StepClock(T0)).tick()
    found = states(store)
    assert {index: found.get(index) for index in expected} == expected
    assert disabled not in {call.auth_index for call in cpa.api_calls}


def test_readings_are_stored_whole(cpa, store: QuotaStore) -> None:
    index = cpa.quota_accounts.add("codex", "a@x.test", "exhausted")
    collector(cpa, store, StepClock(T0)).tick()
    (view,) = [from_row(r) for r in store.latest() if r.auth_index == index]
    assert (view.state, view.plan, view.credits) == ("ok", "pro", (True, False, 12.5))
    assert [(w.key, w.used_percent, w.window_s) for w in view.windows] == [
        ("five_hour", 100.0, 18000), ("weekly", 100.0, 604800)]


def test_unknown_shape_keeps_a_redacted_sample_and_leaves_others_alone(cpa, store: QuotaStore) -> None:
    odd = cpa.quota_accounts.add("codex", "odd@x.test", "unknown")
    fine = cpa.quota_accounts.add("codex", "fine@x.test", "normal")
    collector(cpa, store, StepClock(T0)).tick()
    latest = {r.auth_index: r for r in store.latest()}
    detail = json.loads(latest[odd].detail or "")
    assert detail["reason"].startswith("unrecognised codex quota format")
    assert "[redacted]" in detail["sample"] and "secretpayload" not in detail["sample"]
    assert latest[fine].state == "ok"


def test_401_stops_polling_and_429_backs_off(cpa, store: QuotaStore) -> None:
    expired = cpa.quota_accounts.add("kimi", "old@x.test", "expired")
    limited = cpa.quota_accounts.add("kimi", "busy@x.test", "rate_limited")
    fine = cpa.quota_accounts.add("kimi", "ok@x.test", "normal")
    clock = StepClock(T0)
    worker = collector(cpa, store, clock)
    polled: list[dict[str, int]] = []
    for _ in range(4):  # four intervals
        before = len(cpa.api_calls)
        worker.tick()
        calls = cpa.api_calls[before:]
        polled.append({i: sum(c.auth_index == i for c in calls) for i in (expired, limited, fine)})
        clock.advance(INTERVAL * 1.1)
    assert [p[expired] for p in polled] == [1, 0, 0, 0]
    assert [p[fine] for p in polled] == [1, 1, 1, 1]
    assert [p[limited] for p in polled] == [1, 0, 1, 0]  # 2 intervals, then 4 after the second 429
    stopped = {e.credential.auth_index: e.stopped for e in worker.status().credentials
               if e.credential.auth_index in (expired, limited, fine)}
    assert stopped == {expired: "expired", limited: None, fine: None}


def test_a_refresh_polls_a_stopped_credential_again(cpa, store: QuotaStore) -> None:
    index = cpa.quota_accounts.add("claude", "c@x.test", "expired")
    clock = StepClock(T0)
    worker = collector(cpa, store, clock)
    worker.tick()
    cpa.quota_accounts.set_case(index, "normal")
    worker.tick()
    assert states(store)[index] == "expired"
    worker.refresh(index)
    worker.tick()
    assert states(store)[index] == "ok"
    progress = worker.status().refresh
    assert (progress.total, progress.done, progress.running) == (1, 1, False)


def test_never_more_than_four_calls_at_once(cpa, store: QuotaStore) -> None:
    for i in range(12):
        cpa.quota_accounts.add("codex", f"u{i}@x.test")
    cpa.quota_accounts.delay_s = 0.05
    collector(cpa, store, StepClock(T0)).tick()
    assert cpa.quota_accounts.calls == 12 + 2  # and the two canned files, whose plain token gets a 401
    assert cpa.quota_accounts.max_in_flight == CONCURRENCY


def test_no_token_reaches_the_store_or_the_log(cpa, store: QuotaStore, tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    for provider in ("codex", "claude", "gemini-cli"):
        for case in ("normal", "expired", "unknown"):
            cpa.quota_accounts.add(provider, f"{case}@{provider}.test", case)
    caplog.set_level(logging.DEBUG)
    collector(cpa, store, StepClock(T0)).tick()
    sent = [c for c in cpa.api_calls if "fake-access-token:" in c.headers.get("Authorization", "")]
    assert len(sent) >= 9  # CPA filled $TOKEN$ in on its side
    requests = [r for r in cpa.requests if r.path.endswith("/api-call")]
    assert requests and all(b"fake-access-token" not in (r.body or b"") for r in requests)
    dumped = "\n".join(str(r) for r in store.latest()) + caplog.text
    assert "fake-access-token" not in dumped and "Bearer" not in caplog.text
    data = b"".join(p.read_bytes() for p in tmp_path.glob("usage.sqlite*"))
    assert b"fake-access-token" not in data and b"secretpayload" not in data


def test_the_thread_starts_refreshes_and_stops(cpa, store: QuotaStore) -> None:
    index = cpa.quota_accounts.add("xai", "x@x.test")
    clock = StepClock(T0)
    worker = collector(cpa, store, clock)
    worker.start()
    try:
        wait_until(lambda: states(store).get(index) == "ok", message="the first pass")
        cpa.quota_accounts.set_case(index, "exhausted")
        worker.refresh()
        wait_until(lambda: not worker.status().refresh.running, message="the refresh")
        assert [from_row(r).windows[0].used_percent for r in store.latest() if r.auth_index == index] == [100.0]
    finally:
        assert worker.stop(timeout_s=5)
    assert worker.status().state == "stopped"


def test_it_never_touches_the_usage_queue(cpa, store: QuotaStore) -> None:
    cpa.quota_accounts.add("codex", "q@x.test")
    collector(cpa, store, StepClock(T0)).tick()
    assert cpa.pop_calls == {"http": 0, "resp": 0}
    assert {r.path.split("?")[0] for r in cpa.requests} == {"/v0/management/auth-files", "/v0/management/api-call"}


def test_a_key_rotated_mid_pass_costs_only_the_calls_in_flight(cpa, store: QuotaStore) -> None:
    for i in range(8):
        cpa.quota_accounts.add("codex", f"r{i}@x.test")
    source = quota_source(cpa)

    class RotatingSource:
        """CPA's key changes right after the list was read: every api-call of the pass would be refused."""

        def credentials(self) -> list[Credential]:
            listed = source.credentials()
            cpa.management_key = "rotated-key"
            return listed

        def native_quota(self) -> NativeQuota:
            return NO_NATIVE_QUOTA  # a v7 CPA: no quota routes of its own

        def call(self, auth_index: str, request: ApiRequest) -> ApiAnswer:
            return source.call(auth_index, request)

        def fetch(self, auth_index: str, route: NativeRoute) -> NativeAnswer:
            raise AssertionError("never asked without quota providers")

    rejected = []
    worker = QuotaCollector(store.record, lambda: RotatingSource(), interval_s=INTERVAL, clock=StepClock(T0),
                            on_auth_rejected=rejected.append)
    worker.tick()
    assert cpa.failed_logins() <= CONCURRENCY  # the calls already in flight, never the whole pass
    assert len(rejected) == 1 and worker.status().state == "error"
