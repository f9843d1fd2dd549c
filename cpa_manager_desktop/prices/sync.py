"""Model prices from LiteLLM's public price list: download, match our model names, store."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import urllib3

from cpa_manager_desktop.errors import UpstreamError
from cpa_manager_desktop.ingest.tokens import family
from cpa_manager_desktop.store.prices import Price, PriceStore

SYNC_TIMEOUT_S = 20.0
SYNC_MAX_BYTES = 32 * 1024 * 1024
LITELLM_PREFIXES = {"claude": ("anthropic",), "gemini": ("gemini", "vertex_ai"), "openai": ("openai", "xai")}


@dataclass
class SyncResult:
    imported: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def _per_1m(entry: Mapping[str, Any], *names: str) -> float | None:
    for name in names:
        value = entry.get(name)
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                continue
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
            return round(float(value) * 1_000_000, 10)
    return None


_ABOVE = re.compile(r"^input_cost_per_token_above_(\d+)k_tokens$")
_TIER_FIELDS = (("input", "input_cost_per_token"), ("output", "output_cost_per_token"),
                ("cacheRead", "cache_read_input_token_cost"), ("cacheWrite", "cache_creation_input_token_cost"))


def _tier(entry: Mapping[str, Any], suffix: str) -> dict[str, float]:
    rates = {name: _per_1m(entry, field + suffix) for name, field in _TIER_FIELDS}
    return {name: value for name, value in rates.items() if value is not None}


def litellm_tiers(entry: Mapping[str, Any]) -> str | None:
    """LiteLLM's long-context (`*_above_<N>k_tokens`) and service-tier (`*_priority`, `*_flex`) rates,
    as the tiers JSON of prices/tiers.py; None when the entry has none."""
    context = []
    for name in entry:
        found = _ABOVE.match(name)
        if found:
            rates = _tier(entry, f"_above_{found.group(1)}k_tokens")
            if rates:
                context.append({"aboveTokens": int(found.group(1)) * 1000, **rates})
    service = {tier: rates for tier in ("priority", "flex") if (rates := _tier(entry, f"_{tier}"))}
    if not context and not service:
        return None
    tiers: dict[str, Any] = {}
    if context:
        tiers["context"] = sorted(context, key=lambda t: t["aboveTokens"])
    if service:
        tiers["service"] = service
    return json.dumps(tiers, sort_keys=True, separators=(",", ":"))


def litellm_price(model: str, key: str, entry: Mapping[str, Any], now_ns: int, source: str = "litellm",
                  ) -> Price | None:
    input_price = _per_1m(entry, "input_cost_per_token")
    output_price = _per_1m(entry, "output_cost_per_token")
    if input_price is None or output_price is None:
        return None
    return Price(model=model, input_per_1m=input_price, output_per_1m=output_price,
                 cache_read_per_1m=_per_1m(entry, "cache_read_input_token_cost"),
                 cache_write_per_1m=_per_1m(entry, "cache_creation_input_token_cost"),
                 source=source, source_model_id=key, updated_ns=now_ns, synced_ns=now_ns,
                 cache_write_1h_per_1m=_per_1m(entry, "cache_creation_input_token_cost_above_1hr"),
                 tiers_json=litellm_tiers(entry))


def match_litellm(model: str, provider: str | None, table: Mapping[str, Any]) -> str | None:
    """Exact name first, then the provider-prefixed name LiteLLM uses (`anthropic/…`, `gemini/…`)."""
    if isinstance(table.get(model), dict):
        return model
    for prefix in LITELLM_PREFIXES.get(family(provider), ()):
        key = f"{prefix}/{model}"
        if isinstance(table.get(key), dict):
            return key
    return None


def fetch_litellm(pool: urllib3.PoolManager, url: str) -> dict[str, Any]:
    """Download and parse the price list; raises UpstreamError with a plain sentence on any failure."""
    try:
        response = pool.request("GET", url, preload_content=False, timeout=urllib3.Timeout(connect=5,
                                read=SYNC_TIMEOUT_S), retries=False)
    except urllib3.exceptions.HTTPError as exc:
        raise UpstreamError(f"Cannot reach the price list at {url} ({exc.__class__.__name__})",
                            code="price_sync_failed") from None
    try:
        if response.status != 200:
            raise UpstreamError(f"The price list at {url} answered HTTP {response.status}",
                                code="price_sync_failed")
        data = response.read(SYNC_MAX_BYTES + 1)
    finally:
        response.release_conn()
    if len(data) > SYNC_MAX_BYTES:
        raise UpstreamError(f"The price list is larger than {SYNC_MAX_BYTES // 2**20} MiB",
                            code="price_sync_failed")
    try:
        table = json.loads(data)
    except ValueError:
        raise UpstreamError("The price list is not JSON", code="price_sync_failed") from None
    if not isinstance(table, dict):
        raise UpstreamError("The price list is not a JSON object", code="price_sync_failed")
    return table


def sync_from_litellm(store: PriceStore, pool: urllib3.PoolManager, url: str,
                      models: list[tuple[str, str | None]]) -> SyncResult:
    """Price every requested (model, provider); all-or-nothing: a failed fetch changes nothing."""
    table = fetch_litellm(pool, url)
    now_ns = time.time_ns()
    result = SyncResult()
    prices = []
    for model, provider in models:
        key = match_litellm(model, provider, table)
        price = litellm_price(model, key, table[key], now_ns) if key else None
        if price is None:
            result.unmatched.append(model)
            continue
        prices.append(price)
        result.imported.append(model)
    store.upsert(prices)
    return result
