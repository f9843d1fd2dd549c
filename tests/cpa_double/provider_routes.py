"""``/<family>`` GET/PUT/PATCH/DELETE for provider keys (cpa-management-api §3.2–§3.5).

Every write is one read-modify-write of config.yaml under the store's lock, so two clients
editing at once interleave whole requests, as CPA's handler mutex makes them. On a v8 file the
lists are the flattened view of the ``api-keys`` groups and a write regroups them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .config_routes import OK
from .messages import Reply, Request, json_reply
from .provider_rules import (
    GEMINI_LIKE,
    MAX_WEIGHT,
    NEEDS_BASE_URL,
    EntryError,
    binds,
    normalise,
    normalise_list,
    shown,
)

if TYPE_CHECKING:
    from .server import CpaDouble

Handler = Callable[["CpaDouble", Request], Reply]
_SCAN_INT = re.compile(r"^\s*([+-]?\d+)")
_GEMINI_PATCH = frozenset({"api-key", "weight", "prefix", "base-url", "proxy-url", "headers", "excluded-models",
                           "disable-cooling", "request-retry", "request-scoped-errors"})
PATCHABLE: dict[str, frozenset[str]] = {
    "gemini-api-key": _GEMINI_PATCH,
    "interactions-api-key": _GEMINI_PATCH,
    "meta-api-key": _GEMINI_PATCH,
    "claude-api-key": _GEMINI_PATCH | {"fingerprint-profile", "models", "rebuild-mid-system-message"},
    "codex-api-key": _GEMINI_PATCH | {"models", "alpha-search"},
    "xai-api-key": _GEMINI_PATCH | {"models", "priority", "websockets"},
    "vertex-api-key": (_GEMINI_PATCH - {"request-scoped-errors"}) | {"models"},
    "openai-compatibility": frozenset({"name", "prefix", "disabled", "base-url", "api-key-entries", "models",
                                       "headers", "support-prompt-cache-key", "disable-cooling", "request-retry",
                                       "request-scoped-errors"}),
}
V0_FAMILIES = tuple(f for f in PATCHABLE if f != "meta-api-key")


class Refusal(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.reply = json_reply(status, {"error": error})


def scan_int(raw: str | None) -> int | None:
    """Go's ``fmt.Sscanf(s, "%d")``: ``1abc`` reads as 1."""
    match = _SCAN_INT.match(raw or "")
    return int(match.group(1)) if match else None


def entries_of(legacy: dict[str, Any], family: str) -> list[dict[str, Any]]:
    value = legacy.get(family)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _edit(double: CpaDouble, family: str, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> Reply:
    def apply(legacy: dict[str, Any]) -> None:
        legacy[family] = change(entries_of(legacy, family))

    try:
        double.config.edit_legacy(apply)
    except Refusal as exc:
        return exc.reply
    return json_reply(200, OK)


def _body(req: Request) -> Any:
    try:
        return req.json()
    except ValueError:
        raise Refusal(400, "invalid body") from None


# --- handlers -------------------------------------------------------------------------------------


def family_routes(family: str) -> dict[str, Handler]:
    def get(double: CpaDouble, req: Request) -> Reply:
        return json_reply(200, {family: shown(family, entries_of(double.config.legacy(), family))})

    def put(double: CpaDouble, req: Request) -> Reply:
        try:
            body = _body(req)
        except Refusal as exc:
            return exc.reply
        items = body.get("items") if isinstance(body, dict) else body
        if not isinstance(items, list) or (isinstance(body, dict) and not items) or not all(map(binds, items)):
            return json_reply(400, {"error": "invalid body"})
        try:
            entries = normalise_list(family, items)
        except EntryError as exc:
            return json_reply(400, {"error": str(exc)})
        return _edit(double, family, lambda _: entries)

    def patch(double: CpaDouble, req: Request) -> Reply:
        try:
            body = _body(req)
            if not isinstance(body, dict) or not isinstance(body.get("value"), dict):
                raise Refusal(400, "invalid body")
        except Refusal as exc:
            return exc.reply
        return _edit(double, family, lambda entries: _patched(family, entries, body, req.arg("base-url")))

    def delete(double: CpaDouble, req: Request) -> Reply:
        return _edit(double, family, lambda entries: _deleted(family, entries, req))

    return {"GET": get, "PUT": put, "PATCH": patch, "DELETE": delete}


def _target(family: str, entries: list[dict[str, Any]], body: dict[str, Any], base_url: str | None) -> int:
    index = body.get("index")
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(entries):
        return index
    if family == "openai-compatibility":
        name = body.get("name")
        hits = [i for i, e in enumerate(entries) if name is not None and e.get("name") == name]
    elif family in GEMINI_LIKE:
        match = body.get("match")
        hits = [i for i, e in enumerate(entries) if isinstance(match, str)
                and str(e.get("api-key") or "").strip() == match.strip()
                and (base_url is None or str(e.get("base-url") or "") == base_url)]
        if len(hits) > 1:
            raise Refusal(400, "multiple items match; index is required")
    else:
        match = body.get("match")
        hits = [i for i, e in enumerate(entries) if match is not None and e.get("api-key") == match]
    if not hits:
        raise Refusal(404, "item not found")
    return hits[0]


def _patched(family: str, entries: list[dict[str, Any]], body: dict[str, Any],
             base_url: str | None) -> list[dict[str, Any]]:
    index = _target(family, entries, body, base_url)
    entry = dict(entries[index])
    for field, value in body["value"].items():
        if field not in PATCHABLE[family]:
            continue  # not patchable: ignored
        if field == "weight":
            if value is None:
                entry.pop("weight", None)
            elif not isinstance(value, int) or isinstance(value, bool):
                raise Refusal(400, "weight must be an integer")
            elif value > MAX_WEIGHT:
                raise Refusal(400, f"weight must not exceed {MAX_WEIGHT}")
            else:
                entry["weight"] = value
        elif field == "disable-cooling":
            if value is None:
                entry.pop("disable-cooling", None)  # null removes the override
            elif not isinstance(value, bool):
                raise Refusal(400, "disable-cooling must be a boolean or null")
            else:
                entry["disable-cooling"] = value
        elif value is not None:
            if not binds({field: value}):
                raise Refusal(400, "invalid body")
            entry[field] = value
    entry = normalise(family, entry)
    out = list(entries)
    if _emptied(family, entry):
        del out[index]
    else:
        out[index] = entry
    return out


def _emptied(family: str, entry: dict[str, Any]) -> bool:
    if family in GEMINI_LIKE:
        return not entry.get("api-key") and not entry.get("base-url")
    if family in NEEDS_BASE_URL:
        return not entry.get("base-url")
    if family == "vertex-api-key":
        return not entry.get("api-key")
    return False


def _deleted(family: str, entries: list[dict[str, Any]], req: Request) -> list[dict[str, Any]]:
    index = scan_int(req.arg("index"))
    by_index = index is not None and 0 <= index < len(entries)
    if family == "openai-compatibility":
        if "name" in req.query:
            return [e for e in entries if e.get("name") != req.arg("name")]
        if not by_index:
            raise Refusal(400, "missing name or index")
        return [e for i, e in enumerate(entries) if i != index]
    if "api-key" not in req.query:
        if not by_index:
            raise Refusal(400, "missing api-key or index")
        return [e for i, e in enumerate(entries) if i != index]
    key, base = req.arg("api-key") or "", req.arg("base-url")
    gemini = family in GEMINI_LIKE
    hits = [i for i, e in enumerate(entries)
            if (str(e.get("api-key") or "").strip() == key.strip() if gemini else e.get("api-key", "") == key)
            and (base is None or str(e.get("base-url") or "") == base)]
    if base is not None and not gemini:
        return [e for i, e in enumerate(entries) if i not in hits]  # all matches, 200 even for none
    if len(hits) > 1:
        raise Refusal(400, "multiple items match; index is required" if base is not None
                      else "multiple items match api-key; base-url is required")
    if not hits:
        if gemini:
            raise Refusal(404, "item not found")
        return entries
    return [e for i, e in enumerate(entries) if i != hits[0]]


PROVIDER_ROUTES: dict[str, dict[str, Handler]] = {f"/{family}": family_routes(family) for family in V0_FAMILIES}
META_ROUTE = {"/meta-api-key": family_routes("meta-api-key")}  # v0 addition seen in v8 code (cpa-v8 §3)
