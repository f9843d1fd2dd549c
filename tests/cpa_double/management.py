"""Handlers behind the management key: the usage queue plus canned stubs (auth files); logs live in ``logs``.

Stubs return realistic shapes so a proxying product can be tested end to end; they keep
no more state than a test needs to observe (toggles, api-keys, config values).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from . import model_definitions
from .api_call import API_CALL_ROUTES, V8_API_CALL_ROUTES
from .bodies import iter_download
from .client_keys import CLIENT_KEY_ROUTES, V8_CLIENT_KEY_ROUTES
from .config_routes import CONFIG_ROUTES
from .logs import LOG_PREFIX_ROUTES, LOG_ROUTES, V8_LOG_PREFIX_ROUTES, V8_LOG_ROUTES
from .messages import Reply, Request, empty_reply, json_reply
from .provider_routes import PROVIDER_ROUTES
from .quota_upstream import auth_file_entries
from .records import auth_index_for, format_go_time
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


def _auth_file(double: CpaDouble, provider: str, email: str, account_type: str) -> dict[str, Any]:
    stamp = format_go_time(datetime.fromtimestamp(double.clock.now(), UTC).replace(microsecond=0))
    buckets = [
        {"time": f"{h:02d}:{m:02d}-{h:02d}:{m + 9:02d}", "success": (h + m) % 7, "failed": (h * m) % 2}
        for h, m in ((10 + i // 6, (i % 6) * 10) for i in range(20))
    ]
    name = f"{provider}-{email}.json"
    return {
        "id": name,
        "auth_index": auth_index_for(provider, email),
        "name": name,
        "type": provider,
        "provider": provider,
        "label": email,
        "status": "active",
        "status_message": "",
        "disabled": False,
        "unavailable": False,
        "runtime_only": False,
        "source": "file",
        "size": 4312,
        "success": 120,
        "failed": 3,
        "recent_requests": buckets,
        "email": email,
        "account_type": account_type,
        "created_at": stamp,
        "modtime": stamp,
        "updated_at": stamp,
        "last_refresh": stamp,
    }


def auth_file_list(double: CpaDouble) -> list[dict[str, Any]]:
    return [
        _auth_file(double, "codex", "alice@example.com", "plus"),
        _auth_file(double, "claude", "bob@example.com", "max"),
        *auth_file_entries(double.quota_accounts, lambda p, e, a: _auth_file(double, p, e, a)),
    ]


def auth_files(double: CpaDouble, req: Request) -> Reply:
    files = auth_file_list(double)
    name, index = req.arg("name"), req.arg("auth_index")
    files = [f for f in files if (not name or f["name"] == name) and (not index or f["auth_index"] == index)]
    return json_reply(200, {"files": files})


def upload_auth_files(double: CpaDouble, req: Request) -> Reply:
    parts = req.body.parts
    if parts is None:
        names = [req.arg("name") or "upload.json"]
        described: list[dict[str, object]] = []
    else:
        names = [p.filename or p.name for p in parts]
        described = [p.as_json() for p in parts]
    return json_reply(
        200, {"status": "ok", "files": names, "size": req.body.size, "sha256": req.body.sha256, "parts": described}
    )


def download_auth_file(double: CpaDouble, req: Request) -> Reply:
    name = req.arg("name") or ""
    raw_size = req.arg("size")
    if raw_size is not None:
        if not _INT_RE.match(raw_size) or int(raw_size) < 0:
            return json_reply(400, {"error": "invalid size"})
        size = int(raw_size)
        return Reply(
            200,
            content_type="application/octet-stream",
            stream=iter_download(size),
            length=size,
            headers=[("Content-Disposition", f'attachment; filename="{name or "download.bin"}"')],
        )
    for entry in auth_file_list(double):
        if entry["name"] == name:
            content = {
                "type": entry["provider"],
                "email": entry["email"],
                "access_token": "fake-access-token",
                "refresh_token": "fake-refresh-token",
                "expired": entry["updated_at"],
            }
            return json_reply(200, content)
    return json_reply(404, {"error": "file not found"})


MANAGEMENT_ROUTES: dict[str, dict[str, Handler]] = {
    "/usage-queue": {"GET": usage_queue},
    **CLIENT_KEY_ROUTES,
    **PROVIDER_ROUTES,
    **API_CALL_ROUTES,
    "/model-definitions": model_definitions.METHODS,
    "/auth-files": {"GET": auth_files, "POST": upload_auth_files},
    "/auth-files/download": {"GET": download_auth_file},
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
    "/credentials": {"GET": auth_files, "POST": upload_auth_files},
    "/credentials/download": {"GET": download_auth_file},
    **V8_LOG_ROUTES,
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
