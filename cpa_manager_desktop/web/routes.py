"""Service routes: health, info, status, setup, collector control, the panel page and its icon."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bottle

from cpa_manager_desktop import SERVICE_ID, __version__
from cpa_manager_desktop.service.controller import Controller, SetupRequest
from cpa_manager_desktop.web import openapi
from cpa_manager_desktop.web.api import json_response, read_json_body
from cpa_manager_desktop.web.security import CROSS_ORIGIN_KEY, presented_key
from cpa_manager_desktop.web.status_json import status_json


def register(app: bottle.Bottle, controller: Controller, panel_file: Path, icon_file: Path) -> None:
    def collector_reply() -> bottle.HTTPResponse:
        return json_response(status_json(controller.status())["collector"])

    @app.get("/health", public=True)
    def health() -> Any:
        return json_response({"ok": True, "service": SERVICE_ID})

    @app.get("/usage-service/info", public=True)
    def info() -> Any:
        return json_response({"service": SERVICE_ID, "mode": "embedded", "app": "desktop", "version": __version__,
                              "startedAt": controller.started_ms, "configured": controller.is_configured})

    @app.get("/status")
    def status() -> Any:
        payload = status_json(controller.status())
        if not payload["configured"] and bottle.request.environ.get(CROSS_ORIGIN_KEY):
            # Open before setup, so another site's page could read it: it gets no local file paths.
            payload["paths"] = None
        return json_response(payload)

    @app.post("/setup", public=True)
    def setup() -> Any:
        request = SetupRequest.from_json(read_json_body())
        result = controller.setup(request, presented_key(bottle.request.environ))
        return json_response({"ok": True, "upstream": result.upstream, "changed": result.changed,
                              "warnings": list(result.warnings)})

    @app.post("/collector/pause")
    def pause() -> Any:
        controller.pause()
        return collector_reply()

    @app.post("/collector/resume")
    def resume() -> Any:
        controller.resume()
        return collector_reply()

    @app.post("/collector/restart")
    def restart() -> Any:
        controller.restart()
        return collector_reply()

    @app.get("/openapi.json", public=True)
    def openapi_document() -> Any:
        return json_response(openapi.document())

    @app.get("/", public=True)
    def root() -> Any:
        bottle.redirect("/management.html", 307)

    @app.get("/favicon.ico", public=True)
    def favicon() -> Any:
        # Browsers ask for it on every page load; the app icon (a PNG) answers instead of a 404.
        response = bottle.static_file(icon_file.name, root=str(icon_file.parent), mimetype="image/png")
        response.set_header("Cache-Control", "max-age=86400")
        return response

    @app.get("/management.html", public=True)
    def panel() -> Any:
        response = bottle.static_file(panel_file.name, root=str(panel_file.parent), mimetype="text/html")
        response.set_header("Cache-Control", "no-cache")
        response.set_header("Content-Security-Policy", "frame-ancestors 'none'")
        response.set_header("X-Content-Type-Options", "nosniff")
        return response
