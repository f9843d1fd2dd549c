"""Analytics routes for our panel. Every route takes start, end, tz and the filters of parse_filters."""

from __future__ import annotations

from typing import Any

import bottle

from cpa_manager_desktop.analytics.service import AnalyticsQuery, AnalyticsService, parse_cursor
from cpa_manager_desktop.analytics.window import parse_filters, parse_limit, parse_window, parse_zone
from cpa_manager_desktop.web.api import json_response

PREFIX = "/v0/management/analytics"
MAX_EVENT_PAGE = 500


def _query() -> AnalyticsQuery:
    params = bottle.request.query
    return AnalyticsQuery(window=parse_window(params), zone=parse_zone(params), filters=parse_filters(params))


def register(app: bottle.Bottle, analytics: AnalyticsService) -> None:
    @app.get(f"{PREFIX}/summary")
    def summary() -> Any:
        return json_response(analytics.summary(_query()))

    @app.get(f"{PREFIX}/timeseries")
    def timeseries() -> Any:
        return json_response(analytics.timeseries(_query(), bottle.request.query.get("bucket") or "hour"))

    @app.get(f"{PREFIX}/breakdown")
    def breakdown() -> Any:
        return json_response(analytics.breakdown(_query(), bottle.request.query.get("by") or "model"))

    @app.get(f"{PREFIX}/options")
    def options() -> Any:
        return json_response(analytics.options(_query()))

    @app.get(f"{PREFIX}/failures")
    def failures() -> Any:
        return json_response(analytics.failures(_query()))

    @app.get(f"{PREFIX}/events")
    def events() -> Any:
        params = bottle.request.query
        return json_response(analytics.events(
            _query(), before=parse_cursor(params.get("before"), "before"),
            after=parse_cursor(params.get("after"), "after"), limit=parse_limit(params, 100, MAX_EVENT_PAGE)))
