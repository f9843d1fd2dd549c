"""Prices: validation of user input, sync from LiteLLM's price list, and cost of token buckets.

Cost uses the non-overlapping buckets stored per event (see usage/tokens.py), so each provider's own
accounting is respected: Claude cache reads and writes are not inside input, OpenAI/Codex cache is,
and reasoning is billed as output. A model without a price is reported as unpriced, never as $0.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import urllib3

from cpa_manager_desktop.errors import BadRequest, UpstreamError
from cpa_manager_desktop.store.prices import Price, PriceStore
from cpa_manager_desktop.usage.tokens import family

SYNC_TIMEOUT_S = 20.0
SYNC_MAX_BYTES = 32 * 1024 * 1024
MAX_PRICE_PER_1M = 1_000_000.0
LITELLM_PREFIXES = {"claude": ("anthropic",), "gemini": ("gemini", "vertex_ai"), "openai": ("openai", "xai")}
_FIELD_ALIASES = {"input": ("input", "prompt"), "output": ("output", "completion"),
                  "cacheRead": ("cacheRead", "cache"), "cacheWrite": ("cacheWrite",)}


def price_payload(price: Price) -> dict[str, Any]:
    """API shape; `prompt/completion/cache` repeat the values for panels that read the Go service's names."""
    return {
        "input": price.input_per_1m, "output": price.output_per_1m, "cacheRead": price.cache_read_per_1m,
        "cacheWrite": price.cache_write_per_1m, "prompt": price.input_per_1m, "completion": price.output_per_1m,
        "cache": price.cache_read_per_1m if price.cache_read_per_1m is not None else price.input_per_1m,
        "source": price.source, "sourceModelId": price.source_model_id,
        "updatedAt": price.updated_ns // 1_000_000, "syncedAt": (price.synced_ns or 0) // 1_000_000 or None,
    }


def _number(model: str, name: str, value: Any, *, required: bool) -> float | None:
    if value is None:
        if required:
            raise BadRequest(f"price for {model!r}: {name} is required", code="invalid_price")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRequest(f"price for {model!r}: {name} must be a number", code="invalid_price")
    number = float(value)
    if not math.isfinite(number) or number < 0 or number > MAX_PRICE_PER_1M:
        raise BadRequest(f"price for {model!r}: {name} must be between 0 and {MAX_PRICE_PER_1M:g} USD per 1M tokens",
                         code="invalid_price")
    return number


def _first(entry: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    return next((entry[n] for n in names if n in entry), None)


def parse_prices(body: Any) -> list[Price]:
    """`{"prices": {model: {input, output, cacheRead?, cacheWrite?}}}`; raises BadRequest naming the model."""
    if not isinstance(body, dict) or not isinstance(body.get("prices"), dict):
        raise BadRequest('prices are required: {"prices": {"<model>": {"input": 1.25, "output": 10}}}',
                         code="invalid_price")
    prices = []
    for model, entry in body["prices"].items():
        name = model.strip() if isinstance(model, str) else ""
        if not name or len(name) > 200:
            raise BadRequest("model names must be 1 to 200 characters", code="invalid_price")
        if not isinstance(entry, dict):
            raise BadRequest(f"price for {name!r} must be an object", code="invalid_price")
        prices.append(Price(
            model=name,
            input_per_1m=_number(name, "input", _first(entry, _FIELD_ALIASES["input"]), required=True) or 0.0,
            output_per_1m=_number(name, "output", _first(entry, _FIELD_ALIASES["output"]), required=True) or 0.0,
            cache_read_per_1m=_number(name, "cacheRead", _first(entry, _FIELD_ALIASES["cacheRead"]), required=False),
            cache_write_per_1m=_number(name, "cacheWrite", _first(entry, _FIELD_ALIASES["cacheWrite"]),
                                       required=False),
            source=str(entry.get("source") or "manual")[:40],
            source_model_id=str(entry["sourceModelId"])[:200] if entry.get("sourceModelId") else None,
        ))
    return prices


# ---- cost ----

def cost_usd(sums: Mapping[str, Any], price: Price) -> float:
    cache_read = price.cache_read_per_1m if price.cache_read_per_1m is not None else price.input_per_1m
    cache_write = price.cache_write_per_1m if price.cache_write_per_1m is not None else price.input_per_1m
    return ((sums.get("in_uncached") or 0) * price.input_per_1m
            + (sums.get("in_cache_read") or 0) * cache_read
            + (sums.get("in_cache_write") or 0) * cache_write
            + (sums.get("out_total") or 0) * price.output_per_1m
            + (sums.get("unclassified_tokens") or 0) * price.input_per_1m) / 1_000_000


# ---- LiteLLM sync ----

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


def litellm_price(model: str, key: str, entry: Mapping[str, Any], now_ns: int) -> Price | None:
    input_price = _per_1m(entry, "input_cost_per_token")
    output_price = _per_1m(entry, "output_cost_per_token")
    if input_price is None or output_price is None:
        return None
    return Price(model=model, input_per_1m=input_price, output_per_1m=output_price,
                 cache_read_per_1m=_per_1m(entry, "cache_read_input_token_cost"),
                 cache_write_per_1m=_per_1m(entry, "cache_creation_input_token_cost"),
                 source="litellm", source_model_id=key, updated_ns=now_ns, synced_ns=now_ns)


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
        raise UpstreamError(f"model price sync failed: cannot reach {url} ({exc.__class__.__name__})",
                            code="price_sync_failed") from None
    try:
        if response.status != 200:
            raise UpstreamError(f"model price sync failed: {url} answered HTTP {response.status}",
                                code="price_sync_failed")
        data = response.read(SYNC_MAX_BYTES + 1)
    finally:
        response.release_conn()
    if len(data) > SYNC_MAX_BYTES:
        raise UpstreamError(f"model price sync failed: the price list is larger than {SYNC_MAX_BYTES // 2**20} MiB",
                            code="price_sync_failed")
    try:
        table = json.loads(data)
    except ValueError:
        raise UpstreamError("model price sync failed: the price list is not JSON", code="price_sync_failed") from None
    if not isinstance(table, dict):
        raise UpstreamError("model price sync failed: the price list is not a JSON object", code="price_sync_failed")
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
