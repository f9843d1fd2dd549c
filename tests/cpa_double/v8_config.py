"""``/v8/management/config…`` (cpa-v8 §4): the persisted v8 tree, addressed by path, with bare JSON values.

Reads show the file as a v8 tree without runtime defaults and never write; the first successful
write rewrites a flat file into the tree (``ConfigStore.edit_v8``). ``null`` is stored, PATCH
deep-merges objects, DELETE prunes empty parents, and a rejected write changes nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .config_file import ConfigRejected, parse, to_plain
from .config_layout import (
    FAMILIES,
    LEGACY_ROOTS,
    MISSING,
    READ_ONLY,
    V8_ROOTS,
    Path,
    delete_path,
    get_path,
    is_v8,
    legacy_target,
    legacy_to_v8,
    set_path,
)
from .config_routes import YAML_TYPE, no_store
from .config_view import FIELD_TYPES, yaml_tag
from .messages import Reply, Request, json_reply

if TYPE_CHECKING:
    from .server import CpaDouble

V8_OK = {"config-version": 8, "status": "ok"}  # gin.H: keys sorted
CONFIG_PREFIX = "/config/"


def _error(status: int, code: str, message: str | None = None) -> Reply:
    body = {"error": code} if message is None else {"error": code, "message": message}
    return json_reply(status, body)


def _json_body(req: Request) -> Any:
    try:
        return req.json()
    except ValueError:
        raise ConfigRejected(400, {"error": "invalid_json"}) from None


def _write(double: CpaDouble, change: Callable[[dict[str, Any]], None]) -> Reply:
    try:
        double.config.edit_v8(change)
    except ConfigRejected as exc:
        return json_reply(exc.status, exc.body)
    return json_reply(200, V8_OK)


# --- validation -------------------------------------------------------------------------------

_V8_TYPES: dict[Path, type] = {
    ("api-keys", FAMILIES[lp[0]]) if lp[0] in FAMILIES else (legacy_target(lp) or lp): kind
    for lp, kind in FIELD_TYPES.items()
}
_V8_TYPES[("api-keys",)] = dict


def check(before: dict[str, Any], after: dict[str, Any], touched: Path) -> None:
    """Refuse legacy names, unknown sections, read-only fields and mistyped values under ``touched``."""
    roots = [touched[0]] if touched else [k for k in after if k != "config-version"]
    for root in roots:
        if root in LEGACY_ROOTS:
            where = legacy_target((root,)) or (("api-keys", FAMILIES[root]) if root in FAMILIES else None)
            hint = f"; use {'.'.join(where)}" if where else ""
            raise ConfigRejected(400, {"error": "invalid_config", "message": (
                f'legacy config field "{root}" is not valid in config-version 8{hint}')})
        if root not in V8_ROOTS and root not in before:
            raise ConfigRejected(400, {"error": "invalid_config", "message": f'unknown config section "{root}"'})
    for field in READ_ONLY:
        if _related(field, touched) and get_path(before, field) != get_path(after, field):
            raise ConfigRejected(400, {"error": "read_only_field", "field": "/".join(field)})
    for path, kind in _V8_TYPES.items():
        if not _related(path, touched):
            continue
        value = get_path(after, path)
        if value is MISSING or value is None or _fits(value, kind):
            continue
        raise ConfigRejected(400, {"error": "invalid_config", "message": (
            f"{'.'.join(path)}: cannot use {yaml_tag(value)[2:]} as {_kind_name(kind)}")})


def _related(a: Path, b: Path) -> bool:
    return a[: len(b)] == b or b[: len(a)] == a


def _fits(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is str:
        return isinstance(value, str)
    return isinstance(value, kind)


def _kind_name(kind: type) -> str:
    return {bool: "bool", int: "int", str: "string", list: "list", dict: "map of provider groups"}[kind]


def deep_merge(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        merged = copy.deepcopy(old)
        for key, value in new.items():
            merged[key] = deep_merge(old.get(key, MISSING), value)
        return merged
    return copy.deepcopy(new)


# --- whole document ---------------------------------------------------------------------------


def get_config(double: CpaDouble, req: Request) -> Reply:
    reply = json_reply(200, double.config.v8_tree())
    reply.headers.append(("Cache-Control", "no-store"))
    return reply


def write_config(double: CpaDouble, req: Request) -> Reply:
    try:
        body = _json_body(req)
    except ConfigRejected as exc:
        return json_reply(exc.status, exc.body)
    if not isinstance(body, dict):
        return _error(400, "config_must_be_object")

    def change(tree: dict[str, Any]) -> None:
        before = copy.deepcopy(tree)
        new = deep_merge(tree, body) if req.method == "PATCH" else {"config-version": 8, **body}
        check(before, new, ())
        tree.clear()
        tree.update(new)

    return _write(double, change)


def delete_config(double: CpaDouble, req: Request) -> Reply:
    return _error(400, "cannot_delete_config")


def get_config_yaml(double: CpaDouble, req: Request) -> Reply:
    return Reply(200, double.config.v8_yaml(), YAML_TYPE, headers=no_store())


def put_config_yaml(double: CpaDouble, req: Request) -> Reply:
    text = req.body.head.decode("utf-8", "replace")
    try:
        doc = parse(text)
    except ConfigRejected as exc:
        return _error(422, "invalid_config", exc.body["message"])
    if not isinstance(doc, dict):
        return _error(422, "invalid_config", "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into map")
    plain = to_plain(doc)
    tree = plain if is_v8(plain) else legacy_to_v8(plain)
    try:
        check({}, tree, ())
    except ConfigRejected as exc:
        return json_reply(exc.status, exc.body)
    if is_v8(plain):
        double.config.write_text(text)  # already a v8 tree: the bytes go in as sent, comments and all
        return json_reply(200, V8_OK)
    return _write(double, lambda current: (current.clear(), current.update(tree)))


# --- one node ---------------------------------------------------------------------------------


def _node_path(req: Request) -> Path | None:
    raw = req.path.split("/v8/management" + CONFIG_PREFIX, 1)[-1]
    segments = tuple(raw.split("/"))
    return None if any(seg == "" for seg in segments) else segments


def node(double: CpaDouble, req: Request) -> Reply:
    path = _node_path(req)
    if path is None:
        return _error(400, "invalid_path")
    if req.method == "GET":
        value = get_path(double.config.v8_tree(), path)
        if value is MISSING:
            return _error(404, "not_found")
        reply = json_reply(200, value)
        reply.headers.append(("Cache-Control", "no-store"))
        return reply
    if req.method == "DELETE":
        return _write(double, lambda tree: _delete(tree, path))
    try:
        body = _json_body(req)
    except ConfigRejected as exc:
        return json_reply(exc.status, exc.body)
    return _write(double, lambda tree: _put(tree, path, body, patch=req.method == "PATCH"))


def _put(tree: dict[str, Any], path: Path, value: Any, *, patch: bool) -> None:
    before = copy.deepcopy(tree)
    for depth in range(1, len(path)):
        parent = get_path(tree, path[:depth])
        if parent is not MISSING and not isinstance(parent, dict):
            raise ConfigRejected(400, {"error": "invalid_path"})  # paths address map keys, never list items
    old = get_path(tree, path)
    set_path(tree, path, deep_merge(old, value) if patch and old is not MISSING else copy.deepcopy(value))
    check(before, tree, path)


def _delete(tree: dict[str, Any], path: Path) -> None:
    before = copy.deepcopy(tree)
    if path == ("config-version",) or not delete_path(tree, path):
        raise ConfigRejected(404, {"error": "not_found"})
    check(before, tree, path)


V8_CONFIG_ROUTES: dict[str, dict[str, Callable[[CpaDouble, Request], Reply]]] = {
    "/config": {"GET": get_config, "PUT": write_config, "PATCH": write_config, "DELETE": delete_config},
    "/config.yaml": {"GET": get_config_yaml, "PUT": put_config_yaml},
}
NODE_METHODS = {"GET": node, "PUT": node, "PATCH": node, "DELETE": node}
