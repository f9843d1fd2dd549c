"""Model prices as the routes (and later the panel) use them."""

from __future__ import annotations

from typing import Any

import urllib3

from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.prices.defaults import default_prices, default_table
from cpa_manager_desktop.prices.pricing import parse_prices, price_payload
from cpa_manager_desktop.prices.sync import sync_from_litellm
from cpa_manager_desktop.store.prices import PriceStore


class PriceService:
    def __init__(self, store: PriceStore, pool: urllib3.PoolManager, litellm_url: str) -> None:
        self._store = store
        self._pool = pool
        self._litellm_url = litellm_url

    def prices(self) -> dict[str, Any]:
        """The saved and synced prices, and the shipped default table they override model by model."""
        table = default_table()
        return {"prices": {model: price_payload(p) for model, p in sorted(self._store.all().items())},
                "defaults": {"generated": table.get("generated"), "source": table.get("source"),
                             "prices": {model: price_payload(p) for model, p in sorted(default_prices().items())}}}

    def replace(self, body: Any) -> dict[str, Any]:
        self._store.replace_all(parse_prices(body))
        return self.prices()

    def sync(self, body: Any) -> dict[str, Any]:
        """Sync from LiteLLM the requested models, or every model seen in usage or already priced."""
        wanted = self._wanted_models(body)
        result = sync_from_litellm(self._store, self._pool, self._litellm_url, wanted)
        return {"source": "litellm", "imported": len(result.imported), "skipped": len(result.unmatched),
                "unmatched": result.unmatched, **self.prices()}

    def _wanted_models(self, body: Any) -> list[tuple[str, str | None]]:
        seen = dict(self._store.seen_models())
        requested = body.get("models") if isinstance(body, dict) else None
        if requested is not None:
            if not isinstance(requested, list) or not all(isinstance(m, str) and m.strip() for m in requested):
                raise BadRequest("models must be a list of model names", code="invalid_models")
            return [(m.strip(), seen.get(m.strip())) for m in requested]
        names = sorted(set(seen) | set(self._store.all()))
        return [(name, seen.get(name)) for name in names if name and name != "unknown"]
