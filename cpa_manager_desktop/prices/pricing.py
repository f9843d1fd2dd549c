"""Prices: validation of user input and cost of token buckets (the LiteLLM sync is in prices/sync.py).

Cost uses the non-overlapping buckets stored per event (see ingest/tokens.py), so each provider's own
accounting is respected: Claude cache reads and writes are not inside input, OpenAI/Codex cache is,
and reasoning is billed as output. A model without a price is reported as unpriced, never as $0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.store.prices import Price

MAX_PRICE_PER_1M = 1_000_000.0
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
