"""CPA's own quota routes (cpa-v8 §3, §5.1, §6.3): which CPA has them, and which credential they serve.

A CPA with a quota plugin lists it at `GET …/credentials/quota/providers` (v8) or `GET /quota/providers`
(v0, added after v7.2.140) and answers `POST …/quota/fetch {auth_index, provider?, plugin_id?}` for the
credentials of the providers it names. Without plugins the list is empty (v8.0.4 has no built-in
provider), and the quota is read through api-call as before. The version decides which route exists,
so a v7.2 CPA is never asked for a path it does not serve.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cpa_manager_desktop.cpa.version import parse_cpa_version
from cpa_manager_desktop.quota.providers import ALIASES

LAST_WITHOUT_V0_ROUTES = (7, 2, 140)
# CPA answers these for "no such route" or "no quota provider for it": use api-call instead.
NOT_AVAILABLE = frozenset({404, 501})
PROVIDER_FAILED = 502


@dataclass(frozen=True)
class QuotaRoutes:
    prefix: str           # /v8/management or /v0/management
    providers_path: str
    fetch_path: str


V8_ROUTES = QuotaRoutes("/v8/management", "/credentials/quota/providers", "/credentials/quota/fetch")
V0_ROUTES = QuotaRoutes("/v0/management", "/quota/providers", "/quota/fetch")


def routes_for(version: str | None) -> QuotaRoutes | None:
    """v8 → the v8 routes; a v7 after 7.2.140 → the v0 ones; older, `dev` or unknown → none."""
    parsed = parse_cpa_version(version)
    if parsed is None:
        return None
    if parsed[0] >= 8:
        return V8_ROUTES
    return V0_ROUTES if parsed > LAST_WITHOUT_V0_ROUTES else None


@dataclass(frozen=True)
class NativeRoute:
    """What goes in a fetch body beside auth_index."""

    provider: str
    plugin_id: str


@dataclass(frozen=True)
class NativeQuota:
    """One pass's answer to "which credentials does CPA read quota for itself?"."""

    routes: QuotaRoutes | None = None
    by_provider: Mapping[str, NativeRoute] = field(default_factory=dict)

    def route_for(self, provider: str) -> NativeRoute | None:
        return self.by_provider.get(_normal(provider)) if self.routes is not None else None


NO_NATIVE_QUOTA = NativeQuota()


def native_quota_from(routes: QuotaRoutes, listing: Any) -> NativeQuota:
    """`{"providers": [{provider, plugin_id, supported_providers, …}]}` → each credential provider's route.
    Entries without a provider name are skipped; the first entry naming a provider wins."""
    items = listing.get("providers") if isinstance(listing, dict) else None
    by_provider: dict[str, NativeRoute] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("provider"), str) or not item["provider"]:
            continue
        route = NativeRoute(item["provider"], str(item.get("plugin_id") or ""))
        supported = item.get("supported_providers")
        names = [route.provider, *(s for s in supported if isinstance(s, str))] if isinstance(supported, list) \
            else [route.provider]
        for name in names:
            by_provider.setdefault(_normal(name), route)
    return NativeQuota(routes, by_provider)


def fetch_body(auth_index: str, route: NativeRoute) -> dict[str, str]:
    body = {"auth_index": auth_index, "provider": route.provider}
    if route.plugin_id:
        body["plugin_id"] = route.plugin_id
    return body


def _normal(provider: str) -> str:
    kind = provider.strip().lower()
    return ALIASES.get(kind, kind)
