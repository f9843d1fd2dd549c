"""The double's log routes follow cpa-management-api §8 (v8 names: cpa-v8 §5.1): the three GET /logs modes,
the cursor and its reset, DELETE /logs, error-log files and a request's log by id."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import urllib3

from tests.cpa_double import CpaDouble
from tests.cpa_double.log_files import format_line

KEY = "test-management-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
START = 1_788_000_000.0  # 2026-08-29 10:40:00 UTC


@pytest.fixture
def http() -> Iterator[urllib3.PoolManager]:
    pool = urllib3.PoolManager(retries=False, timeout=5.0, maxsize=4)
    yield pool
    pool.clear()


@pytest.fixture(params=["v7.2.140", "8.0.47"])
def cpa(request: pytest.FixtureRequest) -> Iterator[CpaDouble]:
    from tests.cpa_double import FakeClock

    with CpaDouble(KEY, version=request.param, clock=FakeClock(START)) as double:
        yield double


def root(cpa: CpaDouble) -> tuple[str, dict[str, str]]:
    """The management root and the log paths for this double's version."""
    if cpa.is_v8:
        return "/v8/management", {"logs": "/observability/logs", "errors": "/observability/logs/errors",
                                  "request": "/observability/logs/requests"}
    return "/v0/management", {"logs": "/logs", "errors": "/request-error-logs", "request": "/request-log-by-id"}


def send(http: urllib3.PoolManager, cpa: CpaDouble, method: str, path: str, body: object = None
         ) -> urllib3.BaseHTTPResponse:
    data = None if body is None else json.dumps(body).encode()
    return http.request(method, cpa.base_url + path, body=data, headers=AUTH)


def get_logs(http: urllib3.PoolManager, cpa: CpaDouble, query: str) -> dict[str, object]:
    base, paths = root(cpa)
    reply = send(http, cpa, "GET", f"{base}{paths['logs']}?{query}")
    assert reply.status == 200, reply.data
    return json.loads(reply.data)


def turn_logging_on(http: urllib3.PoolManager, cpa: CpaDouble) -> None:
    assert send(http, cpa, "PUT", "/v0/management/logging-to-file", {"value": True}).status == 200


def test_logs_are_refused_while_file_logging_is_off(http, cpa) -> None:
    base, paths = root(cpa)
    for method in ("GET", "DELETE"):
        reply = send(http, cpa, method, f"{base}{paths['logs']}")
        assert (reply.status, json.loads(reply.data)) == (400, {"error": "logging to file disabled"})


def test_tail_then_cursor_reads_only_new_lines_and_keeps_the_cursor_when_idle(http, cpa) -> None:
    turn_logging_on(http, cpa)
    lines = [cpa.logs.log("info", f"line {i}", when=START + i) for i in range(5)]
    first = get_logs(http, cpa, "limit=3")
    assert (first["lines"], first["line-count"], first["latest-timestamp"]) == (lines[2:], 3, int(START) + 4)
    cursor = first["next-cursor"]
    assert get_logs(http, cpa, f"cursor={cursor}") == {
        "latest-timestamp": int(START) + 4, "line-count": 0, "lines": [], "next-cursor": cursor}
    more = [cpa.logs.log("warn", f"more {i}", "a1b2c3d4", when=START + 10 + i) for i in range(3)]
    cpa.logs.append(b"[2026-08-29 10:41:00] [--------] [info ] [x.go:1] unfinished")  # newline added: complete
    step = get_logs(http, cpa, f"cursor={cursor}&limit=2")
    assert (step["lines"], step["line-count"]) == (more[:2], 2)
    rest = get_logs(http, cpa, f"cursor={step['next-cursor']}")
    assert rest["lines"] == [more[2], "[2026-08-29 10:41:00] [--------] [info ] [x.go:1] unfinished"]
    assert "cursor-reset" not in rest


@pytest.mark.parametrize("damage", ["truncate", "rotate", "garbage"])
def test_a_cursor_on_a_changed_file_or_an_unknown_cursor_resets_with_a_tail(http, cpa, damage) -> None:
    turn_logging_on(http, cpa)
    for i in range(4):
        cpa.logs.log("info", f"old {i}", when=START + i)
    cursor = get_logs(http, cpa, "limit=10")["next-cursor"]
    if damage == "truncate":
        cpa.logs.truncate()
    elif damage == "rotate":
        cpa.logs.rotate()
    else:
        cursor = "bm90LWEtY3Vyc29y"
    fresh = [cpa.logs.log("error", f"new {i}", when=START + 20 + i) for i in range(2)]
    reset = get_logs(http, cpa, f"cursor={cursor}&limit=10")
    assert (reset.get("cursor-reset"), reset["lines"]) == (True, fresh if damage != "garbage" else reset["lines"])
    if damage == "garbage":
        assert reset["lines"][-2:] == fresh
    follow = get_logs(http, cpa, f"cursor={reset['next-cursor']}")
    assert (follow["lines"], "cursor-reset" in follow) == ([], False)


def test_scan_mode_counts_every_line_and_keeps_continuations_with_their_parent(http, cpa) -> None:
    turn_logging_on(http, cpa)
    cpa.logs.log("info", "before", when=START)
    cpa.logs.log("error", "panic", when=START + 5)
    cpa.logs.append("goroutine 1 [running]:", b"\xff\xfe not utf-8")
    body = get_logs(http, cpa, f"after={int(START)}")
    assert body["lines"][0].endswith("panic")
    assert body["lines"][1:] == ["goroutine 1 [running]:", "\ufffd\ufffd not utf-8"]
    assert (body["line-count"], body["latest-timestamp"]) == (4, int(START) + 5)


def test_limit_is_validated(http, cpa) -> None:
    turn_logging_on(http, cpa)
    base, paths = root(cpa)
    bad = send(http, cpa, "GET", f"{base}{paths['logs']}?limit=abc")
    assert json.loads(bad.data) == {"error": "invalid limit: must be a positive integer"}
    zero = send(http, cpa, "GET", f"{base}{paths['logs']}?limit=0")
    assert json.loads(zero.data) == {"error": "invalid limit: must be greater than zero"}


def test_delete_truncates_and_removes_rotated_files(http, cpa) -> None:
    turn_logging_on(http, cpa)
    cpa.logs.log("info", "one")
    cpa.logs.rotate()
    cpa.logs.log("info", "two")
    base, paths = root(cpa)
    reply = send(http, cpa, "DELETE", f"{base}{paths['logs']}")
    assert json.loads(reply.data) == {"message": "Logs cleared successfully", "removed": 1, "success": True}
    assert get_logs(http, cpa, "limit=10")["lines"] == []


def test_error_log_files_list_download_and_hide_while_request_log_is_on(http, cpa) -> None:
    base, paths = root(cpa)
    cpa.logs.add_error_log("error-v1-chat-completions-2026-08-29T104000-aaaa1111.log", "old", modified=START)
    cpa.logs.add_error_log("error-v1-messages-2026-08-29T104100-bbbb2222.log", "=== REQUEST INFO ===\n",
                           modified=START + 60)
    listed = json.loads(send(http, cpa, "GET", f"{base}{paths['errors']}").data)
    assert listed == {"files": [
        {"name": "error-v1-messages-2026-08-29T104100-bbbb2222.log", "size": 21, "modified": int(START) + 60},
        {"name": "error-v1-chat-completions-2026-08-29T104000-aaaa1111.log", "size": 3, "modified": int(START)}]}
    got = send(http, cpa, "GET", f"{base}{paths['errors']}/error-v1-messages-2026-08-29T104100-bbbb2222.log")
    assert (got.status, got.data) == (200, b"=== REQUEST INFO ===\n")
    disposition = 'attachment; filename="error-v1-messages-2026-08-29T104100-bbbb2222.log"'
    assert got.headers["Content-Disposition"] == disposition
    missing = send(http, cpa, "GET", f"{base}{paths['errors']}/main.log")
    assert (missing.status, json.loads(missing.data)) == (404, {"error": "log file not found"})
    assert send(http, cpa, "PUT", "/v0/management/request-log", {"value": True}).status == 200
    assert json.loads(send(http, cpa, "GET", f"{base}{paths['errors']}").data) == {"files": []}


def test_request_log_by_id(http, cpa) -> None:
    base, paths = root(cpa)
    cpa.logs.add_request_log("c0ffee12", "=== REQUEST INFO ===\nid c0ffee12\n")
    got = send(http, cpa, "GET", f"{base}{paths['request']}/c0ffee12")
    assert (got.status, got.data) == (200, b"=== REQUEST INFO ===\nid c0ffee12\n")
    assert got.headers["Content-Disposition"].endswith('-c0ffee12.log"')
    unknown = send(http, cpa, "GET", f"{base}{paths['request']}/deadbeef")
    assert json.loads(unknown.data) == {"error": "log file not found for the given request ID"}
    assert json.loads(send(http, cpa, "GET", f"{base}{paths['request']}/a.b").data) == {"error": "invalid request ID"}


def test_line_format_matches_cpa() -> None:
    assert format_line(START, "info", "200 | 1.2ms", "a1b2c3d4") == \
        "[2026-08-29 10:40:00] [a1b2c3d4] [info ] [gin_logger.go:92] 200 | 1.2ms"
