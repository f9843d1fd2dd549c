"""Price tiers and name matching (issue 12 §3).

A price may carry, besides its base rates:
- long-context tiers: rates for a request whose input (uncached + cache read + cache write) is above
  a threshold, from LiteLLM's `*_above_<N>k_tokens` fields; the whole request is billed at the tier;
- service tiers: rates for a request CPA reports with `response_service_tier` `priority` or `flex`;
- a 1-hour cache-write rate, for the writes a v8 record separates from the 5-minute ones.
A rate a tier leaves out is the base rate. A service tier wins over a long-context tier.

A model is matched to a price by its exact name, then the provider-prefixed name (`anthropic/…`) or
the bare name of a prefixed one, then without a date or alias suffix (`gpt-5-2025-08-07` → `gpt-5`,
`claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`, `…-latest`), and the match is reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cpa_manager_desktop.store.prices import Price

SERVICE_TIERS = ("priority", "flex")
_SUFFIX = re.compile(r"(-\d{4}-\d{2}-\d{2}|-\d{8}|-latest|@\d{8}|@latest)$")


@dataclass(frozen=True)
class Rates:
    """USD per million tokens; a None cache rate falls back to the input (or cache-write) rate."""

    input: float
    output: float
    cache_read: float | None = None
    cache_write: float | None = None
    cache_write_1h: float | None = None

    def cost_per_1m(self, sums: Mapping[str, Any]) -> float:
        write = sums.get("in_cache_write") or 0
        write_1h = min(sums.get("in_cache_write_1h") or 0, write)
        read_rate = self.input if self.cache_read is None else self.cache_read
        write_rate = self.input if self.cache_write is None else self.cache_write
        write_1h_rate = write_rate if self.cache_write_1h is None else self.cache_write_1h
        return ((sums.get("in_uncached") or 0) * self.input + (sums.get("in_cache_read") or 0) * read_rate
                + (write - write_1h) * write_rate + write_1h * write_1h_rate
                + (sums.get("out_total") or 0) * self.output + (sums.get("unclassified_tokens") or 0) * self.input)


@dataclass(frozen=True)
class Tiers:
    context: tuple[tuple[int, Rates], ...] = ()   # (above this many input tokens, rates), ascending
    service: tuple[tuple[str, Rates], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.context or self.service)

    @property
    def lowest_threshold(self) -> int | None:
        return self.context[0][0] if self.context else None


def base_rates(price: Price) -> Rates:
    return Rates(price.input_per_1m, price.output_per_1m, price.cache_read_per_1m, price.cache_write_per_1m,
                 price.cache_write_1h_per_1m)


def _overlay(base: Rates, entry: Mapping[str, Any]) -> Rates:
    def pick(name: str, default: float | None) -> float | None:
        value = entry.get(name)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default

    return Rates(pick("input", base.input) or 0.0, pick("output", base.output) or 0.0,
                 pick("cacheRead", base.cache_read), pick("cacheWrite", base.cache_write),
                 pick("cacheWrite1h", base.cache_write_1h))


@lru_cache(maxsize=512)
def _parse(tiers_json: str | None, base: Rates) -> Tiers:
    if not tiers_json:
        return Tiers()
    try:
        data = json.loads(tiers_json)
    except ValueError:
        return Tiers()
    context = sorted((int(t["aboveTokens"]), _overlay(base, t)) for t in data.get("context") or ()
                     if isinstance(t, dict) and isinstance(t.get("aboveTokens"), int))
    service = tuple((name, _overlay(base, entry)) for name, entry in sorted((data.get("service") or {}).items())
                    if name in SERVICE_TIERS and isinstance(entry, dict))
    return Tiers(tuple(context), service)


def tiers_of(price: Price) -> Tiers:
    return _parse(price.tiers_json, base_rates(price))


def request_rates(price: Price, input_total: int, service_tier: str | None) -> Rates:
    """The rates one request is billed at."""
    tiers = tiers_of(price)
    for name, rates in tiers.service:
        if name == (service_tier or "").lower():
            return rates
    chosen = base_rates(price)
    for above, rates in tiers.context:
        if input_total > above:
            chosen = rates
    return chosen


def cost_usd(sums: Mapping[str, Any], price: Price) -> float:
    """Cost of summed buckets at the base rates."""
    return base_rates(price).cost_per_1m(sums) / 1_000_000


def request_cost_usd(row: Mapping[str, Any], price: Price) -> float:
    """Cost of one request's buckets at the tier it falls in."""
    input_total = (row.get("in_uncached") or 0) + (row.get("in_cache_read") or 0) + (row.get("in_cache_write") or 0)
    return request_rates(price, input_total, row.get("response_service_tier")).cost_per_1m(row) / 1_000_000


@dataclass(frozen=True)
class Match:
    price: Price
    priced_as: str   # the price's model name
    how: str         # exact | prefixed | dated


def _by_name(name: str, prices: Mapping[str, Price]) -> tuple[str, str] | None:
    if name in prices:
        return name, "exact"
    bare = name.split("/", 1)[1] if "/" in name else None
    if bare and bare in prices:
        return bare, "prefixed"
    suffixed = [key for key in prices if key.endswith("/" + name)]
    if suffixed:
        return min(suffixed, key=len), "prefixed"
    return None


def match_price(model: str, prices: Mapping[str, Price]) -> Match | None:
    """The price a stored model name is billed at, and how it was matched; None: unpriced."""
    found = _by_name(model, prices)
    if found is None:
        stripped = _SUFFIX.sub("", model)
        found = _by_name(stripped, prices) if stripped != model else None
        if found is not None:
            found = (found[0], "dated")
    if found is None:
        return None
    return Match(prices[found[0]], found[0], found[1])


class PriceBook:
    """Prices for one query: matched once per model name, then looked up."""

    def __init__(self, prices: Mapping[str, Price]) -> None:
        self._prices = prices
        self._matches: dict[str, Match | None] = {}

    def match(self, model: str | None) -> Match | None:
        name = model or ""
        if name not in self._matches:
            self._matches[name] = match_price(name, self._prices) if name else None
        return self._matches[name]

    def tiered_models(self, models: list[str]) -> dict[str, Match]:
        return {m: match for m in models if (match := self.match(m)) is not None and tiers_of(match.price)}

    def all_tiered(self) -> dict[str, Price]:
        return {name: p for name, p in self._prices.items() if tiers_of(p)}


def match_payload(model: str, match: Match) -> dict[str, Any]:
    return {"model": model, "pricedAs": match.priced_as, "match": match.how, "source": match.price.source}
