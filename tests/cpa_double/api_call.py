"""``POST /api-call`` and v8 ``/requests/api-call`` (cpa-management-api §7): CPA calls an upstream for the panel.

The double never opens a socket for it: ``double.upstream`` answers instead. The default
(``FakeUpstream``) serves model lists for the well-known provider hosts and for every base-url in
the config, answers 401 when ``$TOKEN$`` was left unsubstituted, and fails like a dead host (502
``request failed``) for anything else. Every call is kept in ``double.api_calls`` with the headers
*after* substitution, so a test can see that a key reached the upstream without the panel ever
holding it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .messages import Reply, Request, json_reply
from .provider_routes import V0_FAMILIES
from .provider_rules import shown
from .records import MODELS

if TYPE_CHECKING:
    from .server import CpaDouble

Upstream = Callable[[str, str, dict[str, str], str], tuple[int, dict[str, Any], bytes | str]]
TOKEN = "$TOKEN$"
PROXY_SCHEMES = frozenset({"http", "https", "socks5", "socks5h"})
# Host → which of records.MODELS it lists, and in which provider's list format.
KNOWN_HOSTS = {
    "api.openai.com": ("codex", "openai"),
    "api.x.ai": ("xai", "openai"),
    "openrouter.example": ("openai-compatible-x", "openai"),
    "api.anthropic.com": ("claude", "anthropic"),
    "generativelanguage.googleapis.com": ("gemini", "gemini"),
}


class UpstreamDown(Exception):
    """The transport failed (DNS, refused, timeout): CPA answers 502 request failed."""


@dataclass(frozen=True)
class ApiCall:
    auth_index: str
    method: str
    url: str
    headers: dict[str, str]
    data: str
    proxy_url: str


class FakeUpstream:
    """The default ``double.upstream``: model lists for known hosts, 502 for the rest."""

    def __init__(self, double: CpaDouble) -> None:
        self._double = double

    def __call__(self, method: str, url: str, headers: dict[str, str], data: str) -> tuple[int, dict[str, Any], str]:
        return self._double.quota_accounts.answer(method, url, headers, lambda: self._models(method, url, headers))

    def _models(self, method: str, url: str, headers: dict[str, str]) -> tuple[int, dict[str, Any], str]:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        configured = _configured_hosts(self._double)
        if host not in KNOWN_HOSTS and host not in configured:
            raise UpstreamDown(host)
        auth = " ".join(v for k, v in headers.items() if k.lower() in ("authorization", "x-api-key", "x-goog-api-key"))
        if TOKEN in auth or (not auth.strip() and "key=" not in (parts.query or "")):
            return 401, {"Content-Type": "application/json"}, json.dumps(
                {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})
        if method != "GET" or not parts.path.rstrip("/").endswith("/models"):
            return 404, {"Content-Type": "application/json"}, '{"error":"not found"}'
        source, style = KNOWN_HOSTS.get(host, ("codex", "openai"))
        return 200, {"Content-Type": "application/json"}, json.dumps(_model_list(MODELS[source], style))


def _configured_hosts(double: CpaDouble) -> set[str]:
    legacy = double.config.legacy()
    hosts = set()
    for family in V0_FAMILIES:
        for entry in legacy.get(family) or []:
            if isinstance(entry, dict) and entry.get("base-url"):
                hosts.add((urlsplit(str(entry["base-url"])).hostname or "").lower())
    return hosts


def _model_list(models: tuple[str, ...], style: str) -> dict[str, Any]:
    if style == "gemini":
        return {"models": [{"name": f"models/{m}", "displayName": m, "supportedGenerationMethods": [
            "generateContent", "countTokens"]} for m in models]}
    if style == "anthropic":
        data = [{"type": "model", "id": m, "display_name": m, "created_at": "2025-09-29T00:00:00Z"} for m in models]
        return {"data": data, "has_more": False, "first_id": models[0], "last_id": models[-1]}
    return {"object": "list", "data": [{"id": m, "object": "model", "created": 1754524800, "owned_by": "system"}
                                       for m in models]}


# --- the handler -----------------------------------------------------------------------------------


def credentials(double: CpaDouble) -> dict[str, tuple[str, str]]:
    """auth-index → (token, proxy-url) for config keys and the stored credentials."""
    found: dict[str, tuple[str, str]] = {}
    legacy = double.config.legacy()
    for family in V0_FAMILIES:
        entries = [e for e in legacy.get(family) or [] if isinstance(e, dict)]
        for entry, view in zip(entries, shown(family, entries) or [], strict=True):
            for key, key_view in zip(entry.get("api-key-entries") or [], view.get("api-key-entries") or [],
                                     strict=False):
                found[key_view["auth-index"]] = (str(key.get("api-key") or ""), str(key.get("proxy-url") or ""))
            if "auth-index" in view:
                found[view["auth-index"]] = (str(entry.get("api-key") or ""), str(entry.get("proxy-url") or ""))
    for name in double.credentials.names():
        cred = double.credentials.get(name)
        if cred is not None:
            data = cred.data()
            found[cred.auth_index] = (str(data.get("access_token") or ""), str(data.get("proxy_url") or ""))
    return found


def api_call(double: CpaDouble, req: Request) -> Reply:
    try:
        body = req.json()
    except ValueError:
        return json_reply(400, {"error": "invalid body"})
    if not isinstance(body, dict) or not all(
            isinstance(body.get(k, ""), str) for k in ("method", "url", "proxy_url", "data")):
        return json_reply(400, {"error": "invalid body"})
    header = body.get("header") or {}
    if not isinstance(header, dict) or not all(isinstance(v, str) for v in header.values()):
        return json_reply(400, {"error": "invalid body"})
    method, url, proxy = body.get("method", "").strip().upper(), body.get("url", "").strip(), body.get("proxy_url", "")
    error = _invalid(method, url, proxy)
    if error:
        return json_reply(400, {"error": error})
    index = next((body[k] for k in ("auth_index", "authIndex", "AuthIndex") if isinstance(body.get(k), str)), "")
    known = credentials(double).get(index) if index else None
    if known is not None:
        if not known[0]:
            return json_reply(400, {"error": "auth token not found"})
        header = {k: v.replace(TOKEN, known[0]) for k, v in header.items()}
    data = body.get("data", "")
    double.record_api_call(ApiCall(index, method, url, dict(header), data, proxy or (known[1] if known else "")))
    try:
        status, headers, raw = double.upstream(method, url, dict(header), data)
    except Exception:  # any transport failure of the pluggable upstream
        return json_reply(502, {"error": "request failed"})
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    canonical = {_canonical(k): (v if isinstance(v, list) else [str(v)]) for k, v in sorted(headers.items())}
    return json_reply(200, {"status_code": status, "header": canonical, "body": text})


def _invalid(method: str, url: str, proxy: str) -> str | None:
    if not method:
        return "missing method"
    if not url:
        return "missing url"
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return "invalid url"
    if proxy and proxy.strip().lower() not in ("direct", "none"):
        proxy_parts = urlsplit(proxy.strip())
        if proxy_parts.scheme.lower() not in PROXY_SCHEMES or not proxy_parts.netloc:
            return "invalid proxy_url"
    return None


def _canonical(name: str) -> str:
    """Go's textproto.CanonicalMIMEHeaderKey."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


class ApiCallLog:
    def __init__(self) -> None:
        self._calls: list[ApiCall] = []
        self._lock = threading.Lock()

    def add(self, call: ApiCall) -> None:
        with self._lock:
            self._calls.append(call)

    def all(self) -> list[ApiCall]:
        with self._lock:
            return list(self._calls)


API_CALL_ROUTES = {"/api-call": {"POST": api_call}}
V8_API_CALL_ROUTES = {"/requests/api-call": {"POST": api_call}}
