"""Reverse proxy to CPA: `/v0/management/*` and `/v8/management/*` with the stored Management Key, and the
public `/v1/models`.

The panel talks to one origin only, so every CPA management call it makes passes through here.
Bodies are streamed both ways (auth-file uploads and downloads can be large) and the browser's own
credentials, cookies and client-address headers never reach CPA: CPA bans an IP after five bad keys
and trusts X-Forwarded-For / X-Real-IP for both that ban and its "is this local?" decision.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO
from urllib.parse import quote

import bottle
import urllib3

from cpa_manager_desktop.cpa.upstream import Upstream
from cpa_manager_desktop.errors import AppError, BadRequest, Forbidden, PayloadTooLarge, UpstreamError

log = logging.getLogger(__name__)

MANAGEMENT_PREFIX = "/v0/management"
# CPA v8's tree: the same middleware and key, so the same protections (a v7 CPA answers it 404).
V8_PREFIX = "/v8/management"
# The usage queue under each prefix: CPA Manager must stay its only consumer.
QUEUE_PATHS = {MANAGEMENT_PREFIX: "/usage-queue", V8_PREFIX: "/observability/usage/queue"}
MANAGEMENT_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]  # Bottle answers HEAD from the GET route
CHUNK = 64 * 1024
MAX_BODY_BYTES = 64 * 1024 * 1024
# Management calls such as OAuth polling or quota look-ups may legitimately take minutes.
READ_TIMEOUT_S = 300.0
TIMEOUT = urllib3.Timeout(connect=5.0, read=READ_TIMEOUT_S)
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
                        "trailers", "transfer-encoding", "upgrade"})
# Meant for us, not CPA; or headers CPA would read as the client's address (Waitress already strips the
# X-Forwarded-* family by default, but not X-Real-IP, and a server setting must not decide this).
# Expect is dropped because Waitress has already read the whole body.
CALLER_ONLY = frozenset({"authorization", "x-management-key", "cookie", "host", "origin", "referer",
                         "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
                         "x-forwarded-by", "x-real-ip", "forwarded", "expect"})
# /v1/models authenticates with the caller's client API key and picks its reply shape from these.
MODELS_HEADERS = ("authorization", "x-api-key", "x-goog-api-key", "anthropic-version", "user-agent", "accept")
# RFC 3986 sub-delims and ":@" stay literal in a path; "?" and "#" must be escaped again.
PATH_SAFE = "/:@!$&'()*+,;=~"

UpstreamOf = Callable[[], Upstream | None]


class NotConfigured(AppError):
    status = 428
    code = "not_configured"


class QueueReserved(Forbidden):
    code = "queue_reserved"


class MethodNotAllowed(AppError):
    status = 405
    code = "method_not_allowed"


# First path segments answered by CPA Manager itself: another method on them is ours to refuse, not
# CPA's (which removed /usage in v6.10 and would only answer a confusing 404).
OWN_SEGMENTS = frozenset({"usage", "model-prices", "analytics"})


def register(app: bottle.Bottle, upstream_of: UpstreamOf, pool: urllib3.PoolManager) -> None:
    """Add the catch-all management proxy (key required) and the public models routes."""

    def management(path: str, prefix: str = MANAGEMENT_PREFIX) -> bottle.HTTPResponse:
        sub_path = clean_sub_path(path)
        if sub_path.rstrip("/").lower() == QUEUE_PATHS[prefix]:
            raise QueueReserved(
                "CPA's usage queue is reserved for CPA Manager: it is the only consumer, and any other reader "
                "would take records away from the usage statistics", code="queue_reserved")
        if prefix == MANAGEMENT_PREFIX and sub_path.strip("/").split("/")[0].lower() in OWN_SEGMENTS:
            raise MethodNotAllowed(f"{bottle.request.method} is not supported on {MANAGEMENT_PREFIX}{sub_path}")
        upstream = _require_setup(upstream_of)
        environ = bottle.request.environ
        length = _content_length(environ)
        headers = management_headers(environ, upstream.management_key)
        body = _body_chunks(environ["wsgi.input"], length) if length else None
        return forward(pool, upstream, bottle.request.method, prefix + sub_path, headers, body)

    def management_v8(path: str) -> bottle.HTTPResponse:
        return management(path, V8_PREFIX)

    def models() -> bottle.HTTPResponse:
        upstream = _require_setup(upstream_of)
        headers = models_headers(bottle.request.environ)
        return forward(pool, upstream, "GET", "/v1/models", headers, None)

    app.route(f"{MANAGEMENT_PREFIX}/<path:path>", MANAGEMENT_METHODS, management)
    app.route(f"{V8_PREFIX}/<path:path>", MANAGEMENT_METHODS, management_v8)
    app.route("/v1/models", "GET", models, public=True)
    app.route("/models", "GET", models, public=True)


def _require_setup(upstream_of: UpstreamOf) -> Upstream:
    upstream = upstream_of()
    if upstream is None:
        raise NotConfigured("CPA Manager is not set up yet: enter the CPA URL and Management Key first")
    return upstream


def clean_sub_path(path: str) -> str:
    """`a//b/../c/` → `/a/c/`. Checks and forwarding then see the same path, and `..` cannot climb out of
    /v0/management or /v8/management (urllib3 would otherwise resolve it to some other CPA route)."""
    segments: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if segments:
                segments.pop()
        elif part not in ("", "."):
            segments.append(part)
    cleaned = "/" + "/".join(segments)
    # Gin treats a trailing slash as a different route (it redirects), so keep it.
    return cleaned + "/" if path.endswith("/") and segments else cleaned


def _content_length(environ: dict[str, Any]) -> int:
    raw = environ.get("CONTENT_LENGTH") or "0"
    try:
        length = int(raw)
    except ValueError:
        raise BadRequest(f"Invalid Content-Length header: {raw[:40]!r}", code="invalid_content_length") from None
    if length > MAX_BODY_BYTES:
        raise PayloadTooLarge(
            f"The request body is {length / 1024 / 1024:.1f} MiB; CPA Manager forwards at most "
            f"{MAX_BODY_BYTES // 1024 // 1024} MiB to CPA", code="payload_too_large")
    return max(length, 0)


def _body_chunks(stream: BinaryIO, length: int) -> Iterator[bytes]:
    """The request body in pieces, so an upload never sits in memory whole."""
    remaining = length
    while remaining > 0:
        data = stream.read(min(CHUNK, remaining))
        if not data:
            return  # cannot happen with Waitress, which reads the whole body before calling us
        remaining -= len(data)
        yield data


def _request_headers(environ: dict[str, Any]) -> dict[str, str]:
    """The caller's headers from the WSGI environ, with lower-case names."""
    headers: dict[str, str] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:]
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            name = key
        else:
            continue
        headers[name.replace("_", "-").lower()] = value
    return headers


def _connection_tokens(value: str) -> frozenset[str]:
    return frozenset(token.strip().lower() for token in value.split(",") if token.strip())


def management_headers(environ: dict[str, Any], management_key: str) -> dict[str, str]:
    caller = _request_headers(environ)
    dropped = HOP_BY_HOP | CALLER_ONLY | _connection_tokens(caller.get("connection", ""))
    headers = {name: value for name, value in caller.items() if name not in dropped}
    headers["authorization"] = f"Bearer {management_key}"
    return headers


def models_headers(environ: dict[str, Any]) -> dict[str, str]:
    caller = _request_headers(environ)
    return {name: caller[name] for name in MODELS_HEADERS if name in caller}


def forward(pool: urllib3.PoolManager, upstream: Upstream, method: str, path: str, headers: dict[str, str],
            body: Iterator[bytes] | None) -> bottle.HTTPResponse:
    query = bottle.request.query_string
    url = upstream.base_url + quote(path, safe=PATH_SAFE) + (f"?{query}" if query else "")
    try:
        response = pool.urlopen(method, url, body=body, headers=headers, preload_content=False,
                                decode_content=False, redirect=False, retries=False, timeout=TIMEOUT)
    except urllib3.exceptions.HTTPError as exc:
        reason = describe_failure(exc)
        # The path only: a query string may carry a client API key (?key=...).
        log.warning("proxy to CPA failed method=%s path=%s reason=%s", method, path, reason)
        raise UpstreamError(f"Cannot reach CPA at {upstream.base_url}: {reason}", code="cpa_unreachable") from None
    log.debug("proxied method=%s path=%s status=%d", method, path, response.status)
    return relay(response)


def relay(response: urllib3.BaseHTTPResponse) -> bottle.HTTPResponse:
    """CPA's reply as ours: status, end-to-end headers and a streamed body."""
    relayed = bottle.HTTPResponse(body=_stream(response), status=response.status)
    # Waitress refuses hop-by-hop headers from an app; CORS is decided by our middleware, not by CPA's `*`.
    dropped = HOP_BY_HOP | _connection_tokens(response.headers.get("connection", ""))
    for name, value in response.headers.items():
        lower = name.lower()
        if lower not in dropped and not lower.startswith("access-control-"):
            relayed.add_header(name, value)
    return relayed


def _stream(response: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
    finished = False
    try:
        yield from response.stream(CHUNK, decode_content=False)
        finished = True
    except urllib3.exceptions.HTTPError as exc:
        # Headers are already sent; Waitress closes the connection on the short body, which is all
        # the caller can be told now.
        log.warning("CPA reply broke off mid-body: %s", describe_failure(exc))
    finally:
        if not finished:
            # Unread bytes would poison the pooled connection for the next request.
            response.close()
        response.release_conn()


def describe_failure(exc: Exception) -> str:
    """A urllib3 error as a short phrase for a sentence shown to the user."""
    text = str(getattr(exc, "reason", None) or exc)
    lowered = text.lower()
    if isinstance(exc, urllib3.exceptions.NameResolutionError) or "name or service not known" in lowered:
        return "host name not found"
    if "connection refused" in lowered:
        return "connection refused"
    if isinstance(exc, urllib3.exceptions.ConnectTimeoutError):
        return "connection timed out"
    if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
        return f"CPA did not answer within {READ_TIMEOUT_S:.0f} s"
    if isinstance(exc, urllib3.exceptions.SSLError):
        return "TLS handshake failed (certificate not trusted?)"
    if isinstance(exc, urllib3.exceptions.ProtocolError):
        return "the connection was closed before CPA answered"
    return text.split(": ", 1)[-1][:200]
