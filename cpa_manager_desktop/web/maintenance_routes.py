"""Our storage API under /maintenance/ (nothing CPA serves): the database figures and the retention."""

from __future__ import annotations

from typing import Any

import bottle

from cpa_manager_desktop.config import MAX_RETENTION_DAYS
from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.service.maintenance import Maintenance, StorageOverview
from cpa_manager_desktop.web.api import json_response, read_json_body


def register(app: bottle.Bottle, maintenance: Maintenance) -> None:
    @app.get("/maintenance/storage")
    def storage() -> Any:
        return json_response(_storage(maintenance.overview()))

    @app.put("/maintenance/retention")
    def retention() -> Any:
        body = read_json_body() if bottle.request.content_length else None
        if not isinstance(body, dict) or "days" not in body:
            raise BadRequest('Send {"days": N} (1 to 3650), or {"days": null} to keep every event',
                             code="invalid_retention")
        maintenance.set_days(body["days"])
        return json_response(_storage(maintenance.overview()))


def _storage(o: StorageOverview) -> dict[str, Any]:
    total = o.raw_events + o.aggregated_events
    policy = o.policy
    return {
        "databaseBytes": o.database_bytes,
        "rawEvents": o.raw_events,
        "aggregatedEvents": o.aggregated_events,
        "bytesPerEvent": round(o.database_bytes / total, 1) if total else None,
        "oldestRawEvent": o.oldest_raw_event_ns // 1_000_000 if o.oldest_raw_event_ns is not None else None,
        "aggregatedBefore": o.aggregated_before_ns // 1_000_000 if o.aggregated_before_ns else None,
        "reclaimableBytes": o.reclaimable_bytes,
        "incrementalVacuum": o.incremental_vacuum,
        "retention": {"days": policy.days, "source": policy.source, "fixed": policy.fixed,
                      "maxDays": MAX_RETENTION_DAYS},
    }
