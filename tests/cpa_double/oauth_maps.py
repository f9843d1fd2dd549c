"""``/oauth-excluded-models`` and ``/oauth-model-alias`` with CPA's normalisation (cpa-management-api §4).

Both maps live in config.yaml (flat keys, or ``oauth/excluded-models`` and ``oauth/model-alias`` on a v8 file,
which ``edit_legacy`` takes care of). On a v8 double the v0 routes stay (cpa-v8 §3).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .config_layout import set_path
from .messages import Reply, Request, json_reply

if TYPE_CHECKING:
    from .server import CpaDouble

Handler = Callable[["CpaDouble", Request], Reply]
OK = {"status": "ok"}


def normalise_excluded(models: Any) -> list[str]:
    out: list[str] = []
    for model in models if isinstance(models, list) else []:
        text = str(model).strip().lower() if isinstance(model, str) else ""
        if text and text not in out:
            out.append(text)
    return out


def normalise_aliases(aliases: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in aliases if isinstance(aliases, list) else []:
        if not isinstance(item, dict):
            continue
        name, alias = str(item.get("name", "")).strip(), str(item.get("alias", "")).strip()
        if not name or not alias or name.lower() == alias.lower() or alias.lower() in seen:
            continue
        seen.add(alias.lower())
        entry: dict[str, Any] = {"name": name, "alias": alias}
        for key in ("fork", "display-name", "force-mapping"):
            if item.get(key) not in (None, "", False):
                entry[key] = item[key]
        out.append(entry)
    return out


class MapKind:
    def __init__(self, key: str, field: str, item: str, normalise: Callable[[Any], list[Any]]) -> None:
        self.key, self.field, self.item, self.normalise = key, field, item, normalise

    def read(self, double: CpaDouble) -> dict[str, list[Any]]:
        raw = double.config.legacy().get(self.key)
        return dict(raw) if isinstance(raw, dict) else {}

    def write(self, double: CpaDouble, value: dict[str, list[Any]]) -> None:
        clean = {k: v for k, v in sorted(value.items()) if v}
        double.config.edit_legacy(lambda legacy: set_path(legacy, (self.key,), clean))

    def clean_map(self, raw: Any) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for key, value in (raw.items() if isinstance(raw, dict) else []):
            name = str(key).strip().lower()
            items = self.normalise(value)
            if name and items:
                out[name] = items
        return out


EXCLUDED = MapKind("oauth-excluded-models", "provider", "models", normalise_excluded)
ALIAS = MapKind("oauth-model-alias", "channel", "aliases", normalise_aliases)


def _body(req: Request) -> Any:
    try:
        return json.loads(req.body.head or b"null")
    except ValueError:
        return None


def _handlers(kind: MapKind) -> dict[str, Handler]:
    def get(double: CpaDouble, req: Request) -> Reply:
        value = kind.read(double)
        return json_reply(200, {kind.key: value or None})

    def put(double: CpaDouble, req: Request) -> Reply:
        body = _body(req)
        if isinstance(body, dict) and isinstance(body.get("items"), dict):
            body = body["items"]
        if not isinstance(body, dict):
            return json_reply(400, {"error": "invalid body"})
        kind.write(double, kind.clean_map(body))
        return json_reply(200, OK)

    def patch(double: CpaDouble, req: Request) -> Reply:
        body = _body(req)
        if not isinstance(body, dict):
            return json_reply(400, {"error": "invalid body"})
        raw_key = body.get(kind.field, body.get("provider", ""))
        key = str(raw_key or "").strip().lower()
        if not key:
            return json_reply(400, {"error": f"invalid {kind.field}"})
        current = kind.read(double)
        items = kind.normalise(body.get(kind.item))
        if not items:
            if key not in current:
                return json_reply(404, {"error": f"{kind.field} not found"})
            current.pop(key)
        else:
            current[key] = items
        kind.write(double, current)
        return json_reply(200, OK)

    def delete(double: CpaDouble, req: Request) -> Reply:
        key = (req.arg(kind.field) or req.arg("provider") or "").strip().lower()
        if not key:
            return json_reply(400, {"error": f"missing {kind.field}"})
        current = kind.read(double)
        if key not in current:
            return json_reply(404, {"error": f"{kind.field} not found"})
        current.pop(key)
        kind.write(double, current)
        return json_reply(200, OK)

    return {"GET": get, "PUT": put, "PATCH": patch, "DELETE": delete}


OAUTH_MAP_ROUTES: dict[str, dict[str, Handler]] = {
    "/oauth-excluded-models": _handlers(EXCLUDED),
    "/oauth-model-alias": _handlers(ALIAS),
}
