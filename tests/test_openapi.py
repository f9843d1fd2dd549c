"""The OpenAPI document names every route the app serves, and every path it names exists."""

from __future__ import annotations

import re
from collections.abc import Callable

from cpa_manager_desktop.app import App
from cpa_manager_desktop.web import openapi
from tests.client import call

UNDOCUMENTED = {"/"}  # a redirect to /management.html


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule).replace("{path:path}", "{path}")


def test_every_route_is_documented(start_app: Callable[..., App]) -> None:
    app = start_app()
    served = call("GET", f"{app.base_url}/openapi.json")
    assert served.status == 200 and served.json["openapi"] == "3.1.0"
    bottle_app = app.server._app.app  # the Bottle app behind the security middleware
    routes = {(_openapi_path(r.rule), r.method.lower()) for r in bottle_app.routes if r.rule not in UNDOCUMENTED}
    documented = {(path, method) for path, ops in openapi.PATHS.items() for method in ops}
    proxied = {(p, m) for p, m in routes if p in ("/v0/management/{path}", "/v8/management/{path}")}
    assert routes - documented - proxied == set()
    desktop_only = {p for p, _ in documented if p.startswith("/desktop/")}
    refused = {"/v0/management/usage-queue", "/v8/management/observability/usage/queue"}
    assert {p for p, _ in documented} <= {p for p, _ in routes} | refused | desktop_only
