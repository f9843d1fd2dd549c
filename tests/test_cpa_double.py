"""The CPA double must behave like CPA (shared/spec/cpa-protocol.md); these are the traps the product must survive."""

from __future__ import annotations

import hashlib
import json
import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from http.client import HTTPConnection

import pytest
import urllib3

from tests.cpa_double import (
    SECRET_VALUES,
    CpaDouble,
    FakeClock,
    RespClient,
    RespError,
    download_chunk,
    download_sha256,
    make_record,
    mixed_records,
    records,
    secrets_in,
    wait_for,
)

KEY = "test-management-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
QUEUE = "/v0/management/usage-queue"
BAN_RE = re.compile(r"^IP banned due to too many failed attempts\. Try again in (\d+h)?(\d+m)?\d+s$")


@pytest.fixture
def cpa() -> Iterator[CpaDouble]:
    double = CpaDouble().start()
    yield double
    double.stop()


@pytest.fixture
def http() -> Iterator[urllib3.PoolManager]:
    pool = urllib3.PoolManager(retries=False, timeout=5.0)
    yield pool
    pool.clear()


def call(
    http: urllib3.PoolManager, cpa: CpaDouble, path: str, method: str = "GET", headers: dict | None = None, **kw
) -> urllib3.BaseHTTPResponse:
    return http.request(method, cpa.base_url + path, headers=AUTH if headers is None else headers, **kw)


def body_json(resp: urllib3.BaseHTTPResponse) -> object:
    return json.loads(resp.data)


def resp_client(cpa: CpaDouble, *, auth: bool = True) -> RespClient:
    client = RespClient(cpa.port)
    if auth:
        assert client.call("AUTH", KEY) == "OK"
    return client


# --- HTTP usage queue ---------------------------------------------------------------------------


def test_http_pop_is_fifo_with_default_count_one(cpa, http):
    cpa.enqueue(*({"n": i} for i in range(5)))
    assert body_json(call(http, cpa, QUEUE)) == [{"n": 0}]
    assert body_json(call(http, cpa, QUEUE + "?count=3")) == [{"n": 1}, {"n": 2}, {"n": 3}]
    assert body_json(call(http, cpa, QUEUE + "?count=100&batch=7")) == [{"n": 4}]
    empty = call(http, cpa, QUEUE + "?count=5")
    assert (empty.status, empty.data) == (200, b"[]")
    assert [json.loads(p) for p in cpa.popped()] == [{"n": i} for i in range(5)]
    assert cpa.pop_calls == {"http": 4, "resp": 0}


@pytest.mark.parametrize("count", ["0", "-1", "abc", "", "1.5", "%202", "1_0"])
def test_bad_count_is_400_and_pops_nothing(cpa, http, count):
    cpa.enqueue({"n": 1})
    resp = call(http, cpa, f"{QUEUE}?count={count}")
    assert resp.status == 400
    assert body_json(resp) == {"error": "count must be a positive integer"}
    assert cpa.queue_length() == 1
    assert cpa.pop_calls["http"] == 0


def test_non_json_payload_comes_back_as_json_string(cpa, http):
    cpa.enqueue("not json {", b'{"ok":true}', "NaN")
    assert body_json(call(http, cpa, QUEUE + "?count=3")) == ["not json {", {"ok": True}, "NaN"]


def test_retention_expires_items_lazily_by_the_fake_clock(http):
    with CpaDouble(retention_s=60) as cpa:
        cpa.enqueue({"n": "old"})
        cpa.clock.advance(30)
        cpa.enqueue({"n": "new"})
        cpa.clock.advance(31)
        assert cpa.queue_length() == 1
        assert body_json(call(http, cpa, QUEUE + "?count=10")) == [{"n": "new"}]


@pytest.mark.parametrize(("configured", "effective"), [(0, 60), (-5, 60), (10_000, 3600), (5, 5)])
def test_retention_is_clamped_like_cpa(http, configured, effective):
    with CpaDouble(retention_s=configured) as cpa:
        assert body_json(call(http, cpa, "/v0/management/config"))["redis-usage-queue-retention-seconds"] == effective


def test_disabled_usage_statistics_produce_no_records(cpa, http):
    path = "/v0/management/usage-statistics-enabled"
    assert call(http, cpa, path, "PUT", body=b'{"value": false}').status == 200
    assert body_json(call(http, cpa, path)) == {"usage-statistics-enabled": False}
    cpa.enqueue({"n": 1})
    assert cpa.queue_length() == 0
    assert body_json(call(http, cpa, path, "PATCH", body=b'{"value": true}')) == {"status": "ok"}
    cpa.enqueue({"n": 2})
    assert body_json(call(http, cpa, QUEUE)) == [{"n": 2}]
    for bad in (b"", b"[]", b'{"value": "yes"}', b'{"enabled": true}'):
        resp = call(http, cpa, path, "PUT", body=bad)
        assert (resp.status, body_json(resp)) == (400, {"error": "invalid body"})


def test_injected_status_pops_nothing(cpa, http):
    cpa.enqueue({"n": 1})
    cpa.set_http_queue_status(502)
    resp = call(http, cpa, QUEUE)
    assert (resp.status, body_json(resp)) == (502, {"error": "injected"})
    assert cpa.queue_length() == 1
    cpa.set_http_queue_status(None)
    assert body_json(call(http, cpa, QUEUE)) == [{"n": 1}]


def test_old_cpa_without_http_queue_answers_404_after_auth(http):
    with CpaDouble(http_queue_supported=False, version="v6.10.7") as cpa:
        cpa.enqueue({"n": 1})
        wrong = call(http, cpa, QUEUE, headers={"Authorization": "Bearer nope"})
        assert wrong.status == 401
        resp = call(http, cpa, QUEUE)
        assert (resp.status, resp.data) == (404, b"")
        assert resp.headers["X-CPA-VERSION"] == "v6.10.7"
        assert cpa.queue_length() == 1


# --- management auth -----------------------------------------------------------------------------


def test_five_wrong_keys_ban_the_ip_even_for_the_right_key(cpa, http):
    wrong = {"Authorization": "Bearer wrong"}
    for attempt in range(1, 6):
        resp = call(http, cpa, QUEUE, headers=wrong)
        assert (resp.status, body_json(resp)) == (401, {"error": "invalid management key"})
        assert cpa.auth_failures() == attempt % 5  # the counter resets when the ban starts
    banned = call(http, cpa, QUEUE)
    assert banned.status == 403
    assert body_json(banned) == {"error": "IP banned due to too many failed attempts. Try again in 30m0s"}
    assert banned.headers["X-CPA-VERSION"] == "v7.2.140"
    cpa.clock.advance(1)
    assert body_json(call(http, cpa, QUEUE))["error"].endswith("Try again in 29m59s")
    cpa.clock.advance(30 * 60 - 1)
    assert not cpa.is_banned()
    assert call(http, cpa, QUEUE).status == 200


def test_success_resets_the_failure_counter(cpa, http):
    for _ in range(4):
        call(http, cpa, QUEUE, headers={"X-Management-Key": "wrong"})
    assert cpa.auth_failures() == 4
    assert call(http, cpa, QUEUE).status == 200
    assert cpa.auth_failures() == 0
    for _ in range(4):
        call(http, cpa, QUEUE, headers={"Authorization": "wrong"})
    assert not cpa.is_banned()


def test_key_sources_and_missing_key(cpa, http):
    assert call(http, cpa, QUEUE, headers={"Authorization": KEY}).status == 200  # bare header = whole key
    assert call(http, cpa, QUEUE, headers={"X-Management-Key": KEY}).status == 200
    assert call(http, cpa, QUEUE, headers={"Authorization": "Bearer ", "X-Management-Key": KEY}).status == 200
    assert call(http, cpa, QUEUE + f"?key={KEY}", headers={}).status == 401  # no query-parameter form
    missing = call(http, cpa, QUEUE, headers={})
    assert (missing.status, body_json(missing)) == (401, {"error": "missing management key"})
    assert cpa.auth_failures() == 2


def test_forwarded_for_decides_remoteness_and_the_ban_key(http):
    remote = "203.0.113.9"
    with CpaDouble() as cpa:
        resp = call(http, cpa, QUEUE, headers={**AUTH, "X-Forwarded-For": f"{remote}, 127.0.0.1"})
        assert (resp.status, body_json(resp)) == (403, {"error": "remote management disabled"})
        resp = call(http, cpa, QUEUE, headers={**AUTH, "X-Real-IP": remote})
        assert resp.status == 403
        assert cpa.auth_failures(remote) == 0
        # A non-IP hop makes Gin ignore the header, so the loopback peer decides.
        assert call(http, cpa, QUEUE, headers={**AUTH, "X-Forwarded-For": "unknown"}).status == 200
    with CpaDouble(allow_remote=True) as cpa:
        for _ in range(5):
            assert call(http, cpa, QUEUE, headers={"Authorization": "x", "X-Forwarded-For": remote}).status == 401
        assert cpa.is_banned(remote)
        assert not cpa.is_banned("127.0.0.1")
        assert call(http, cpa, QUEUE, headers={**AUTH, "X-Forwarded-For": remote}).status == 403
        assert call(http, cpa, QUEUE).status == 200


def test_cors_and_cpa_headers(cpa, http):
    unauthorized = call(http, cpa, QUEUE, headers={})
    assert unauthorized.status == 401
    assert unauthorized.headers["Access-Control-Allow-Origin"] == "*"
    for name in ("X-CPA-VERSION", "X-CPA-COMMIT", "X-CPA-BUILD-DATE", "X-CPA-SUPPORT-PLUGIN"):
        assert unauthorized.headers.get(name)
    preflight = call(http, cpa, QUEUE, "OPTIONS", headers={"Origin": "http://panel.example"})
    assert (preflight.status, preflight.data) == (204, b"")
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert cpa.auth_failures() == 1  # the preflight did not count


def test_no_secret_means_404_with_empty_body_everywhere(http):
    with CpaDouble(management_key=None) as cpa:
        cpa.enqueue({"n": 1})
        for path in (QUEUE, "/v0/management/config", "/v0/management/nope"):
            resp = call(http, cpa, path)
            assert (resp.status, resp.data) == (404, b"")
        assert cpa.auth_failures() == 0
        assert cpa.queue_length() == 0  # no management, no queue
        assert call(http, cpa, "/management.html", headers={}).status == 200
        with RespClient(cpa.port) as client:
            client.send("AUTH", "anything")
            assert client.is_closed()


def test_unknown_management_paths_are_404_only_after_auth(cpa, http):
    for method, path in [
        ("GET", "/v0/management/usage"),
        ("GET", "/v0/management/usage/export"),
        ("POST", "/v0/management/usage/import"),
        ("POST", QUEUE),
        ("GET", "/v0/management/x"),
    ]:
        wrong = call(http, cpa, path, method, headers={"Authorization": "Bearer bad"})
        assert wrong.status == 401, path
        resp = call(http, cpa, path, method)
        assert (resp.status, resp.data) == (404, b""), path


def test_key_rotation_at_runtime(cpa, http):
    cpa.management_key = "rotated"
    assert call(http, cpa, QUEUE).status == 401
    assert call(http, cpa, QUEUE, headers={"Authorization": "Bearer rotated"}).status == 200


# --- stubs ----------------------------------------------------------------------------------------


def test_config_never_exposes_the_secret(cpa, http):
    resp = call(http, cpa, "/v0/management/config")
    config = body_json(resp)
    assert config["usage-statistics-enabled"] is True
    assert config["debug"] is False and config["request-retry"] == 3
    assert "api-keys" in config and "redis-usage-queue-retention-seconds" in config
    assert KEY.encode() not in resp.data
    yaml = call(http, cpa, "/v0/management/config.yaml")
    assert b"usage-statistics-enabled: true" in yaml.data and KEY.encode() not in yaml.data
    put = call(http, cpa, "/v0/management/config.yaml", "PUT", body=b"redis-usage-queue-retention-seconds: 120\n")
    assert body_json(put) == {"ok": True, "changed": ["config"]}
    assert body_json(call(http, cpa, "/v0/management/config"))["redis-usage-queue-retention-seconds"] == 120


def test_pass_through_stubs(http):
    with CpaDouble(api_keys=["sk-client-alpha-0001"]) as cpa:
        assert body_json(call(http, cpa, "/v0/management/api-keys")) == {"api-keys": ["sk-client-alpha-0001"]}
        files = body_json(call(http, cpa, "/v0/management/auth-files"))["files"]
        assert len(files) == 2
        for entry in files:
            assert re.fullmatch(r"[0-9a-f]{16}", entry["auth_index"])
            assert entry["auth_index"] == records.auth_index_for(entry["provider"], entry["email"])
            assert entry["label"] == entry["email"]
        cpa.logs.log("info", "API server started on :8317")
        assert call(http, cpa, "/v0/management/logs").status == 400  # logging-to-file is off by default
        assert body_json(call(http, cpa, "/v0/management/latest-version")) == {"latest-version": "v7.2.141"}


# --- public routes ------------------------------------------------------------------------------


def test_v1_models_is_guarded_by_client_api_keys(http):
    good = "sk-client-alpha-0001"
    with CpaDouble(api_keys=[good]) as cpa:
        missing = call(http, cpa, "/v1/models", headers={})
        assert (missing.status, body_json(missing)) == (401, {"error": "Missing API key"})
        invalid = call(http, cpa, "/v1/models", headers={"Authorization": "Bearer nope"})
        assert (invalid.status, body_json(invalid)) == (401, {"error": "Invalid API key"})
        assert call(http, cpa, "/v1/models", headers={"Authorization": f"Bearer {KEY}"}).status == 401
        for headers, query in [
            ({"Authorization": f"Bearer {good}"}, ""),
            ({"X-Api-Key": good}, ""),
            ({"X-Goog-Api-Key": good}, ""),
            ({}, f"?key={good}"),
        ]:
            ok = call(http, cpa, "/v1/models" + query, headers=headers)
            assert ok.status == 200
            assert "X-CPA-VERSION" not in ok.headers
            models = body_json(ok)
            assert models["object"] == "list" and models["data"][0]["object"] == "model"
        assert call(http, cpa, "/models", headers={"Authorization": f"Bearer {good}"}).status == 404
        assert cpa.auth_failures() == 0  # client keys never touch the management ban
    with CpaDouble(api_keys=[]) as cpa:
        assert call(http, cpa, "/v1/models", headers={}).status == 200


def test_healthz_and_panel_need_no_key(cpa, http):
    assert body_json(call(http, cpa, "/healthz", headers={})) == {"status": "ok"}
    head = call(http, cpa, "/healthz", "HEAD", headers={})
    assert head.status == 200 and head.data == b""
    panel = call(http, cpa, "/management.html", headers={})
    assert panel.status == 200 and panel.headers["Content-Type"].startswith("text/html")


# --- RESP ---------------------------------------------------------------------------------------


def test_resp_commands_before_auth_count_as_failures(cpa, http):
    with RespClient(cpa.port) as client:
        for _ in range(5):
            reply = client.call("PING")
            assert isinstance(reply, RespError) and str(reply) == "NOAUTH Authentication required."
        banned = client.call("AUTH", KEY)
        assert isinstance(banned, RespError)
        assert str(banned).startswith("ERR ") and BAN_RE.match(str(banned)[4:])
    assert call(http, cpa, QUEUE).status == 403  # the ban is shared with HTTP


def test_resp_auth_forms_and_failures_keep_the_connection(cpa):
    with RespClient(cpa.port) as client:
        assert str(client.call("AUTH", "wrong")) == "ERR invalid management key"
        assert str(client.call("AUTH", "")) == "ERR missing management key"
        assert str(client.call("AUTH", "a", "b", "c")) == "ERR wrong number of arguments for 'auth' command"
        assert client.call("AUTH", "default", KEY) == "OK"
    with RespClient(cpa.port) as client:
        assert client.call("auth", KEY) == "OK"
    assert cpa.auth_failures() == 0


def test_lpop_and_rpop_both_pop_oldest(cpa):
    cpa.enqueue(*({"n": i} for i in range(4)))
    with resp_client(cpa) as client:
        assert json.loads(client.call("RPOP", "usage")) == {"n": 0}
        assert json.loads(client.call("LPOP", "USAGE")) == {"n": 1}
        assert [json.loads(x) for x in client.call("RPOP", "usage", "10")] == [{"n": 2}, {"n": 3}]
        client.send("LPOP", "usage")
        assert client.read_raw_line() == b"$-1\r\n"
        client.send("RPOP", "usage", "2")
        assert client.read_raw_line() == b"*0\r\n"
    assert cpa.pop_calls == {"http": 0, "resp": 5}


def test_resp_error_replies(cpa):
    with resp_client(cpa) as client:
        for count in ("0", "-3", "abc"):
            assert str(client.call("LPOP", "usage", count)) == "ERR value is not an integer or out of range"
        assert str(client.call("LPOP", "queue")) == "ERR unsupported channel 'queue'"
        assert str(client.call("LPOP")) == "ERR wrong number of arguments for 'lpop' command"
        assert str(client.call("RPOP", "usage", "1", "2")) == "ERR wrong number of arguments for 'rpop' command"
        for cmd in (["PING"], ["SELECT", "0"], ["LLEN", "usage"], ["HELLO", "3"], ["CLIENT", "SETINFO", "a", "b"]):
            assert str(client.call(*cmd)) == f"ERR unknown command '{cmd[0].lower()}'"
    assert cpa.pop_calls["resp"] == 0


def test_subscribe_diverts_records_from_the_queue(cpa, http):
    with resp_client(cpa) as sub:
        assert sub.call("SUBSCRIBE", "usage") == [b"subscribe", b"usage", 1]
        assert sub.read() == [b"message", b"usage", b'{"support_refresh":true}']
        cpa.enqueue({"n": 1})
        assert sub.read() == [b"message", b"usage", b'{"n":1}']
        assert cpa.queue_length() == 0
        assert call(http, cpa, QUEUE).data == b"[]"
        cpa.publish_refresh()
        assert sub.read() == [b"message", b"usage", b'{"refresh":true}']
        assert sub.call("PING") == [b"pong", None]
        assert sub.call("PING", "hi") == [b"pong", b"hi"]
        assert str(sub.call("LPOP", "usage")) == "ERR unknown command 'lpop'"
        assert sub.call("UNSUBSCRIBE") == [b"unsubscribe", b"usage", 0]
        assert sub.is_closed()
    wait_for(lambda: cpa.subscriber_count() == 0)
    cpa.enqueue({"n": 2})
    assert cpa.queue_length() == 1


def test_errors_channel_quit_and_bad_subscribe(cpa):
    with resp_client(cpa) as client:
        assert str(client.call("SUBSCRIBE", "usage", "errors")) == (
            "ERR wrong number of arguments for 'subscribe' command"
        )
        assert str(client.call("SUBSCRIBE", "queue")) == "ERR unsupported channel 'queue'"
        assert client.call("SUBSCRIBE", "errors") == [b"subscribe", b"errors", 1]
        cpa.enqueue({"n": 1})  # only usage subscribers divert records
        assert cpa.queue_length() == 1
        cpa.publish_error({"auth_index": "3f9c1a7be2d04c55", "status_code": 429})
        assert client.read() == [b"message", b"errors", b'{"auth_index":"3f9c1a7be2d04c55","status_code":429}']
        assert client.call("QUIT") == "OK"
        assert client.is_closed()


def test_overflowing_subscriber_is_dropped_and_records_lost(cpa):
    with resp_client(cpa) as sub:
        sub.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        assert sub.call("SUBSCRIBE", "usage")[0] == b"subscribe"
        blob = "x" * 65536
        for i in range(2000):
            cpa.enqueue({"n": i, "pad": blob})
            if cpa.subscriber_count() == 0:
                break
        wait_for(lambda: cpa.subscriber_count() == 0)
        assert cpa.queue_length() == 0


def test_inline_and_non_array_commands_close_the_connection(cpa):
    with resp_client(cpa) as client:
        client.send_raw(b"PING\r\n")
        assert str(client.read()) == "ERR protocol error"
        assert client.is_closed()
    with RespClient(cpa.port) as client:
        client.send_raw(b"+PING\r\n")
        assert str(client.read()) == "ERR protocol error"
        assert client.is_closed()


def test_cpa_without_resp_closes_resp_connections():
    with CpaDouble(resp_supported=False, version="v7.1.17") as cpa, RespClient(cpa.port) as client:
        client.send("AUTH", KEY)
        assert client.read_until_closed().startswith(b"HTTP/1.1 400 Bad Request\r\n")


def test_removing_the_secret_drops_subscribers_and_the_queue(cpa):
    cpa.enqueue({"n": 1})
    with resp_client(cpa) as sub:
        sub.call("SUBSCRIBE", "usage")
        sub.read()
        cpa.management_key = None
        assert sub.is_closed()
    assert cpa.queue_length() == 0


# --- lifecycle and streaming ------------------------------------------------------------------


def test_stop_closes_live_keep_alive_connections():
    cpa = CpaDouble().start()
    raw = socket.create_connection(("127.0.0.1", cpa.port), timeout=5)
    raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    received = bytearray()
    wait_for(lambda: received.extend(raw.recv(4096)) or received.endswith(b'{"status":"ok"}'))
    pool = urllib3.PoolManager(retries=False, timeout=5.0)
    assert call(pool, cpa, "/healthz", headers={}).status == 200
    cpa.stop()
    cpa.stop()  # idempotent
    assert raw.recv(1) == b""
    assert cpa.open_connections() == 0
    with pytest.raises(urllib3.exceptions.HTTPError):
        call(pool, cpa, "/healthz", headers={})
    raw.close()


def test_keep_alive_serves_many_requests_on_one_connection(cpa):
    conn = HTTPConnection("127.0.0.1", cpa.port, timeout=5)
    try:
        for n in range(3):
            cpa.enqueue({"n": n})
            conn.request("GET", QUEUE, headers=AUTH)
            assert json.loads(conn.getresponse().read()) == [{"n": n}]
        conn.request(
            "PUT",
            "/v0/management/usage-statistics-enabled",
            body=iter([b'{"value":', b"false}"]),
            headers={**AUTH, "Transfer-Encoding": "chunked"},
            encode_chunked=True,
        )
        assert json.loads(conn.getresponse().read()) == {"status": "ok"}
        assert cpa.open_connections() == 1
    finally:
        conn.close()
    assert not cpa.usage_statistics_enabled


def test_http_and_resp_share_one_fifo(cpa, http):
    cpa.enqueue(*({"n": i} for i in range(3)))
    with resp_client(cpa) as client:
        assert json.loads(client.call("LPOP", "usage")) == {"n": 0}
        assert body_json(call(http, cpa, QUEUE)) == [{"n": 1}]
        assert json.loads(client.call("RPOP", "usage")) == {"n": 2}
    assert cpa.popped() == [b'{"n":0}', b'{"n":1}', b'{"n":2}']
    assert cpa.pop_calls == {"http": 1, "resp": 2}


def test_restart_on_the_same_port(http):
    first = CpaDouble().start()
    port = first.port
    first.enqueue({"n": 1})
    assert call(http, first, "/healthz", headers={}).status == 200
    first.stop()
    second = CpaDouble(port=port).start()
    try:
        assert second.port == port
        assert call(http, second, QUEUE).data == b"[]"  # the queue does not survive a restart
    finally:
        second.stop()


def test_multipart_upload_is_streamed_and_recorded(cpa, http):
    payload = bytes(range(256)) * (3 * 4096 + 17)  # ~3 MiB, not a multiple of any buffer size
    body, content_type = urllib3.encode_multipart_formdata(
        [("file", ("big.json", payload, "application/json")), ("file", ("small.json", b"{}", "application/json"))]
    )
    resp = call(
        http, cpa, "/v0/management/auth-files", "POST", body=body, headers={**AUTH, "Content-Type": content_type}
    )
    answer = body_json(resp)
    assert answer["files"] == ["big.json", "small.json"]
    assert answer["size"] == len(body) and answer["sha256"] == hashlib.sha256(body).hexdigest()
    assert answer["parts"][0]["sha256"] == hashlib.sha256(payload).hexdigest()
    assert answer["parts"][0]["size"] == len(payload)
    recorded = cpa.recorded()[-1]
    assert (recorded.method, recorded.path) == ("POST", "/v0/management/auth-files")
    assert recorded.body_size == len(body) and recorded.body_sha256 == hashlib.sha256(body).hexdigest()
    assert recorded.headers["content-type"] == content_type


def test_chunked_upload_is_recorded(cpa, http):
    chunks = [b"a" * 70_000, b"b" * 3, b"c" * 1_500_000]
    resp = call(http, cpa, "/v0/management/auth-files?name=raw.json", "POST", body=iter(chunks), chunked=True)
    expected = hashlib.sha256(b"".join(chunks)).hexdigest()
    assert body_json(resp)["files"] == ["raw.json"]
    assert cpa.recorded()[-1].body_sha256 == expected
    assert cpa.recorded()[-1].body_size == sum(map(len, chunks))


def test_large_download_streams_exact_bytes(cpa, http):
    size = 5 * 1024 * 1024 + 3
    resp = call(http, cpa, f"/v0/management/auth-files/download?name=big.bin&size={size}", preload_content=False)
    assert int(resp.headers["Content-Length"]) == size
    digest, total = hashlib.sha256(), 0
    for chunk in resp.stream(100_000):
        digest.update(chunk)
        total += len(chunk)
    resp.release_conn()
    assert total == size and digest.hexdigest() == download_sha256(size)
    assert download_chunk(16, 16) == b"000000000000010\n"


def test_client_disconnecting_mid_request_does_not_hurt(cpa, http):
    raw = socket.create_connection(("127.0.0.1", cpa.port), timeout=5)
    raw.sendall(b"POST /v0/management/auth-files HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc")
    raw.close()
    assert call(http, cpa, "/healthz", headers={}).status == 200


def test_fake_clock_only_moves_when_told():
    clock = FakeClock(start=1000.0)
    assert clock.now() == 1000.0
    clock.advance(2.5)
    assert clock.now() == 1002.5
    with pytest.raises(ValueError):
        clock.advance(-1)


# --- records ------------------------------------------------------------------------------------

V610_KEYS = [
    "timestamp",
    "latency_ms",
    "source",
    "auth_index",
    "tokens",
    "failed",
    "provider",
    "model",
    "alias",
    "endpoint",
    "auth_type",
    "api_key",
    "request_id",
]
V70_KEYS = [*V610_KEYS[:6], "fail", *V610_KEYS[6:]]
V71_KEYS = [
    "timestamp",
    "latency_ms",
    "ttft_ms",
    "source",
    "auth_index",
    "tokens",
    "failed",
    "fail",
    "response_headers",
    "provider",
    "executor_type",
    "model",
    "alias",
    "endpoint",
    "auth_type",
    "api_key",
    "request_id",
    "reasoning_effort",
    "service_tier",
]
V72_KEYS = [
    "timestamp",
    "latency_ms",
    "ttft_ms",
    "source",
    "auth_index",
    "access_token_sha256",
    "client_ip",
    "x_forwarded_for",
    "user_agent",
    "tokens",
    "failed",
    "generate",
    "fail",
    "response_headers",
    "accounting_version",
    "token_breakdown",
    "provider",
    "executor_type",
    "model",
    "alias",
    "endpoint",
    "auth_type",
    "api_key",
    "request_id",
    "reasoning_effort",
    "service_tier",
    "response_service_tier",
]
TOKENS_610 = ["input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens", "total_tokens"]
TOKENS_70 = [
    "input_tokens",
    "output_tokens",
    "reasoning_tokens",
    "cached_tokens",
    "cache_read_tokens",
    "cache_creation_tokens",
    "total_tokens",
]
TOKENS_72 = [*TOKENS_70[:5], "cache_read_tokens_present", *TOKENS_70[5:]]
GO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,8}[1-9])?(Z|[+-]\d\d:\d\d)$")


@pytest.mark.parametrize(
    ("version", "keys", "token_keys"),
    [
        ("6.10", V610_KEYS, TOKENS_610),
        ("7.0", V70_KEYS, TOKENS_70),
        ("7.1", V71_KEYS, TOKENS_70),
        ("7.2", V72_KEYS, TOKENS_72),
    ],
)
def test_record_keys_and_order_per_version(version, keys, token_keys):
    full = make_record(version=version, provider="codex", seq=1)
    assert list(full) == keys
    assert list(full["tokens"]) == token_keys
    # Optional 7.2 fields are omitted, not emptied, for an API-key credential without a response tier.
    lean = make_record(
        version=version,
        provider="claude",
        auth_type="apikey",
        failed=True,
        status_code=500,
        source=records.PROVIDER_KEYS["claude"][0],
        seq=2,
    )
    expected = [k for k in keys if k not in ("access_token_sha256", "response_headers", "response_service_tier")]
    assert list(lean) == expected


def _assert_breakdown_invariants(rec: dict) -> None:
    tb = rec["token_breakdown"]
    assert tb["schema_version"] == 2 and rec["accounting_version"] == 2
    assert tb["input"]["total_tokens"] == sum(
        tb["input"][k] for k in ("uncached_tokens", "cache_read_tokens", "cache_write_tokens")
    )
    assert tb["output"]["total_tokens"] == tb["output"]["non_reasoning_tokens"] + tb["output"]["reasoning_tokens"]
    assert tb["total_tokens"] == tb["input"]["total_tokens"] + tb["output"]["total_tokens"] + tb["unclassified_tokens"]
    assert all(v >= 0 for part in (tb["input"], tb["output"]) for v in part.values())


def test_token_semantics_per_provider():
    tokens = {"input": 1000, "output": 300, "reasoning": 100, "cached": 600, "cache_creation": 0}
    codex = make_record(provider="codex", tokens=tokens)
    assert codex["tokens"]["total_tokens"] == 1300
    assert codex["token_breakdown"]["input"] == {
        "total_tokens": 1000,
        "uncached_tokens": 400,
        "cache_read_tokens": 600,
        "cache_write_tokens": 0,
    }
    assert codex["token_breakdown"]["output"] == {
        "total_tokens": 300,
        "non_reasoning_tokens": 200,
        "reasoning_tokens": 100,
    }
    claude = make_record(
        provider="claude",
        model="claude-sonnet-4-5-20250929",
        tokens={"input": 50, "output": 300, "cached": 6000, "cache_creation": 2048},
    )
    assert claude["tokens"]["total_tokens"] == 50 + 300 + 6000 + 2048
    assert claude["token_breakdown"]["input"] == {
        "total_tokens": 8098,
        "uncached_tokens": 50,
        "cache_read_tokens": 6000,
        "cache_write_tokens": 2048,
    }
    gemini = make_record(provider="gemini", model="gemini-2.5-pro", tokens=tokens)
    assert gemini["tokens"]["total_tokens"] == 1400
    assert gemini["token_breakdown"]["input"]["uncached_tokens"] == 400
    assert gemini["token_breakdown"]["output"] == {
        "total_tokens": 400,
        "non_reasoning_tokens": 300,
        "reasoning_tokens": 100,
    }
    for rec in (codex, claude, gemini):
        _assert_breakdown_invariants(rec)
        assert rec["token_breakdown"]["quality"] == "complete"


def test_mixed_records_cover_the_traps_and_keep_invariants():
    batch = mixed_records(80, seed=3)
    assert len(batch) == 80
    assert {r["provider"] for r in batch} >= set(records.PROVIDERS)
    assert {len(r) for r in batch} >= {len(V610_KEYS), len(V72_KEYS)}
    assert {r["fail"]["status_code"] for r in batch if "fail" in r and r["failed"]} >= {429, 500}
    assert any(r["tokens"]["total_tokens"] == 0 and not r["failed"] for r in batch)
    assert any(r.get("token_breakdown", {}).get("quality") == "unclassified" for r in batch)
    assert {r["auth_type"] for r in batch} == {"oauth", "apikey"}
    assert {r["api_key"] for r in batch} <= set(records.CLIENT_API_KEYS)
    groups: dict[str, list[dict]] = {}
    for rec in batch:
        groups.setdefault(rec["request_id"], []).append(rec)
    multi = [g for g in groups.values() if len(g) > 1]
    assert multi and all(len({r["auth_index"] for r in g}) == len(g) for g in multi)
    assert all(all(r["failed"] for r in g[:-1]) for g in multi)
    for rec in batch:
        assert GO_TIME.match(rec["timestamp"]), rec["timestamp"]
        assert re.fullmatch(r"[0-9a-f]{16}", rec["auth_index"]) and re.fullmatch(r"[0-9a-f]{8}", rec["request_id"])
        if rec["auth_type"] == "oauth":
            assert "@" in rec["source"]
        else:
            assert rec["source"].startswith(("sk-ant-api03-", "AIza", "sk-proj-", "xai-", "sk-or-v1-"))
        if "token_breakdown" in rec:
            _assert_breakdown_invariants(rec)
    stamps = [r["timestamp"] for r in batch]
    assert any(s.endswith("+08:00") for s in stamps) and any(s.endswith("Z") for s in stamps)
    assert any(re.search(r"\.\d{9}", s) for s in stamps)


def test_mixed_records_are_distinct_and_deterministic():
    batch = mixed_records(200, seed=7)
    assert len({json.dumps(r, sort_keys=True) for r in batch}) == 200
    assert batch == mixed_records(200, seed=7)
    assert batch != mixed_records(200, seed=8)
    assert make_record(seq=11) == make_record(seq=11)
    start = datetime(2030, 1, 1, tzinfo=UTC)
    assert mixed_records(3, start=start)[0]["timestamp"].startswith("2030-01-01T")


def test_secrets_are_findable():
    batch = mixed_records(60, seed=1)
    found = secrets_in(batch)
    assert found <= SECRET_VALUES
    assert {r["api_key"] for r in batch} <= found
    assert {r["source"] for r in batch if r["auth_type"] == "apikey"} <= found
    failed_bodies = [r["fail"]["body"] for r in batch if r.get("failed") and "fail" in r]
    assert failed_bodies and all(any(s in body for s in SECRET_VALUES) for body in failed_bodies)
    assert "alice@example.com" not in found


def test_go_timestamp_format():
    assert records.format_go_time(datetime(2026, 8, 22, 14, 5, 2, tzinfo=UTC), 7_100_000) == (
        "2026-08-22T14:05:02.0071Z"
    )
    assert records.format_go_time(datetime(2026, 8, 22, 14, 5, 2, tzinfo=UTC), 0) == "2026-08-22T14:05:02Z"
    stamps = [make_record(seq=s)["timestamp"] for s in range(30)]
    assert all(GO_TIME.match(s) for s in stamps)
    assert any(s.endswith("+08:00") for s in stamps) and any("." not in s for s in stamps)
