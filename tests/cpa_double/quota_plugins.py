"""CPA's own quota routes (cpa-v8 §3, §5.1, §6.3): ``GET /credentials/quota/providers``,
``POST /credentials/quota/fetch`` and ``/reset`` on v8; ``/quota/providers|fetch|reset`` under /v0 on a CPA
after v7.2.140 (v0 additions seen in v8 code). A v7.2.140 double serves none of them.

Without plugins the providers list is empty, as on a real v8 (v8.0.4 has no built-in quota provider).
A test registers one with ``double.quota_plugins.register(plugin_id, provider, ...)`` and, optionally, a
``fetch(auth_index, provider) -> body`` that answers for it (raising ``PluginFailed`` gives 502); the
default answers the normalised shape plugins agree on (groups of buckets with remainingFraction).

Errors as the spec lists them: 400 ``auth_index is required``, 404 ``auth not found``, 501 when no provider
handles it, 502 when the provider failed. Every fetch is kept in ``double.quota_plugins.fetches``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .messages import Reply, Request, json_reply

if TYPE_CHECKING:
    from .server import CpaDouble

Fetch = Callable[[str, str], Any]
FIRST_V0_QUOTA_VERSION = (7, 2, 141)


class PluginFailed(Exception):
    """The plugin's upstream failed: CPA answers 502."""


@dataclass(frozen=True)
class QuotaPlugin:
    plugin_id: str
    provider: str
    supported_providers: tuple[str, ...] = ()
    supports_reset: bool = False
    fetch: Fetch | None = None

    def handles(self, provider: str) -> bool:
        return provider in (self.provider, *self.supported_providers)

    def listing(self) -> dict[str, Any]:
        return {"provider": self.provider, "plugin_id": self.plugin_id,
                "supported_providers": list(self.supported_providers), "supports_reset": self.supports_reset}


@dataclass(frozen=True)
class FetchCall:
    auth_index: str
    provider: str
    plugin_id: str


def normalised_body(remaining_fraction: float = 0.77, reset_time: str = "2026-12-06T05:00:00Z",
                    plan: str = "pro") -> dict[str, Any]:
    """The fetch answer plugins agree on (cpa-v8 §6.3, inferred)."""
    return {"subscription": {"plan": plan, "tierName": plan.title(), "tierId": f"tier-{plan}"},
            "summary": [{"key": "requests", "label": "Requests", "value": 12, "unit": "count", "format": "number"}],
            "groups": [{"displayName": "Usage", "buckets": [
                {"window": "5h", "remainingFraction": remaining_fraction, "resetTime": reset_time,
                 "description": "5-hour window"}]}]}


class QuotaPlugins:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plugins: list[QuotaPlugin] = []
        self._fetches: list[FetchCall] = []

    def register(self, plugin_id: str, provider: str, *, supported_providers: tuple[str, ...] = (),
                 supports_reset: bool = False, fetch: Fetch | None = None) -> None:
        with self._lock:
            self._plugins.append(QuotaPlugin(plugin_id, provider, supported_providers, supports_reset, fetch))

    def plugins(self) -> list[QuotaPlugin]:
        with self._lock:
            return list(self._plugins)

    @property
    def fetches(self) -> list[FetchCall]:
        with self._lock:
            return list(self._fetches)

    def find(self, provider: str, plugin_id: str) -> QuotaPlugin | None:
        for plugin in self.plugins():
            if (not plugin_id or plugin.plugin_id == plugin_id) and plugin.handles(provider):
                return plugin
        return None

    def record(self, call: FetchCall) -> None:
        with self._lock:
            self._fetches.append(call)


def serves_v0_quota(double: CpaDouble) -> bool:
    info = double.version_info
    return info is not None and info >= FIRST_V0_QUOTA_VERSION


def providers(double: CpaDouble, req: Request) -> Reply:
    return json_reply(200, {"providers": [p.listing() for p in double.quota_plugins.plugins()]})


def _target(double: CpaDouble, req: Request) -> tuple[str, str, str] | Reply:
    """(auth_index, provider, plugin_id) of a fetch or reset body, or the error reply."""
    try:
        body = req.json() if req.body.head else {}
    except ValueError:
        return json_reply(400, {"error": "invalid body"})
    if not isinstance(body, dict):
        return json_reply(400, {"error": "invalid body"})
    index = next((body[k] for k in ("auth_index", "authIndex", "AuthIndex") if isinstance(body.get(k), str)), "")
    if not index.strip():
        return json_reply(400, {"error": "auth_index is required"})
    credential = double.credentials.by_auth_index(index.strip())
    if credential is None:
        return json_reply(404, {"error": "auth not found"})
    provider = body.get("provider") if isinstance(body.get("provider"), str) and body["provider"] else credential.type
    plugin_id = body.get("plugin_id") if isinstance(body.get("plugin_id"), str) else ""
    return index.strip(), provider, plugin_id


def fetch(double: CpaDouble, req: Request) -> Reply:
    target = _target(double, req)
    if isinstance(target, Reply):
        return target
    index, provider, plugin_id = target
    plugins = double.quota_plugins
    plugins.record(FetchCall(index, provider, plugin_id))
    plugin = plugins.find(provider, plugin_id)
    if plugin is None:
        return json_reply(501, {"error": f"no quota provider for {provider}"})
    try:
        body = plugin.fetch(index, provider) if plugin.fetch is not None else normalised_body()
    except PluginFailed as exc:
        return json_reply(502, {"error": "quota fetch failed", "message": str(exc)})
    return json_reply(200, body)


def reset(double: CpaDouble, req: Request) -> Reply:
    target = _target(double, req)
    if isinstance(target, Reply):
        return target
    _, provider, plugin_id = target
    plugin = double.quota_plugins.find(provider, plugin_id)
    if plugin is None or not plugin.supports_reset:
        return json_reply(501, {"error": f"no quota reset for {provider}"})
    return json_reply(200, {"success": True})


V8_QUOTA_ROUTES = {
    "/credentials/quota/providers": {"GET": providers},
    "/credentials/quota/fetch": {"POST": fetch},
    "/credentials/quota/reset": {"POST": reset},
}
V0_QUOTA_ROUTES = {
    "/quota/providers": {"GET": providers},
    "/quota/fetch": {"POST": fetch},
    "/quota/reset": {"POST": reset},
}
