"""HTTP/1.1 front end: keep-alive connection handling, body draining and reply writing.

Routing lives in ``routes``; this module only turns bytes into a ``Request`` and a
``Reply`` back into bytes, so the protocol details stay in one place.
"""

from __future__ import annotations

import contextlib
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from .bodies import BodyError, consume_body, iter_body
from .messages import InjectedFailure, RecordedRequest, Reply, Request, json_reply
from .routes import cpa_headers, route

if TYPE_CHECKING:
    from .server import CpaDouble

CORS_HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS"),
    ("Access-Control-Allow-Headers", "*"),
    ("Access-Control-Expose-Headers", "X-CPA-VERSION, X-CPA-COMMIT, X-CPA-BUILD-DATE, X-CPA-SUPPORT-PLUGIN"),
)


class CpaHttpHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: CpaDouble  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:
        # Tests run many requests; stderr chatter would only hide real failures.
        return

    def send_response(self, code: int, message: str | None = None) -> None:
        # Gin sends no Server header, and a client must not be able to tell the double apart by it.
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def handle(self) -> None:
        with contextlib.suppress(OSError):
            super().handle()

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        headers = self._merged_headers()
        try:
            body = consume_body(iter_body(self.rfile, self.headers), self.headers.get("Content-Type", ""))
        except BodyError:
            self.close_connection = True
            self._write(json_reply(400, {"error": "failed to read request body"}), head_only=False)
            return
        self.server.record_request(
            RecordedRequest(self.command, url.path, url.query, headers, body.size, body.sha256, body.head)
        )
        failure = self.server.take_failure(self.command, url.path)
        if failure is not None:
            if failure.drop:
                self.close_connection = True  # the socket closes with no reply: a network failure mid-request
            else:
                self._write(injected_reply(self.server, url.path, failure), head_only=self.command == "HEAD")
            return
        request = Request(
            self.command, url.path, parse_qs(url.query, keep_blank_values=True), headers, self.client_address[0], body
        )
        self._write(route(self.server, request), head_only=self.command == "HEAD")

    def _merged_headers(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for raw_name, value in self.headers.items():
            name = raw_name.lower()
            merged[name] = f"{merged[name]}, {value}" if name in merged else value
        return merged

    def _write(self, reply: Reply, *, head_only: bool) -> None:
        self.send_response(reply.status)
        for name, value in CORS_HEADERS:
            self.send_header(name, value)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        length = reply.length if reply.stream is not None else len(reply.body)
        self.send_header("Content-Length", str(length))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if head_only:
            return
        if reply.stream is None:
            self.wfile.write(reply.body)
            return
        for chunk in reply.stream:
            self.wfile.write(chunk)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _dispatch


def injected_reply(double: CpaDouble, path: str, failure: InjectedFailure) -> Reply:
    body = failure.body
    if isinstance(body, bytes | str):
        reply = Reply(failure.status, body.encode() if isinstance(body, str) else body)
    else:
        reply = json_reply(failure.status, {"error": "injected"} if body is None else body)
    if path.startswith(("/v0/management", "/v8/management")):
        reply.headers.extend(cpa_headers(double.version))
    return reply
