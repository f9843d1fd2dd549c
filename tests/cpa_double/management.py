"""Handlers behind the management key (spec §1.3, §1.5, §4): the queue plus canned stubs.

Stubs return realistic shapes so a proxying product can be tested end to end; they keep
no more state than a test needs to observe (toggles, api-keys, config values).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .bodies import iter_download
from .messages import Reply, Request, empty_reply, json_reply
from .records import PROVIDER_KEYS, auth_index_for, format_go_time

if TYPE_CHECKING:
    from .server import CpaDouble

Handler = Callable[["CpaDouble", Request], Reply]
_INT_RE = re.compile(r"^[+-]?\d+$")
_BOOL_RE = re.compile(r"^(true|false)$")
BCRYPT_PLACEHOLDER = "$2a$10$3Qy1bS8fVvQd6m0m4wJ8Ee0xk1T3uHq9p3cY6e1mWk2rB4f5tG7aK"


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


def _value_from_body(req: Request) -> tuple[bool, Any]:
    try:
        body = req.json()
    except ValueError:
        return False, None
    if not isinstance(body, dict) or "value" not in body:
        return False, None
    return True, body["value"]


def statistics_enabled(double: CpaDouble, req: Request) -> Reply:
    if req.method == "GET":
        return json_reply(200, {"usage-statistics-enabled": double.usage_statistics_enabled})
    ok, value = _value_from_body(req)
    if not ok or not isinstance(value, bool):
        return json_reply(400, {"error": "invalid body"})
    # CPA applies this through an asynchronous hot reload; the double applies it at once.
    double.set_usage_statistics_enabled(value)
    return json_reply(200, {"status": "ok"})


def _scalar(key: str) -> dict[str, Handler]:
    def handle(double: CpaDouble, req: Request) -> Reply:
        if req.method == "GET":
            return json_reply(200, {key: double.settings[key]})
        ok, value = _value_from_body(req)
        current = double.settings[key]
        if not ok or type(value) is not type(current):
            return json_reply(400, {"error": "invalid body"})
        double.settings[key] = value
        return json_reply(200, {"status": "ok"})

    return {"GET": handle, "PUT": handle, "PATCH": handle}


def config_json(double: CpaDouble, req: Request) -> Reply:
    return json_reply(200, config_dict(double))


def config_dict(double: CpaDouble) -> dict[str, Any]:
    # `remote-management` carries `json:"-"` in CPA, so the secret never appears here.
    return {
        "host": "",
        "port": 8317,
        "tls": {"enable": False, "cert": "", "key": ""},
        "auth-dir": "~/.cli-proxy-api",
        "proxy-url": double.settings["proxy-url"],
        "debug": double.settings["debug"],
        "logging-to-file": double.settings["logging-to-file"],
        "logs-max-total-size-mb": 0,
        "error-logs-max-files": 10,
        "usage-statistics-enabled": double.usage_statistics_enabled,
        "redis-usage-queue-retention-seconds": double.usage_queue.retention_s,
        "request-log": double.settings["request-log"],
        "request-retry": double.settings["request-retry"],
        "max-retry-credentials": 0,
        "max-retry-interval": double.settings["max-retry-interval"],
        "ws-auth": False,
        "force-model-prefix": False,
        "quota-exceeded": {"switch-project": True, "switch-preview-model": True},
        "routing": {"strategy": "round-robin"},
        "api-keys": list(double.api_keys),
        "gemini-api-key": [{"api-key": PROVIDER_KEYS["gemini"][0], "base-url": ""}],
        "claude-api-key": [{"api-key": PROVIDER_KEYS["claude"][0], "base-url": "", "models": []}],
        "codex-api-key": [],
        "openai-compatibility": [
            {
                "name": "x",
                "base-url": "https://openrouter.example/api/v1",
                "api-key-entries": [{"api-key": PROVIDER_KEYS["openai-compatible-x"][0]}],
            }
        ],
    }


def config_yaml(double: CpaDouble, req: Request) -> Reply:
    cfg = config_dict(double)
    lines = [
        f"{key}: {json.dumps(cfg[key])}"
        for key in (
            "host",
            "port",
            "auth-dir",
            "debug",
            "logging-to-file",
            "usage-statistics-enabled",
            "redis-usage-queue-retention-seconds",
            "request-retry",
            "max-retry-interval",
            "proxy-url",
        )
    ]
    lines += [
        "remote-management:",
        "  allow-remote: " + json.dumps(double.allow_remote),
        f'  secret-key: "{BCRYPT_PLACEHOLDER}"',
        "api-keys:",
    ]
    lines += [f'  - "{key}"' for key in double.api_keys]
    return Reply(200, ("\n".join(lines) + "\n").encode(), "application/yaml; charset=utf-8")


def put_config_yaml(double: CpaDouble, req: Request) -> Reply:
    """Apply the few top-level scalars the double models; reject text that is not YAML-ish."""
    text = req.body.head.decode("utf-8", "replace")
    values: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith(("#", "-")) or line.startswith(" "):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            return json_reply(400, {"error": "invalid_yaml", "message": f"cannot parse line {line!r}"})
        values[key.strip()] = value.split("#", 1)[0].strip().strip('"')
    retention = values.get("redis-usage-queue-retention-seconds", "")
    if _INT_RE.match(retention):
        double.usage_queue.set_retention(int(retention))
    if _BOOL_RE.match(values.get("usage-statistics-enabled", "")):
        double.set_usage_statistics_enabled(values["usage-statistics-enabled"] == "true")
    return json_reply(200, {"ok": True, "changed": ["config"]})


def api_keys(double: CpaDouble, req: Request) -> Reply:
    if req.method == "GET":
        return json_reply(200, {"api-keys": list(double.api_keys)})
    try:
        body = req.json()
    except ValueError:
        return json_reply(400, {"error": "invalid body"})
    items = body.get("items") if isinstance(body, dict) else body
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        return json_reply(400, {"error": "invalid body"})
    double.api_keys = list(items)
    return json_reply(200, {"status": "ok"})


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


def _auth_file_list(double: CpaDouble) -> list[dict[str, Any]]:
    return [
        _auth_file(double, "codex", "alice@example.com", "plus"),
        _auth_file(double, "claude", "bob@example.com", "max"),
    ]


def auth_files(double: CpaDouble, req: Request) -> Reply:
    files = _auth_file_list(double)
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
    for entry in _auth_file_list(double):
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


def logs(double: CpaDouble, req: Request) -> Reply:
    now = int(double.clock.now())
    lines: list[str] = []
    if req.arg("cursor") != "c1":
        stamp = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d %H:%M:%S")
        lines = [
            f"[{stamp}] [info] [server.go:212] API server started on :8317",
            f"[{stamp}] [info] [redisqueue] usage queue enabled (retention {double.usage_queue.retention_s}s)",
            f"[{stamp}] [warn] [conductor.go:88] credential cooling down after 429",
        ]
    return json_reply(200, {"lines": lines, "line-count": len(lines), "latest-timestamp": now, "next-cursor": "c1"})


def latest_version(double: CpaDouble, req: Request) -> Reply:
    return json_reply(200, {"latest-version": "v7.2.141"})


MANAGEMENT_ROUTES: dict[str, dict[str, Handler]] = {
    "/usage-queue": {"GET": usage_queue},
    "/usage-statistics-enabled": {"GET": statistics_enabled, "PUT": statistics_enabled, "PATCH": statistics_enabled},
    "/config": {"GET": config_json},
    "/config.yaml": {"GET": config_yaml, "PUT": put_config_yaml},
    "/api-keys": {"GET": api_keys, "PUT": api_keys},
    "/auth-files": {"GET": auth_files, "POST": upload_auth_files},
    "/auth-files/download": {"GET": download_auth_file},
    "/logs": {"GET": logs},
    "/latest-version": {"GET": latest_version},
    **{
        f"/{key}": _scalar(key)
        for key in ("debug", "request-retry", "logging-to-file", "request-log", "max-retry-interval", "proxy-url")
    },
}
