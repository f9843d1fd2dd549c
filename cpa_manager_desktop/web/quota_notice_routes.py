"""The two opt-in quota notifications of the tray, for the panel's Settings page: GET and PUT
/quota/notifications (our path; CPA's own quota routes live under /v0|v8/management)."""

from __future__ import annotations

from typing import Any

import bottle

from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.service.quota_notify_settings import QuotaNotifications, QuotaNotifySettings
from cpa_manager_desktop.web.api import json_response, read_json_body

FIELDS = ("on_reset", "on_provider_exhausted")


def register(app: bottle.Bottle, switches: QuotaNotifySettings) -> None:
    @app.get("/quota/notifications")
    def get_notifications() -> Any:
        return json_response(_json(switches.get()))

    @app.put("/quota/notifications")
    def put_notifications() -> Any:
        body = read_json_body()
        if not isinstance(body, dict) or not any(name in body for name in FIELDS) or any(
                name in body and not isinstance(body[name], bool) for name in FIELDS):
            raise BadRequest('expected {"on_reset"?: true|false, "on_provider_exhausted"?: true|false}',
                             code="invalid_body")
        return json_response(_json(switches.update(on_reset=body.get("on_reset"),
                                                   on_provider_exhausted=body.get("on_provider_exhausted"))))


def _json(value: QuotaNotifications) -> dict[str, Any]:
    return {"on_reset": value.on_reset, "on_provider_exhausted": value.on_provider_exhausted}
