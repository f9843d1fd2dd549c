"""OAuth login (cpa-management-api §6, cpa-v8 §5.1/§6.1): auth URLs, status, session cancel, callback.

No provider is ever reached. A flow stays ``wait`` until a test calls ``complete`` or ``fail``, the user
cancels it, or a callback arrives: a callback with a code finishes the flow at once (saving a credential),
one with an error fails it with the provider's sentence.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from .messages import Reply, Request, json_reply

if TYPE_CHECKING:
    from .server import CpaDouble

Handler = Callable[["CpaDouble", Request], Reply]
OK_KEEP_S = 60
SESSION_S = 30 * 60
_STATE_RE = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
# provider → (authorize URL, redirect URI) for browser flows
BROWSER = {
    "claude": ("https://claude.ai/oauth/authorize", "http://localhost:54545/callback"),
    "codex": ("https://auth.openai.com/oauth/authorize", "http://localhost:1455/auth/callback"),
    "antigravity": ("https://accounts.google.com/o/oauth2/v2/auth", "http://localhost:51121/oauth-callback"),
    "devin": ("https://app.devin.ai/oauth/authorize", "http://localhost:51122/callback"),
}
DEVICE = {"xai": ("https://accounts.x.ai/device", "xai", 1800), "kimi": ("https://auth.kimi.com/device", "kmi", None),
          "kimi-ai": ("https://auth.kimi.ai/device", "kmi", None), "meta": ("https://meta.ai/device", "meta", 900)}
ALIASES = {"anthropic": "claude", "openai": "codex", "grok": "xai", "x-ai": "xai"}
V7_PROVIDERS = ("claude", "codex", "antigravity", "xai", "kimi")
V8_EXTRA = ("kimi-ai", "devin", "meta")
V0_NAMES = {"claude": "anthropic"}


@dataclass
class Flow:
    state: str
    provider: str
    started: float
    status: str = "wait"
    error: str = ""
    finished: float = 0.0
    file: str = ""


class OAuthFlows:
    def __init__(self, double: CpaDouble) -> None:
        self._double = double
        self._lock = threading.Lock()
        self._flows: dict[str, Flow] = {}
        self.cancelled: list[str] = []
        # OAuth plugin providers the v8 unified route also accepts (browser flows), e.g. {"acme"}.
        self.plugin_providers: set[str] = set()

    def start(self, provider: str) -> Flow:
        now = self._double.clock.now()
        prefix = DEVICE[provider][1] if provider in DEVICE else ""
        state = f"{prefix}-{int(now * 1e9) + len(self._flows)}" if prefix else secrets.token_hex(16)
        flow = Flow(state, provider, now)
        with self._lock:
            self._flows[state] = flow
        return flow

    def find(self, state: str) -> Flow | None:
        now = self._double.clock.now()
        with self._lock:
            flow = self._flows.get(state)
        if flow is None or now - flow.started > SESSION_S:
            return None
        if flow.status == "ok" and now - flow.finished > OK_KEEP_S:
            return None
        return flow

    def pending(self) -> list[Flow]:
        with self._lock:
            return [f for f in self._flows.values() if f.status == "wait"]

    def _latest(self, state: str | None) -> Flow:
        flows = self.pending() if state is None else [f for f in self.pending() if f.state == state]
        if not flows:
            raise LookupError(f"no pending OAuth flow{'' if state is None else ' ' + state}")
        return flows[-1]

    def complete(self, state: str | None = None, email: str = "new.user@example.com") -> str:
        """Finish a pending flow as a successful login; returns the saved credential's file name."""
        flow = self._latest(state)
        name = _file_name(flow.provider, email, self._double.clock.now())
        self._double.credentials.add(name, {"type": flow.provider, "email": email, "access_token": "oauth-access",
                                            "refresh_token": "oauth-refresh"})
        flow.status, flow.finished, flow.file = "ok", self._double.clock.now(), name
        return name

    def fail(self, state: str | None = None, message: str = "Timeout waiting for OAuth callback") -> None:
        flow = self._latest(state)
        flow.status, flow.error, flow.finished = "error", message, self._double.clock.now()

    def cancel(self, state: str) -> bool:
        flow = self.find(state)
        if flow is None or flow.status != "wait":
            return False
        with self._lock:
            del self._flows[state]
        self.cancelled.append(state)
        return True


def _file_name(provider: str, email: str, now: float) -> str:
    if provider == "codex":
        return f"codex-{secrets.token_hex(4)}-{email}-plus.json"
    if provider in ("kimi", "kimi-ai"):
        return f"{provider}-{int(now * 1000)}.json"
    return f"{provider}-{email}.json"


def providers_for(double: CpaDouble) -> tuple[str, ...]:
    return V7_PROVIDERS + V8_EXTRA + tuple(sorted(double.oauth.plugin_providers)) if double.is_v8 else V7_PROVIDERS


def _auth_url(double: CpaDouble, provider: str) -> Reply:
    flow = double.oauth.start(provider)
    if provider in DEVICE:
        base, _, expires = DEVICE[provider]
        code = f"{flow.state[-4:].upper()}-{len(flow.state):04d}"
        body: dict[str, Any] = {"flow": "device", "state": flow.state, "status": "ok",
                                "url": f"{base}?user_code={code}", "user_code": code}
        if expires is not None:
            body["expires_in"] = expires
        return json_reply(200, dict(sorted(body.items())))
    base, redirect = BROWSER.get(provider, (f"https://{provider}.example/oauth/authorize",
                                            f"http://localhost:8317/{provider}/callback"))
    url = f"{base}?client_id=double&redirect_uri={redirect}&response_type=code&state={flow.state}"
    return json_reply(200, {"state": flow.state, "status": "ok", "url": url})


def v0_auth_url(provider: str) -> Handler:
    def handler(double: CpaDouble, req: Request) -> Reply:
        return _auth_url(double, provider)
    return handler


def v8_auth_url(double: CpaDouble, req: Request) -> Reply:
    provider = (req.arg("provider") or "").strip().lower()
    provider = ALIASES.get(provider, provider)
    if provider not in providers_for(double):
        return json_reply(404, {"error": "provider_not_found"})
    return _auth_url(double, provider)


def auth_status(double: CpaDouble, req: Request) -> Reply:
    state = req.arg("state")
    if not state:
        return json_reply(200, {"status": "ok"})
    if not _STATE_RE.match(state) or ".." in state:
        return json_reply(400, {"error": "invalid state", "status": "error"})
    flow = double.oauth.find(state)
    if flow is None:
        return json_reply(200, {"error": "unknown or expired state", "status": "error"})
    if flow.status == "error":
        return json_reply(200, {"error": flow.error, "status": "error"})
    return json_reply(200, {"status": flow.status})


def cancel_session(double: CpaDouble, req: Request) -> Reply:
    state = req.arg("state")
    if not state:
        return json_reply(400, {"error": "missing state"})
    if not _STATE_RE.match(state) or ".." in state:
        return json_reply(400, {"error": "invalid state"})
    return json_reply(200, {"cancelled": double.oauth.cancel(state), "status": "ok"})


def _callback_fields(req: Request) -> dict[str, str] | Reply:
    if req.method == "GET":
        return {k: v[0] for k, v in req.query.items() if v}
    try:
        body = json.loads(req.body.head or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return _cb_error(400, "invalid body")
    fields = {k: str(v) for k, v in body.items() if isinstance(v, str)}
    redirect = fields.get("redirect_url", "")
    if redirect:
        parts = urlsplit(redirect)
        if not parts.scheme or not parts.netloc:
            return _cb_error(400, "invalid redirect_url")
        for key, values in parse_qs(parts.query).items():
            fields.setdefault(key, values[0])
    return fields


def _cb_error(status: int, message: str) -> Reply:
    return json_reply(status, {"error": message, "status": "error"})


def callback(double: CpaDouble, req: Request) -> Reply:
    """No management key (§6.3); v8 takes the provider from the state when it is omitted."""
    fields = _callback_fields(req)
    if isinstance(fields, Reply):
        return fields
    state = fields.get("state", "")
    if not state:
        return _cb_error(400, "state is required")
    if not _STATE_RE.match(state) or ".." in state:
        return _cb_error(400, "invalid state")
    error = fields.get("error") or fields.get("error_description") or ""
    if not fields.get("code") and not error:
        return _cb_error(400, "code or error is required")
    flow = double.oauth.find(state)
    provider = fields.get("provider", "").strip().lower()
    provider = ALIASES.get(provider, provider)
    if provider and provider not in providers_for(double):
        return _cb_error(400, "unsupported provider")
    if flow is None:
        return _cb_error(404, "unknown or expired state")
    if provider and provider != flow.provider:
        return _cb_error(400, "provider does not match state")
    if flow.status == "ok":
        return _cb_error(409, "oauth flow is already completed")
    if flow.status == "error":
        return _cb_error(409, flow.error)
    if error:
        double.oauth.fail(state, "Bad Request" if flow.provider == "codex" else "Bad request")
    else:
        double.oauth.complete(state)
    return json_reply(200, {"status": "ok"})


OAUTH_ROUTES: dict[str, dict[str, Handler]] = {
    **{f"/{V0_NAMES.get(p, p)}-auth-url": {"GET": v0_auth_url(p)} for p in V7_PROVIDERS},
    "/get-auth-status": {"GET": auth_status},
    "/oauth-session": {"DELETE": cancel_session},
}
# Added to the v0 tree after v7.2.140 (cpa-v8 §3); find_handler adds them on a v8 double.
V0_V8_OAUTH_ROUTES: dict[str, dict[str, Handler]] = {f"/{p}-auth-url": {"GET": v0_auth_url(p)} for p in V8_EXTRA}
V8_OAUTH_ROUTES: dict[str, dict[str, Handler]] = {
    "/oauth/auth-url": {"GET": v8_auth_url},
    "/oauth/status": {"GET": auth_status},
    "/oauth/session": {"DELETE": cancel_session},
}
# Reached without the management key and answered without X-CPA-* headers.
PUBLIC_ROUTES: dict[str, dict[str, Handler]] = {
    "/v0/management/oauth-callback": {"GET": callback, "POST": callback},
    "/v8/management/oauth/callback": {"GET": callback, "POST": callback},
}
