"""Ampcode routes, served only by CPAs older than v7.2.0 (removed in ``8122b9fe4``, cpa-v8 §6.1).

INFERRED: the v7.2.140 spec no longer describes these routes. Shapes follow the v6/v7.1 handlers as
the older panels used them: an ``ampcode:`` config section with ``upstream-url``,
``upstream-api-key``, ``upstream-api-keys`` (``[{upstream-api-key, api-keys}]``), ``model-mappings``
(``[{from, to}]``) and ``force-model-mappings``; scalar setters take ``{"value": …}``, list routes
take ``{"value": [...]}`` (PUT replaces, PATCH upserts, DELETE removes the named items or all).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .config_routes import OK
from .messages import Reply, Request, json_reply

if TYPE_CHECKING:
    from .server import CpaDouble

Handler = Callable[["CpaDouble", Request], Reply]


def _section(legacy: dict[str, Any]) -> dict[str, Any]:
    value = legacy.get("ampcode")
    return copy.deepcopy(value) if isinstance(value, dict) else {}


def _value(req: Request) -> tuple[bool, Any]:
    try:
        body = req.json()
    except ValueError:
        return False, None
    if isinstance(body, list):
        return True, body
    if isinstance(body, dict) and "value" in body:
        return True, body["value"]
    return False, None


def _store(double: CpaDouble, key: str, value: Any) -> None:
    def apply(legacy: dict[str, Any]) -> None:
        section = _section(legacy)
        section[key] = value
        legacy["ampcode"] = section

    double.config.edit_legacy(apply)


def _scalar(key: str, kind: type, empty: Any) -> dict[str, Handler]:
    def get(double: CpaDouble, req: Request) -> Reply:
        return json_reply(200, {key: _section(double.config.legacy()).get(key, empty)})

    def put(double: CpaDouble, req: Request) -> Reply:
        ok, value = _value(req)
        if not ok or not isinstance(value, kind):
            return json_reply(400, {"error": "invalid body"})
        _store(double, key, value.strip() if isinstance(value, str) else value)
        return json_reply(200, OK)

    def delete(double: CpaDouble, req: Request) -> Reply:
        _store(double, key, empty)
        return json_reply(200, OK)

    return {"GET": get, "PUT": put, "PATCH": put, "DELETE": delete}


def _list(key: str, ident: str, fields: tuple[str, ...]) -> dict[str, Handler]:
    def valid(items: Any) -> bool:
        return isinstance(items, list) and all(isinstance(i, dict) and isinstance(i.get(ident), str) for i in items)

    def clean(item: dict[str, Any]) -> dict[str, Any]:
        return {f: item[f].strip() if isinstance(item[f], str) else item[f] for f in fields if f in item}

    def current(double: CpaDouble) -> list[dict[str, Any]]:
        return list(_section(double.config.legacy()).get(key) or [])

    def get(double: CpaDouble, req: Request) -> Reply:
        return json_reply(200, {key: current(double) or None})

    def put(double: CpaDouble, req: Request) -> Reply:
        ok, items = _value(req)
        if not ok or not valid(items):
            return json_reply(400, {"error": "invalid body"})
        _store(double, key, [clean(i) for i in items])
        return json_reply(200, OK)

    def patch(double: CpaDouble, req: Request) -> Reply:
        ok, items = _value(req)
        if not ok or not valid(items):
            return json_reply(400, {"error": "invalid body"})
        merged = current(double)
        for item in map(clean, items):
            hits = [i for i, old in enumerate(merged) if old.get(ident) == item[ident]]
            if hits:
                merged[hits[0]] = item
            else:
                merged.append(item)
        _store(double, key, merged)
        return json_reply(200, OK)

    def delete(double: CpaDouble, req: Request) -> Reply:
        ok, names = _value(req) if req.body.size else (True, [])
        if not ok or not isinstance(names, list):
            return json_reply(400, {"error": "invalid body"})
        kept = [i for i in current(double) if names and i.get(ident) not in names]
        _store(double, key, kept)
        return json_reply(200, OK)

    return {"GET": get, "PUT": put, "PATCH": patch, "DELETE": delete}


def _whole(double: CpaDouble, req: Request) -> Reply:
    return json_reply(200, {"ampcode": _section(double.config.legacy())})


AMPCODE_ROUTES: dict[str, dict[str, Handler]] = {
    "/ampcode": {"GET": _whole},
    "/ampcode/upstream-url": _scalar("upstream-url", str, ""),
    "/ampcode/upstream-api-key": _scalar("upstream-api-key", str, ""),
    "/ampcode/force-model-mappings": _scalar("force-model-mappings", bool, False),
    "/ampcode/upstream-api-keys": _list("upstream-api-keys", "upstream-api-key", ("upstream-api-key", "api-keys")),
    "/ampcode/model-mappings": _list("model-mappings", "from", ("from", "to")),
}
