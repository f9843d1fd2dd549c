"""Prices: validation of user input and the API shape (cost and tiers are in prices/tiers.py, the
LiteLLM sync in prices/sync.py).

Cost uses the canonical buckets stored per event (see ingest/tokens.py), so each provider's own
accounting is respected. A model without a price is reported as unpriced, never as $0.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.store.prices import Price

MAX_PRICE_PER_1M = 1_000_000.0
_FIELD_ALIASES = {"input": ("input", "prompt"), "output": ("output", "completion"),
                  "cacheRead": ("cacheRead", "cache"), "cacheWrite": ("cacheWrite",), "cacheWrite1h": ("cacheWrite1h",)}
_TIER_RATES = ("input", "output", "cacheRead", "cacheWrite", "cacheWrite1h")
MAX_CONTEXT_TIERS = 8


def price_payload(price: Price) -> dict[str, Any]:
    """API shape; `prompt/completion/cache` repeat the values for panels that read the Go service's names."""
    return {
        "input": price.input_per_1m, "output": price.output_per_1m, "cacheRead": price.cache_read_per_1m,
        "cacheWrite": price.cache_write_per_1m, "prompt": price.input_per_1m, "completion": price.output_per_1m,
        "cache": price.cache_read_per_1m if price.cache_read_per_1m is not None else price.input_per_1m,
        "cacheWrite1h": price.cache_write_1h_per_1m,
        "tiers": json.loads(price.tiers_json) if price.tiers_json else None,
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
            cache_write_1h_per_1m=_number(name, "cacheWrite1h", _first(entry, _FIELD_ALIASES["cacheWrite1h"]),
                                          required=False),
            tiers_json=_tiers_json(name, entry.get("tiers")),
            source=str(entry.get("source") or "manual")[:40],
            source_model_id=str(entry["sourceModelId"])[:200] if entry.get("sourceModelId") else None,
        ))
    return prices


def _rates(model: str, where: str, entry: Any) -> dict[str, float]:
    if not isinstance(entry, dict):
        raise BadRequest(f"price for {model!r}: {where} must be an object", code="invalid_price")
    return {name: value for name in _TIER_RATES
            if (value := _number(model, f"{where}.{name}", entry.get(name), required=False)) is not None}


def _tiers_json(model: str, tiers: Any) -> str | None:
    """`{"context": [{"aboveTokens": 200000, "input": …}], "service": {"priority": {…}, "flex": {…}}}`,
    validated and stored as compact JSON; None when absent or empty."""
    if tiers in (None, {}):
        return None
    if not isinstance(tiers, dict) or set(tiers) - {"context", "service"}:
        raise BadRequest(f"price for {model!r}: tiers takes context and service", code="invalid_price")
    out: dict[str, Any] = {}
    context = tiers.get("context") or []
    if not isinstance(context, list) or len(context) > MAX_CONTEXT_TIERS:
        raise BadRequest(f"price for {model!r}: tiers.context must be a list of at most {MAX_CONTEXT_TIERS}",
                         code="invalid_price")
    for tier in context:
        above = tier.get("aboveTokens") if isinstance(tier, dict) else None
        if isinstance(above, bool) or not isinstance(above, int) or above <= 0:
            raise BadRequest(f"price for {model!r}: every context tier needs aboveTokens > 0", code="invalid_price")
        out.setdefault("context", []).append({"aboveTokens": above, **_rates(model, "tiers.context", tier)})
    service = tiers.get("service") or {}
    if not isinstance(service, dict) or set(service) - {"priority", "flex"}:
        raise BadRequest(f"price for {model!r}: tiers.service takes priority and flex", code="invalid_price")
    for name, entry in sorted(service.items()):
        out.setdefault("service", {})[name] = _rates(model, f"tiers.service.{name}", entry)
    if "context" in out:
        out["context"].sort(key=lambda t: t["aboveTokens"])
    return json.dumps(out, sort_keys=True, separators=(",", ":")) if out else None
