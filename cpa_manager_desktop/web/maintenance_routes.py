"""Our storage API under /maintenance/ (nothing CPA serves): the database figures and the retention."""

from __future__ import annotations

from typing import Any

import bottle

from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.service.maintenance import Maintenance
from cpa_manager_desktop.web.api import json_response, read_json_body


def register(app: bottle.Bottle, maintenance: Maintenance) -> None:
    @app.get("/maintenance/storage")
    def storage() -> Any:
        return json_response(maintenance.overview())

    @app.put("/maintenance/retention")
    def retention() -> Any:
        body = read_json_body() if bottle.request.content_length else None
        if not isinstance(body, dict) or "days" not in body:
            raise BadRequest('Send {"days": N} (1 to 3650), or {"days": null} to keep every event',
                             code="invalid_retention")
        maintenance.set_days(body["days"])
        return json_response(maintenance.overview())
