"""Client API keys: v0 ``/api-keys`` (cpa-management-api §2) and v8 ``/access/api-key-names`` (cpa-v8 §6.4).

Display names live in ``api-key-names.json`` next to config.yaml, keyed by the sha256 hex of the
full client key; an empty name is a tombstone that is kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .config_routes import OK
from .messages import Reply, Request, json_reply
from .provider_routes import Refusal, scan_int

if TYPE_CHECKING:
    from .server import CpaDouble

Handler = Callable[["CpaDouble", Request], Reply]
MAX_NAME = 128
MAX_NAMES = 10_000
MAX_BODY = 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _keys(legacy: dict[str, Any]) -> list[str]:
    value = legacy.get("api-keys")
    return [str(k) for k in value] if isinstance(value, list) else []


def _edit(double: CpaDouble, change: Callable[[list[str]], list[str]]) -> Reply:
    def apply(legacy: dict[str, Any]) -> None:
        # The handler rebuilds the slice as a nil slice when empty: GET then shows null (§2).
        legacy["api-keys"] = change(_keys(legacy))

    try:
        double.config.edit_legacy(apply)
    except Refusal as exc:
        return exc.reply
    return json_reply(200, OK)


def get_keys(double: CpaDouble, req: Request) -> Reply:
    return json_reply(200, {"api-keys": _keys(double.config.legacy()) or None})


def put_keys(double: CpaDouble, req: Request) -> Reply:
    try:
        body = req.json()
    except ValueError:
        return json_reply(400, {"error": "invalid body"})
    items = body.get("items") if isinstance(body, dict) else body
    if not isinstance(items, list) or (isinstance(body, dict) and not items):
        return json_reply(400, {"error": "invalid body"})
    if not all(isinstance(item, str) for item in items):
        return json_reply(400, {"error": "invalid body"})
    return _edit(double, lambda _: list(items))  # neither trimmed nor de-duplicated


def patch_keys(double: CpaDouble, req: Request) -> Reply:
    try:
        body = req.json()
    except ValueError:
        return json_reply(400, {"error": "invalid body"})
    if not isinstance(body, dict):
        return json_reply(400, {"error": "invalid body"})
    index, value, old, new = (body.get(k) for k in ("index", "value", "old", "new"))

    def change(keys: list[str]) -> list[str]:
        if isinstance(index, int) and isinstance(value, str) and 0 <= index < len(keys):
            keys[index] = value
        elif isinstance(old, str) and isinstance(new, str):
            if old in keys:
                keys[keys.index(old)] = new
            else:
                keys.append(new)  # an absent `old` appends `new`
        else:
            raise Refusal(400, "missing fields")
        return keys

    return _edit(double, change)


def delete_keys(double: CpaDouble, req: Request) -> Reply:
    index = scan_int(req.arg("index"))
    value = req.arg("value")

    def change(keys: list[str]) -> list[str]:
        if index is not None and 0 <= index < len(keys):
            return [k for i, k in enumerate(keys) if i != index]
        if value is not None:
            return [k for k in keys if k.strip() != value.strip()]  # every match goes
        raise Refusal(400, "missing index or value")

    return _edit(double, change)


# --- v8 display names ---------------------------------------------------------------------------


def names_file(double: CpaDouble) -> Any:
    return double.config.path.with_name("api-key-names.json")


def read_names(double: CpaDouble) -> dict[str, str]:
    path = names_file(double)
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text("utf-8")).get("names", {}))


def get_names(double: CpaDouble, req: Request) -> Reply:
    return json_reply(200, {"names": read_names(double)})


def patch_names(double: CpaDouble, req: Request) -> Reply:
    if req.body.size > MAX_BODY:
        return _names_error("invalid_key_names", "request body exceeds 1 MiB")
    try:
        body = req.json()
    except ValueError:
        return _names_error("invalid_key_names", "body must be JSON")
    names = body.get("names") if isinstance(body, dict) else None
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        return _names_error("invalid_key_names", "names must be an object of strings")
    client_keys = [k for k in double.api_keys if k]
    for digest, name in names.items():
        if not _SHA256.match(digest) or len(name) > MAX_NAME:
            return _names_error("invalid_key_name", f"invalid name for key {digest[:12]}")
        if any(key in name for key in client_keys):
            return _names_error("name_contains_key", "a name must not contain a client API key")
    with double.config.lock:
        merged = read_names(double)
        for digest, name in names.items():
            if body.get("only_if_absent") is True and digest in merged:
                continue  # a tombstone counts as present
            merged[digest] = name.strip()
        if len(merged) > MAX_NAMES:
            return _names_error("too_many_key_names", f"at most {MAX_NAMES} names")
        names_file(double).write_text(json.dumps({"names": merged}, indent=2, sort_keys=True), "utf-8")
    double.publish_refresh()  # K8 calls redisqueue.NotifyUsageRefresh()
    return json_reply(200, {"names": merged})


def _names_error(code: str, message: str) -> Reply:
    return json_reply(400, {"error": code, "message": message})


CLIENT_KEY_ROUTES: dict[str, dict[str, Handler]] = {
    "/api-keys": {"GET": get_keys, "PUT": put_keys, "PATCH": patch_keys, "DELETE": delete_keys},
}
V8_CLIENT_KEY_ROUTES: dict[str, dict[str, Handler]] = {
    "/access/api-key-names": {"GET": get_names, "PATCH": patch_names},
}
