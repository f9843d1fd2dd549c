"""The CPA proxy against the real app and the CPA double: streaming, key handling, headers, refusals."""

from __future__ import annotations

import hashlib
import http.client
import os
from collections.abc import Callable, Iterator

import pytest
import urllib3

from cpa_manager_desktop.app import App
from cpa_manager_desktop.web import proxy
from tests.client import assert_error, call
from tests.conftest import CPA_KEY, wait_until
from tests.cpa_double import CpaDouble, download_sha256, iter_download, records

MIB = 1024 * 1024
BOUNDARY = "----cpa-manager-test-boundary-7f3a"
# Bodies here are tens of MiB; the shared test client's 30 s read timeout is for small replies.
_pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=5, read=120))


def start_for(start_app: Callable[..., App], cpa: CpaDouble, **env: str) -> App:
    return start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY, **env})


def requests_to(cpa: CpaDouble, path: str, method: str | None = None) -> list:
    return [r for r in cpa.recorded() if r.path == path and method in (None, r.method)]


def multipart_upload(size: int) -> tuple[Callable[[], Iterator[bytes]], int]:
    """A one-file multipart body of `size` payload bytes, generated on demand instead of held."""
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.json\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()

    def chunks() -> Iterator[bytes]:
        yield head
        yield from iter_download(size)
        yield tail

    return chunks, len(head) + size + len(tail)


def rss_bytes() -> int | None:
    """Current resident set size, or None where /proc is missing (the RSS check is then skipped)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@pytest.fixture
def app(start_app: Callable[..., App], cpa: CpaDouble) -> App:
    return start_for(start_app, cpa)


def test_large_multipart_upload_arrives_byte_exact(app: App, cpa: CpaDouble) -> None:
    payload_size = 20 * MIB + 12345
    chunks, total = multipart_upload(payload_size)
    expected = hashlib.sha256()
    for data in chunks():
        expected.update(data)
    reply = _pool.request(
        "POST", f"{app.base_url}/v0/management/auth-files", body=chunks(),
        headers={"Authorization": f"Bearer {CPA_KEY}", "Content-Length": str(total),
                 "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    assert reply.status == 200, reply.data[:300]
    answer = reply.json()
    assert (answer["status"], answer["size"], answer["sha256"]) == ("ok", total, expected.hexdigest())
    assert answer["parts"][0]["size"] == payload_size
    assert answer["parts"][0]["sha256"] == download_sha256(payload_size)
    [seen] = requests_to(cpa, "/v0/management/auth-files", "POST")  # the quota collector GETs it too
    assert (seen.method, seen.body_size, seen.body_sha256) == ("POST", total, expected.hexdigest())


def test_upload_over_64_mib_refused_before_reaching_cpa(app: App, cpa: CpaDouble) -> None:
    block = b"\0" * MIB
    size = 70 * MIB
    reply = _pool.request(
        "POST", f"{app.base_url}/v0/management/auth-files", body=(block for _ in range(size // MIB)),
        headers={"Authorization": f"Bearer {CPA_KEY}", "Content-Length": str(size),
                 "Content-Type": "application/octet-stream"})
    assert reply.status == 413
    assert reply.json()["code"] == "payload_too_large"
    assert reply.json()["error"].startswith("The request body is 70.0 MiB")
    assert requests_to(cpa, "/v0/management/auth-files", "POST") == []


def test_100_mib_download_streams_byte_exact(app: App, cpa: CpaDouble) -> None:
    size = 100 * MIB + 7
    expected = download_sha256(size)
    baseline = rss_bytes()
    peak = baseline or 0
    response = _pool.request(
        "GET", f"{app.base_url}/v0/management/auth-files/download?name=big.bin&size={size}",
        headers={"Authorization": f"Bearer {CPA_KEY}"}, preload_content=False)
    try:
        assert response.status == 200
        assert response.headers["Content-Length"] == str(size)
        assert response.headers["Content-Disposition"] == 'attachment; filename="big.bin"'
        digest, received = hashlib.sha256(), 0
        for data in response.stream(64 * 1024):
            digest.update(data)
            received += len(data)
            if baseline is not None and received % (4 * MIB) < len(data):
                peak = max(peak, rss_bytes() or 0)
    finally:
        response.release_conn()
    assert (received, digest.hexdigest()) == (size, expected)
    if baseline is not None:
        # App, double and client share this process: buffering anywhere would show as ~100 MiB.
        assert peak - baseline < size // 2, f"RSS grew by {(peak - baseline) / MIB:.0f} MiB"



def test_caller_hanging_up_mid_download_closes_the_cpa_connection(app: App, cpa: CpaDouble) -> None:
    # Paused, the collector opens and closes no connections of its own while we count.
    assert call("POST", f"{app.base_url}/collector/pause", key=CPA_KEY).json["collector"] == "paused"
    conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
    try:
        conn.request("GET", f"/v0/management/auth-files/download?name=big.bin&size={500 * MIB}",
                     headers={"Authorization": f"Bearer {CPA_KEY}"})
        response = conn.getresponse()
        assert response.status == 200
        response.read(2 * MIB)
        streaming = cpa.open_connections()
    finally:
        conn.close()
    # Returned to the pool instead, the connection would keep CPA writing into a full socket.
    wait_until(lambda: cpa.open_connections() < streaming, 5, "the proxy to close its CPA connection")
    assert call("GET", f"{app.base_url}/v0/management/latest-version", key=CPA_KEY).status == 200

def test_wrong_key_answered_by_us_and_never_reaches_cpa(app: App, cpa: CpaDouble) -> None:
    url = f"{app.base_url}/v0/management/latest-version"
    for headers in ({"Authorization": "Bearer wrong-key"}, {"X-Management-Key": "wrong-key"}, {}):
        reply = call("GET", url, headers=headers)
        assert_error(reply, 401, "invalid management key")
        assert reply.json["code"] == "invalid_management_key"
    assert requests_to(cpa, "/v0/management/latest-version") == []
    assert cpa.auth_failures() == 0
    # The same path with the right key does reach CPA, so the refusals above were ours.
    assert call("GET", url, key=CPA_KEY).json == {"latest-version": "v7.2.141"}


def test_forwarded_headers_query_and_cors(start_app: Callable[..., App], cpa: CpaDouble) -> None:
    app = start_for(start_app, cpa, USAGE_CORS_ORIGINS="http://cpa-panel:8317")
    logging_on = call("PUT", f"{cpa.base_url}/v0/management/logging-to-file", key=CPA_KEY, json_body={"value": True})
    assert logging_on.status == 200
    query = "after=123&limit=5&cursor=c%2F1&note=a+b&empty="
    response = _pool.request("GET", f"{app.base_url}/v0/management/logs?{query}", headers={
        "X-Management-Key": CPA_KEY, "Origin": "http://cpa-panel:8317", "Referer": "http://cpa-panel:8317/x",
        "Cookie": "session=secret", "X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9",
        "Forwarded": "for=203.0.113.9", "Accept": "application/json", "X-Trace-Id": "t-1"})
    # A forwarded client address would have made CPA refuse: remote management is off on the double.
    assert response.status == 200, response.data
    assert response.json()["cursor-reset"] is True  # "c/1" is no cursor CPA wrote
    assert response.headers["X-CPA-VERSION"] == cpa.version
    assert response.headers.getlist("Access-Control-Allow-Origin") == ["http://cpa-panel:8317"]
    [seen] = [r for r in requests_to(cpa, "/v0/management/logs") if r.query == query]
    assert seen.headers["authorization"] == f"Bearer {CPA_KEY}"
    assert (seen.headers["accept"], seen.headers["x-trace-id"]) == ("application/json", "t-1")
    leaked = {"x-forwarded-for", "x-real-ip", "forwarded", "cookie", "origin", "referer", "x-management-key"}
    assert leaked.isdisjoint(seen.headers), sorted(leaked & set(seen.headers))


def test_put_json_changes_cpa_state_and_cpa_errors_pass_through(app: App, cpa: CpaDouble) -> None:
    url = f"{app.base_url}/v0/management/usage-statistics-enabled"
    assert cpa.usage_statistics_enabled is True
    reply = call("PUT", url, key=CPA_KEY, json_body={"value": False})
    assert (reply.status, reply.json) == (200, {"status": "ok"})
    assert cpa.usage_statistics_enabled is False
    assert call("GET", url, key=CPA_KEY).json == {"usage-statistics-enabled": False}
    bad = call("PATCH", url, key=CPA_KEY, json_body={"value": "yes"})
    assert (bad.status, bad.json) == (400, {"error": "invalid body"})
    assert cpa.usage_statistics_enabled is False


def test_usage_queue_is_reserved(app: App, cpa: CpaDouble) -> None:
    assert call("POST", f"{app.base_url}/collector/pause", key=CPA_KEY).json["collector"] == "paused"
    cpa.enqueue(*records.mixed_records(5, seed=3))
    pops = cpa.pop_calls["http"]
    for method, path in (("GET", "/v0/management/usage-queue?count=5"), ("POST", "/v0/management/usage-queue"),
                         ("DELETE", "/v0/management/usage-queue/")):
        reply = call(method, f"{app.base_url}{path}", key=CPA_KEY)
        assert_error(reply, 403, "CPA's usage queue is reserved for CPA Manager")
        assert reply.json["code"] == "queue_reserved"
    # Spellings a client library would normalise away, sent raw.
    for raw_path in ("/v0/management/x/../usage-queue?count=5", "/v0/management/usage%2Dqueue?count=5"):
        conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
        try:
            conn.request("GET", raw_path, headers={"Authorization": f"Bearer {CPA_KEY}"})
            assert conn.getresponse().status == 403, raw_path
        finally:
            conn.close()
    assert (cpa.queue_length(), cpa.pop_calls["http"]) == (5, pops)


def test_cpa_down_is_502_with_a_sentence(app: App, cpa: CpaDouble) -> None:
    cpa.stop()
    reply = call("GET", f"{app.base_url}/v0/management/config", key=CPA_KEY)
    assert_error(reply, 502, f"Cannot reach CPA at {cpa.base_url}: connection refused")
    assert reply.json["code"] == "cpa_unreachable"
    assert_error(call("GET", f"{app.base_url}/v1/models"), 502, f"Cannot reach CPA at {cpa.base_url}")


def test_not_set_up_is_428(start_app: Callable[..., App]) -> None:
    app = start_app()
    for path in ("/v0/management/config", "/v1/models", "/models"):
        reply = call("GET", f"{app.base_url}{path}")
        assert_error(reply, 428, "CPA Manager is not set up yet: enter the CPA URL and Management Key first")
        assert reply.json["code"] == "not_configured"


@pytest.fixture
def cpa_with_client_keys() -> Iterator[CpaDouble]:
    double = CpaDouble(CPA_KEY, api_keys=["sk-client-ok"]).start()
    yield double
    double.stop()


def test_models_use_the_callers_client_key(start_app: Callable[..., App], cpa_with_client_keys: CpaDouble) -> None:
    cpa = cpa_with_client_keys
    app = start_for(start_app, cpa)
    for path in ("/v1/models", "/models"):
        reply = call("GET", f"{app.base_url}{path}", key="sk-client-ok")
        assert reply.status == 200, reply.body
        assert reply.json["object"] == "list" and "gpt-5.4" in {m["id"] for m in reply.json["data"]}
    assert call("GET", f"{app.base_url}/v1/models?key=sk-client-ok").status == 200
    assert call("GET", f"{app.base_url}/v1/models", headers={"X-Api-Key": "sk-client-ok"}).status == 200
    for key in ("sk-client-wrong", CPA_KEY):
        wrong = call("GET", f"{app.base_url}/v1/models", key=key)
        assert (wrong.status, wrong.json) == (401, {"error": "Invalid API key"})
    seen = requests_to(cpa, "/v1/models")
    assert [r.headers.get("authorization") for r in seen[:2]] == ["Bearer sk-client-ok"] * 2
    assert seen[2].query == "key=sk-client-ok"
    assert cpa.auth_failures() == 0


def test_management_headers_drop_caller_credentials_and_hop_by_hop() -> None:
    # Waitress already removes the X-Forwarded-* family before our code runs, so this is checked directly.
    environ = {"HTTP_X_FORWARDED_FOR": "203.0.113.9", "HTTP_FORWARDED": "for=203.0.113.9",
               "HTTP_X_FORWARDED_HOST": "evil", "HTTP_X_REAL_IP": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer x",
               "HTTP_CONNECTION": "keep-alive, X-Hop", "HTTP_X_HOP": "1", "HTTP_TE": "trailers",
               "HTTP_UPGRADE": "h2c", "HTTP_HOST": "127.0.0.1:1", "HTTP_ACCEPT": "*/*",
               "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": "2", "REQUEST_METHOD": "PUT"}
    assert proxy.management_headers(environ, "stored") == {
        "accept": "*/*", "content-type": "application/json", "content-length": "2", "authorization": "Bearer stored"}


@pytest.mark.parametrize(("raw", "cleaned"), [
    ("config", "/config"), ("auth-files/", "/auth-files/"), ("a//b/./c", "/a/b/c"),
    ("x/../usage-queue", "/usage-queue"), ("../../v1/chat/completions", "/v1/chat/completions"), ("..", "/"),
])
def test_sub_path_cannot_leave_the_management_prefix(raw: str, cleaned: str) -> None:
    assert proxy.clean_sub_path(raw) == cleaned


def test_other_methods_on_our_own_paths_are_refused_here(start_app, cpa) -> None:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY})
    refused = (("PUT", "usage"), ("DELETE", "model-prices"), ("POST", "analytics/summary"))
    for method, path in refused:
        assert_error(call(method, f"{app.base_url}/v0/management/{path}", key=CPA_KEY), 405, f"{method} is not")
    reached = {(r.method, r.path) for r in cpa.recorded()}
    assert not reached & {(m, f"/v0/management/{p}") for m, p in refused}
    assert call("GET", f"{app.base_url}/v0/management/usage-statistics-enabled", key=CPA_KEY).status == 200
