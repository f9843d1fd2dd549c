"""WSGI middleware in front of every route: DNS-rebinding and CSRF defence, and CORS.

A page on any website can make the browser talk to 127.0.0.1, so on loopback we only answer requests
whose Host names this machine (a rebinding attack carries the attacker's host name), and refuse
state-changing requests from foreign origins unless the origin is explicitly allowed or the request
proves it knows the Management Key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cpa_manager_desktop.web.setup_origin import SETUP_PATH, is_local_network_origin, setup_body_key

LOCAL_HOST_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type, X-Management-Key"
# Set on every request whose Origin is another site: /status then leaves out local paths before setup.
CROSS_ORIGIN_KEY = "cpa_manager.cross_origin"
EXPOSE_HEADERS = ("Content-Disposition, X-Coverage-Gaps, X-Coverage-Note, X-Aggregated-Before, X-CPA-VERSION, "
                  "X-CPA-COMMIT, X-CPA-BUILD-DATE, X-CPA-SUPPORT-PLUGIN")

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class SecurityPolicy:
    port_of: Callable[[], int]            # the bound port, known only after bind()
    check_host: bool                      # bound to loopback
    allowed_hosts: frozenset[str]
    cors_origins: tuple[str, ...]
    key_is_valid: Callable[[str | None], bool]
    is_configured: Callable[[], bool] = lambda: True

    def host_allowed(self, host_header: str) -> bool:
        """A well-formed Host naming this machine (on loopback) with our port, if it names a port."""
        if not self.check_host and not host_header:
            return True  # an HTTP/1.0 client on the LAN may send no Host at all
        parsed = parse_host(host_header)
        if parsed is None:
            return False
        if not self.check_host:
            return True
        name, port = parsed
        if port is not None and port != self.port_of():
            return False
        return name in LOCAL_HOST_NAMES or name in self.allowed_hosts

    def origin_explicitly_allowed(self, origin: str) -> bool:
        return origin in self.cors_origins

    def cors_origin_header(self, origin: str) -> str | None:
        if "*" in self.cors_origins:
            return "*"
        return origin if origin in self.cors_origins else None


# A name or an IPv4 address, or a bracketed IPv6 address, then an optional all-digit port: nothing else.
# Lenient splitting let "127.0.0.1:abc", "127.0.0.1:18317@evil" and two Host headers (which Waitress
# joins with ", ") pass as 127.0.0.1 (issue 11).
_HOST = re.compile(r"^(?P<name>\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)(?::(?P<port>[0-9]{1,5}))?$")


def parse_host(host_header: str) -> tuple[str, int | None] | None:
    """(name, port) of a well-formed Host value, lower-cased; None for anything else."""
    match = _HOST.match(host_header.strip().lower())
    if match is None:
        return None
    port = match.group("port")
    if port is not None and not 0 < int(port) < 65536:
        return None
    return match.group("name"), int(port) if port else None


def presented_key(environ: dict[str, Any]) -> str | None:
    """The Management Key as CPA accepts it: `Bearer x`, a bare Authorization value, or X-Management-Key."""
    auth = environ.get("HTTP_AUTHORIZATION", "").strip()
    if auth:
        scheme, _, token = auth.partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else auth
    key = environ.get("HTTP_X_MANAGEMENT_KEY", "").strip()
    return key or None


def _is_same_origin(origin: str, host_header: str) -> bool:
    parts = urlsplit(origin)
    return bool(parts.netloc) and parts.netloc.lower() == host_header.strip().lower()


def _json_error(start_response: StartResponse, status: str, message: str, code: str,
                extra: list[tuple[str, str]]) -> list[bytes]:
    body = json.dumps({"error": message, "code": code}).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *extra])
    return [body]


class SecurityMiddleware:
    def __init__(self, app: WsgiApp, policy: SecurityPolicy) -> None:
        self.app = app
        self.policy = policy

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST", "")
        if not self.policy.host_allowed(host):
            return _json_error(start_response, "403 Forbidden",
                               f"Host {host!r} is not allowed. Open the panel via 127.0.0.1 or localhost, "
                               "or add the name to USAGE_ALLOWED_HOSTS", "host_not_allowed", [])
        origin = environ.get("HTTP_ORIGIN", "")
        environ[CROSS_ORIGIN_KEY] = bool(origin) and not _is_same_origin(origin, host)
        cors = self._cors_headers(origin)
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if method == "OPTIONS" and origin:
            start_response("204 No Content", [*cors, ("Content-Length", "0")])
            return [b""]
        if method not in SAFE_METHODS and origin and not self._origin_may_write(origin, host, environ):
            return _json_error(start_response, "403 Forbidden",
                               f"Cross-origin request from {origin} refused. Add it to USAGE_CORS_ORIGINS "
                               "to allow this panel", "origin_not_allowed", cors)

        def start_with_cors(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            names = {name.lower() for name, _ in headers}
            merged = headers + [h for h in cors if h[0].lower() not in names]
            return start_response(status, merged, exc_info) if exc_info else start_response(status, merged)

        return self.app(environ, start_with_cors)

    def _origin_may_write(self, origin: str, host: str, environ: dict[str, Any]) -> bool:
        if _is_same_origin(origin, host) or self.policy.origin_explicitly_allowed(origin):
            return True
        if "*" not in self.policy.cors_origins:
            return False
        # A wildcard CORS list still lets a foreign page write, but only with the real key: a CSRF
        # attacker cannot know it, while CPA panel mode sends it with every request.
        if self.policy.key_is_valid(presented_key(environ)):
            return True
        if environ.get("PATH_INFO") != SETUP_PATH:
            return False
        # The upstream panel's setup sends the key in the body only (web/setup_origin.py).
        if self.policy.key_is_valid(setup_body_key(environ)):
            return True
        return not self.policy.is_configured() and is_local_network_origin(origin)

    def _cors_headers(self, origin: str) -> list[tuple[str, str]]:
        if not origin:
            return []
        allow = self.policy.cors_origin_header(origin)
        if allow is None:
            return [("Vary", "Origin")]
        headers = [
            ("Access-Control-Allow-Origin", allow),
            ("Access-Control-Allow-Methods", ALLOW_METHODS),
            ("Access-Control-Allow-Headers", ALLOW_HEADERS),
            ("Access-Control-Expose-Headers", EXPOSE_HEADERS),
            ("Access-Control-Max-Age", "600"),
        ]
        if allow != "*":
            headers.append(("Vary", "Origin"))
        return headers
