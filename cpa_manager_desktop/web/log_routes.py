"""GET /logs/tail: the last lines of CPA Manager's own log, redacted (service/logtail.py)."""

from __future__ import annotations

from typing import Any

import bottle

from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.service.logtail import MAX_LINES, LogTail
from cpa_manager_desktop.web.api import json_response

DEFAULT_LINES = 200


def _lines(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LINES
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LINES:
        raise BadRequest(f"lines must be a whole number from 1 to {MAX_LINES}", code="invalid_lines")
    return int(raw)


def register(app: bottle.Bottle, log_tail: LogTail) -> None:
    @app.get("/logs/tail")
    def tail() -> Any:
        lines = _lines(bottle.request.query.get("lines"))
        return json_response({"file": str(log_tail.log_file), "lines": log_tail.tail(lines)})
