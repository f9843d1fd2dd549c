"""Desktop actions over HTTP, for the panel: on Linux xorg trays have no menu, so every tray item must
also be reachable here. Registered only when the desktop shell runs; calls the same service functions
as the tray (service/desktop.py)."""

from __future__ import annotations

from typing import Any

import bottle

from cpa_manager_desktop.errors import BadRequest, Conflict
from cpa_manager_desktop.service.desktop import AutostartState, DesktopActions
from cpa_manager_desktop.web.api import json_response, read_json_body


def _autostart_json(state: AutostartState) -> dict[str, Any]:
    return {"available": state.is_available, "enabled": state.is_enabled, "where": state.where}


def register(app: bottle.Bottle, actions: DesktopActions) -> None:
    @app.get("/desktop/autostart")
    def autostart() -> Any:
        return json_response(_autostart_json(actions.autostart_state()))

    @app.put("/desktop/autostart")
    def set_autostart() -> Any:
        body = read_json_body()
        if not isinstance(body, dict) or not isinstance(body.get("enabled"), bool):
            raise BadRequest('expected {"enabled": true|false}', code="invalid_body")
        return json_response(_autostart_json(actions.set_autostart(body["enabled"])))

    @app.post("/desktop/export")
    def export() -> Any:
        try:
            path = actions.export_usage()
        except RuntimeError as exc:
            raise Conflict(str(exc), code="export_running") from None
        return json_response({"path": str(path)})

    @app.post("/desktop/open-data-folder")
    def open_data_folder() -> Any:
        actions.open_data_folder()
        return json_response({"ok": True})

    @app.post("/desktop/quit")
    def quit_app() -> Any:
        actions.request_quit()
        return json_response({"ok": True}, 202)
