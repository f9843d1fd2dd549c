"""Routing for the public paths and the management middleware (spec §3, §5).

Management handlers themselves live in ``management``; this module decides who gets to
reach them, in CPA's order: CORS preflight, route registration, ban, remote, key.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from .ampcode import AMPCODE_ROUTES
from .management import MANAGEMENT_ROUTES, V0_PREFIX_ROUTES, V8_PREFIX_ROUTES, V8_ROUTES, Handler
from .messages import Reply, Request, empty_reply, json_reply
from .oauth import PUBLIC_ROUTES, V0_V8_OAUTH_ROUTES
from .provider_routes import META_ROUTE
from .quota_plugins import V0_QUOTA_ROUTES, serves_v0_quota

if TYPE_CHECKING:
    from .server import CpaDouble

MANAGEMENT_PREFIX = "/v0/management"
V8_PREFIX = "/v8/management"
CPA_COMMIT = "a7e3596b7"
CPA_BUILD_DATE = "2026-08-22T09:41:07Z"
MODELS = (
    ("gpt-5.4", "openai"),
    ("gpt-5.4-mini", "openai"),
    ("gpt-5-codex", "openai"),
    ("claude-sonnet-4-5-20250929", "anthropic"),
    ("claude-opus-4-1-20250805", "anthropic"),
    ("gemini-2.5-pro", "google"),
    ("gemini-2.5-flash", "google"),
    ("grok-4", "xai"),
)
MANAGEMENT_HTML = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CLI Proxy API Management Center</title></head>
<body><div id="root" data-double="cpa">CLI Proxy API Management Center</div></body></html>
"""


def route(double: CpaDouble, req: Request) -> Reply:
    if req.method == "OPTIONS":
        return empty_reply(204)  # global CORS middleware answers preflights before any auth
    if _under(req.path, MANAGEMENT_PREFIX):
        return management(double, req)
    if _under(req.path, V8_PREFIX):
        if not double.is_v8:
            # v7's NoRoute handler serves /v0 paths only: 404, empty body, no key check, no X-CPA-* (cpa-v8 §8).
            return empty_reply(404)
        return management(double, req)
    return _public(double, req)


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def _public(double: CpaDouble, req: Request) -> Reply:
    read = req.method in ("GET", "HEAD")
    if req.path == "/healthz" and read:
        return json_reply(200, {"status": "ok"})
    if req.path == "/v1/models" and req.method == "GET":
        return _models(double, req)
    if req.path == "/management.html" and req.method == "GET":
        return Reply(200, double.management_html or MANAGEMENT_HTML, "text/html; charset=utf-8")
    if req.path == "/" and req.method == "GET":
        return json_reply(
            200,
            {
                "message": "CLI Proxy API Server",
                "endpoints": ["POST /v1/chat/completions", "POST /v1/completions", "GET /v1/models"],
            },
        )
    return Reply(404, b"404 page not found", "text/plain")


def _models(double: CpaDouble, req: Request) -> Reply:
    allowed = double.api_keys
    if allowed:
        offered = _client_keys(req)
        if not offered:
            return json_reply(401, {"error": "Missing API key"})
        if not any(key in allowed for key in offered):
            return json_reply(401, {"error": "Invalid API key"})
    data = [{"id": mid, "object": "model", "created": 1754524800, "owned_by": owner} for mid, owner in MODELS]
    return json_reply(200, {"object": "list", "data": data})


def _client_keys(req: Request) -> list[str]:
    keys = []
    auth = req.headers.get("authorization", "")
    scheme, _, rest = auth.partition(" ")
    if scheme.lower() == "bearer" and rest.strip():
        keys.append(rest.strip())
    for header in ("x-goog-api-key", "x-api-key"):
        if req.headers.get(header):
            keys.append(req.headers[header].strip())
    for param in ("key", "auth_token"):
        if req.arg(param):
            keys.append(req.arg(param) or "")
    return keys


def cpa_headers(version: str) -> list[tuple[str, str]]:
    return [
        ("X-CPA-VERSION", version),
        ("X-CPA-COMMIT", CPA_COMMIT),
        ("X-CPA-BUILD-DATE", CPA_BUILD_DATE),
        ("X-CPA-SUPPORT-PLUGIN", "true"),
    ]


def management(double: CpaDouble, req: Request) -> Reply:
    if not double.management_enabled:
        return empty_reply(404)  # routes are not even registered without a secret
    public = PUBLIC_ROUTES.get(req.path, {}).get(req.method)
    if public is not None:
        return public(double, req)  # oauth-callback: no key, no X-CPA-* headers (cpa-management-api §6.3)
    reply = _authorize(double, req)
    if reply is None:
        reply = _dispatch(double, req)
    reply.headers.extend(cpa_headers(double.version))
    return reply


def _authorize(double: CpaDouble, req: Request) -> Reply | None:
    ip = client_ip(req)
    local = ip in ("127.0.0.1", "::1")
    result = double.guard.authenticate(ip, local, double.allow_remote, double.management_key, management_key_from(req))
    if result.ok:
        return None
    return json_reply(result.status, {"error": result.message})


def _dispatch(double: CpaDouble, req: Request) -> Reply:
    handler = find_handler(double, req)
    if handler is None:
        return empty_reply(404)  # NoRoute, reached only after the key check (removed /usage etc.)
    return handler(double, req)


def find_handler(double: CpaDouble, req: Request) -> Handler | None:
    if _under(req.path, V8_PREFIX):
        sub = req.path[len(V8_PREFIX) :]
        tables, prefixed = [V8_ROUTES], V8_PREFIX_ROUTES
    else:
        sub = req.path[len(MANAGEMENT_PREFIX) :]
        tables, prefixed = [MANAGEMENT_ROUTES], V0_PREFIX_ROUTES
        if double.is_v8:
            tables.extend((META_ROUTE, V0_V8_OAUTH_ROUTES))
        if double.serves_ampcode:
            tables.append(AMPCODE_ROUTES)
        if serves_v0_quota(double):
            tables.append(V0_QUOTA_ROUTES)
    for table in tables:
        handler = table.get(sub, {}).get(req.method)
        if handler is not None:
            return handler
    for prefix, methods in prefixed:
        if sub.startswith(prefix) and len(sub) > len(prefix):
            return methods.get(req.method)
    return None


def management_key_from(req: Request) -> str:
    auth = req.headers.get("authorization", "").strip()
    if auth:
        scheme, _, rest = auth.partition(" ")
        # A header without the Bearer prefix is taken whole as the key.
        key = rest.strip() if scheme.lower() == "bearer" else auth
        if key:
            return key
    return req.headers.get("x-management-key", "").strip()


def client_ip(req: Request) -> str:
    """Gin's ``ClientIP`` with every proxy trusted: left-most XFF, then X-Real-IP, then the peer."""
    forwarded = req.headers.get("x-forwarded-for", "")
    if forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        # Gin walks the chain from the right and gives up on the header at the first non-IP.
        if all(_is_ip(hop) for hop in hops):
            return hops[0]
    real = req.headers.get("x-real-ip", "").strip()
    if real and _is_ip(real):
        return real
    return req.peer


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
