"""The proxy forwards CPA v8's `/v8/management/*` with the same protections as `/v0/management/*`."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable, Iterator

import pytest

from cpa_manager_desktop.app import App
from tests.client import assert_error, call
from tests.conftest import CPA_KEY
from tests.cpa_double import CpaDouble, records

V8 = "/v8/management"


@pytest.fixture
def cpa_v8() -> Iterator[CpaDouble]:
    double = CpaDouble(CPA_KEY, version="v8.0.47").start()
    yield double
    double.stop()


def start_for(start_app: Callable[..., App], cpa: CpaDouble) -> App:
    return start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY})


def test_v8_config_read_arrives_with_the_stored_key(start_app: Callable[..., App], cpa_v8: CpaDouble) -> None:
    app = start_for(start_app, cpa_v8)
    reply = call("GET", f"{app.base_url}{V8}/config/routing/strategy", key=CPA_KEY,
                 headers={"Cookie": "session=secret", "X-Real-IP": "203.0.113.9", "X-Trace-Id": "t-8"})
    assert (reply.status, reply.json) == (200, "round-robin")
    assert reply.headers["x-cpa-version"] == "v8.0.47"
    [seen] = [r for r in cpa_v8.recorded() if r.path == f"{V8}/config/routing/strategy"]
    assert seen.headers["authorization"] == f"Bearer {CPA_KEY}" and seen.headers["x-trace-id"] == "t-8"
    assert {"cookie", "x-real-ip", "x-forwarded-for"}.isdisjoint(seen.headers)


def test_v8_write_streams_through_and_rewrites_the_file(start_app: Callable[..., App], cpa_v8: CpaDouble) -> None:
    app = start_for(start_app, cpa_v8)
    reply = call("PUT", f"{app.base_url}{V8}/config/routing/strategy", key=CPA_KEY, json_body="fill-first")
    assert (reply.status, reply.json) == (200, {"config-version": 8, "status": "ok"})
    assert "config-version: 8" in cpa_v8.read_config_text()
    assert call("GET", f"{app.base_url}/v0/management/routing/strategy", key=CPA_KEY).json == {
        "strategy": "fill-first"}


def test_v8_on_a_v7_cpa_is_its_empty_404(start_app: Callable[..., App], cpa: CpaDouble) -> None:
    app = start_for(start_app, cpa)
    reply = call("GET", f"{app.base_url}{V8}/config", key=CPA_KEY)
    assert (reply.status, reply.body) == (404, b"")


def test_wrong_key_on_v8_is_refused_here(start_app: Callable[..., App], cpa_v8: CpaDouble) -> None:
    app = start_for(start_app, cpa_v8)
    assert_error(call("GET", f"{app.base_url}{V8}/config", key="wrong-key"), 401, "invalid management key")
    assert [r for r in cpa_v8.recorded() if r.path.startswith(V8)] == []
    assert cpa_v8.auth_failures() == 0


def test_v8_usage_queue_is_reserved(start_app: Callable[..., App], cpa_v8: CpaDouble) -> None:
    app = start_for(start_app, cpa_v8)
    assert call("POST", f"{app.base_url}/collector/pause", key=CPA_KEY).json["collector"] == "paused"
    cpa_v8.enqueue(*records.mixed_records(4, seed=8))
    pops = cpa_v8.pop_calls["http"]
    queue = f"{V8}/observability/usage/queue"
    for method, path in (("GET", f"{queue}?count=4"), ("POST", queue), ("GET", f"{queue}/"),
                         ("GET", f"{V8}/Observability/Usage/Queue")):
        reply = call(method, f"{app.base_url}{path}", key=CPA_KEY)
        assert_error(reply, 403, "CPA's usage queue is reserved for CPA Manager")
        assert reply.json["code"] == "queue_reserved"
    for raw_path in (f"{V8}/observability/x/../usage/queue?count=4", f"{V8}/observability/usage/%71ueue?count=4"):
        conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
        try:
            conn.request("GET", raw_path, headers={"Authorization": f"Bearer {CPA_KEY}"})
            assert conn.getresponse().status == 403, raw_path
        finally:
            conn.close()
    assert (cpa_v8.queue_length(), cpa_v8.pop_calls["http"]) == (4, pops)
    # Nothing reached CPA's v8 observability routes (the quota collector's own v8 reads are not the proxy's).
    assert [r for r in cpa_v8.recorded() if r.path.lower().startswith(f"{V8}/observability")] == []
    # The double really serves the path, so the refusals above were ours.
    direct = json.loads(_direct(cpa_v8, f"{V8}/observability/usage/queue?count=1"))
    assert len(direct) == 1 and cpa_v8.queue_length() == 3


def _direct(cpa: CpaDouble, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", cpa.port, timeout=10)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {CPA_KEY}"})
        return conn.getresponse().read()
    finally:
        conn.close()
