"""Handlers behind the management key: the usage queue and the route tables; logs live in ``logs``, credentials in
``auth_files``, OAuth login in ``oauth``.

Stubs return realistic shapes so a proxying product can be tested end to end; they keep
no more state than a test needs to observe (toggles, api-keys, config values).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import model_definitions
from .api_call import API_CALL_ROUTES, V8_API_CALL_ROUTES
from .auth_files import AUTH_FILE_ROUTES, V8_CREDENTIAL_ROUTES
from .client_keys import CLIENT_KEY_ROUTES, V8_CLIENT_KEY_ROUTES
from .config_routes import CONFIG_ROUTES
from .logs import LOG_PREFIX_ROUTES, LOG_ROUTES, V8_LOG_PREFIX_ROUTES, V8_LOG_ROUTES
from .messages import Reply, Request, empty_reply, json_reply
from .oauth import OAUTH_ROUTES, V8_OAUTH_ROUTES
from .oauth_maps import OAUTH_MAP_ROUTES
from .provider_routes import PROVIDER_ROUTES
from .quota_plugins import V8_QUOTA_ROUTES
from .v8_config import CONFIG_PREFIX, NODE_METHODS, V8_CONFIG_ROUTES

if TYPE_CHECKING:
    from .server import CpaDouble

Handler = Callable[["CpaDouble", Request], Reply]
_INT_RE = re.compile(r"^[+-]?\d+$")


def usage_queue(double: CpaDouble, req: Request) -> Reply:
    if not double.http_queue_supported:
        return empty_reply(404)  # CPA < v6.10.8: the route does not exist, NoRoute after auth
    injected = double.http_queue_status
    if injected is not None:
        return json_reply(injected, {"error": "injected"})
    raw = req.arg("count")
    count = 1
    if raw is not None:
        count = int(raw) if _INT_RE.match(raw) else 0
        if count <= 0:
            return json_reply(400, {"error": "count must be a positive integer"})
    items = double.pop_for("http", count)
    return Reply(200, b"[" + b",".join(_embed(item, double.not_json_payloads) for item in items) + b"]")


def is_valid_json(payload: bytes) -> bool:
    try:
        json.loads(payload, parse_constant=_reject_constant)
    except ValueError:
        return False
    except RecursionError:
        return True  # Go's json.Valid accepts nesting up to 10,000 deep; Python's parser stops near 1,000
    return True


def _embed(payload: bytes, not_json: set[bytes]) -> bytes:
    """A stored record goes out as raw JSON; anything unparseable becomes a JSON string."""
    if payload in not_json:
        return json.dumps(payload.decode("utf-8", "replace"), ensure_ascii=False).encode()
    return payload.strip()


def _reject_constant(name: str) -> Any:
    # Go's json.Valid refuses NaN/Infinity, which Python would otherwise accept.
    raise ValueError(name)


MANAGEMENT_ROUTES: dict[str, dict[str, Handler]] = {
    "/usage-queue": {"GET": usage_queue},
    **CLIENT_KEY_ROUTES,
    **PROVIDER_ROUTES,
    **API_CALL_ROUTES,
    "/model-definitions": model_definitions.METHODS,
    **AUTH_FILE_ROUTES,
    **OAUTH_ROUTES,
    **OAUTH_MAP_ROUTES,
    **LOG_ROUTES,
    **CONFIG_ROUTES,
}

# The v8 tree (cpa-v8 §5.1): the same handlers under their v8 names.
V8_ROUTES: dict[str, dict[str, Handler]] = {
    **V8_CONFIG_ROUTES,
    **V8_CLIENT_KEY_ROUTES,
    **V8_API_CALL_ROUTES,
    "/observability/usage/queue": {"GET": usage_queue},
    "/server/latest-version": CONFIG_ROUTES["/latest-version"],
    **V8_CREDENTIAL_ROUTES,
    **V8_OAUTH_ROUTES,
    **V8_LOG_ROUTES,
    **V8_QUOTA_ROUTES,
}
# Path-parameter routes: (prefix, methods), tried in order after the exact tables.
V0_PREFIX_ROUTES: tuple[tuple[str, dict[str, Handler]], ...] = (
    ("/model-definitions/", model_definitions.METHODS),
    *LOG_PREFIX_ROUTES,
)
V8_PREFIX_ROUTES: tuple[tuple[str, dict[str, Handler]], ...] = (
    (CONFIG_PREFIX, NODE_METHODS),
    ("/routing/model-definitions/", model_definitions.METHODS),
    *V8_LOG_PREFIX_ROUTES,
)
