"""GET /coverage: the coverage ledger's gaps overlapping a range, with reason and length."""

from __future__ import annotations

from typing import Any

import bottle

from cpa_manager_desktop.analytics.window import parse_window
from cpa_manager_desktop.watch.coverage import CoverageLedger
from cpa_manager_desktop.web.api import json_response


def register(app: bottle.Bottle, ledger: CoverageLedger) -> None:
    @app.get("/coverage")
    def coverage() -> Any:
        return json_response(ledger.report(parse_window(bottle.request.query)))
