"""Our alert API under /alerts (CPA has no such path): the list, acknowledge, and the switches and thresholds.
Times are unix seconds; `evidence` names the monitoring view's range and filters."""

from __future__ import annotations

from typing import Any

import bottle

from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.watch.alerts import AlertView, AlertWatch
from cpa_manager_desktop.watch.alerts_settings import THRESHOLDS, AlertKind, AlertSettings
from cpa_manager_desktop.web.api import json_response, read_json_body


def register(app: bottle.Bottle, alerts: AlertWatch) -> None:
    @app.get("/alerts")
    def listing() -> Any:
        return json_response({"alerts": [_alert(view) for view in alerts.listing()]})

    @app.post("/alerts/<alert_id>/acknowledge")
    def acknowledge(alert_id: str) -> Any:
        if not alert_id.isdigit():
            raise BadRequest("The alert id must be a whole number", code="invalid_alert_id")
        return json_response({"alert": _alert(alerts.acknowledge(int(alert_id)))})

    @app.get("/alerts/settings")
    def settings() -> Any:
        return json_response(_settings(alerts.settings))

    @app.put("/alerts/settings")
    def update_settings() -> Any:
        return json_response(_settings(alerts.update_settings(read_json_body())))


def _alert(view: AlertView) -> dict[str, Any]:
    evidence = view.evidence
    filters = {name: value for name, value in (("account", evidence.account), ("apiKey", evidence.api_key)) if value}
    return {"id": view.id, "kind": view.kind, "subject": view.subject, "subject_label": view.subject_label,
            "title": view.title, "message": view.message, "facts": dict(view.facts),
            "open": view.cleared_s is None, "opened_at": view.opened_s, "cleared_at": view.cleared_s,
            "acknowledged": view.acknowledged_s is not None, "acknowledged_at": view.acknowledged_s,
            "evidence": {"start": int(evidence.start_s),
                         "end": int(evidence.end_s) if evidence.end_s is not None else None, "filters": filters}}


def _settings(settings: AlertSettings) -> dict[str, Any]:
    return {"kinds": {kind.value: settings.is_on(kind) for kind in AlertKind},
            "thresholds": {t.name: settings.value(t.name) for t in THRESHOLDS},
            "limits": [{"name": t.name, "minimum": t.minimum, "maximum": t.maximum, "default": t.default,
                        "whole": t.whole, "description": t.description} for t in THRESHOLDS]}
