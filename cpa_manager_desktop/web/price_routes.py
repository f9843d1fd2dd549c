"""Model price routes."""

from __future__ import annotations

from typing import Any

import bottle

from cpa_manager_desktop.prices.service import PriceService
from cpa_manager_desktop.web.api import json_response, read_json_body


def register(app: bottle.Bottle, prices: PriceService) -> None:
    @app.get("/v0/management/model-prices")
    def get_prices() -> Any:
        return json_response(prices.prices())

    @app.put("/v0/management/model-prices")
    def put_prices() -> Any:
        return json_response(prices.replace(read_json_body()))

    @app.post("/v0/management/model-prices/sync")
    def sync_prices() -> Any:
        raw = bottle.request.body.read()
        body = read_json_body() if raw.strip() else {}
        return json_response(prices.sync(body))
