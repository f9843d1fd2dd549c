"""v0 configuration handlers (cpa-management-api §1): ``/config``, ``/config.yaml``, the single-field
setters of §1.4 and ``/latest-version``. All of them read and write the double's config.yaml file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .config_file import ConfigRejected
from .config_layout import MISSING, Path, get_path, set_path
from .config_view import normalise_strategy
from .messages import Reply, Request, json_reply

if TYPE_CHECKING:
    from .server import CpaDouble

Handler = Callable[["CpaDouble", Request], Reply]
YAML_TYPE = "application/yaml; charset=utf-8"
GITHUB_LATEST = "https://api.github.com/repos/router-for-me/CLIProxyAPI/releases/latest"
OK = {"status": "ok"}


def config_json(double: CpaDouble, req: Request) -> Reply:
    return json_reply(200, double.config.runtime())


def config_yaml(double: CpaDouble, req: Request) -> Reply:
    try:
        raw = double.config.read_bytes()
    except FileNotFoundError:
        return json_reply(404, {"error": "not_found", "message": "config file not found"})
    return Reply(200, raw, YAML_TYPE, headers=no_store())


def no_store() -> list[tuple[str, str]]:
    return [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]


def put_config_yaml(double: CpaDouble, req: Request) -> Reply:
    try:
        double.config.put_text(req.body.head.decode("utf-8", "replace"))
    except ConfigRejected as exc:
        return json_reply(exc.status, exc.body)
    return json_reply(200, {"changed": ["config"], "ok": True})


def latest_version(double: CpaDouble, req: Request) -> Reply:
    if double.latest_version is None:
        # What every offline install gets (§1.5): the GitHub lookup fails.
        message = f'Get "{GITHUB_LATEST}": dial tcp: lookup api.github.com: no such host'
        return json_reply(502, {"error": "request_failed", "message": message})
    return json_reply(200, {"latest-version": double.latest_version})


# --- single-field setters (§1.4) ------------------------------------------------------------


def _typed_value(req: Request, kind: type) -> tuple[bool, Any]:
    """Go binding: ``{"value": <kind>}``, strict on types; a missing or null value fails."""
    try:
        body = req.json()
    except ValueError:
        return False, None
    if not isinstance(body, dict):
        return False, None
    # Gin matches JSON field names case-insensitively.
    values = [v for k, v in body.items() if k.lower() == "value"]
    if not values:
        return False, None
    value = values[-1]
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    return isinstance(value, kind), value


def setter(path: Path, kind: type, get_key: str | None = None,
           store: Callable[[Any], Any] | None = None) -> dict[str, Handler]:
    """GET ``{"<name>": value}`` from the runtime view; PUT/PATCH ``{"value": …}`` into the file."""
    name = get_key or path[-1]

    def get(double: CpaDouble, req: Request) -> Reply:
        value = get_path(double.config.runtime(), path)
        return json_reply(200, {name: value})

    def put(double: CpaDouble, req: Request) -> Reply:
        ok, value = _typed_value(req, kind)
        if not ok:
            return json_reply(400, {"error": "invalid body"})
        if store is not None:
            value = store(value)
        double.config.edit_legacy(lambda legacy: set_path(legacy, path, value))
        return json_reply(200, OK)

    return {"GET": get, "PUT": put, "PATCH": put}


def _strategy_routes() -> dict[str, Handler]:
    routes = setter(("routing", "strategy"), str, "strategy")

    def get(double: CpaDouble, req: Request) -> Reply:
        raw = get_path(double.config.legacy(), ("routing", "strategy"))
        text = "" if raw is MISSING or raw is None else str(raw)
        # An unknown YAML value is shown trimmed rather than normalised.
        return json_reply(200, {"strategy": normalise_strategy(text) or text.strip()})

    def put(double: CpaDouble, req: Request) -> Reply:
        ok, value = _typed_value(req, str)
        if not ok:
            return json_reply(400, {"error": "invalid body"})
        canonical = normalise_strategy(value)
        if canonical is None:
            return json_reply(400, {"error": "invalid strategy"})
        double.config.edit_legacy(lambda legacy: set_path(legacy, ("routing", "strategy"), canonical))
        return json_reply(200, OK)

    return {**routes, "GET": get, "PUT": put, "PATCH": put}


def _delete_proxy_url(double: CpaDouble, req: Request) -> Reply:
    double.config.edit_legacy(lambda legacy: set_path(legacy, ("proxy-url",), ""))
    return json_reply(200, OK)


CONFIG_ROUTES: dict[str, dict[str, Handler]] = {
    "/config": {"GET": config_json},
    "/config.yaml": {"GET": config_yaml, "PUT": put_config_yaml},
    "/latest-version": {"GET": latest_version},
    **{f"/{key}": setter((key,), bool) for key in (
        "debug", "logging-to-file", "usage-statistics-enabled", "request-log", "ws-auth", "force-model-prefix")},
    "/quota-exceeded/switch-project": setter(("quota-exceeded", "switch-project"), bool),
    "/quota-exceeded/switch-preview-model": setter(("quota-exceeded", "switch-preview-model"), bool),
    **{f"/{key}": setter((key,), int) for key in ("request-retry", "max-retry-credentials", "max-retry-interval")},
    "/logs-max-total-size-mb": setter(("logs-max-total-size-mb",), int, store=lambda v: max(v, 0)),
    "/error-logs-max-files": setter(("error-logs-max-files",), int, store=lambda v: 10 if v < 0 else v),
    "/proxy-url": {**setter(("proxy-url",), str), "DELETE": _delete_proxy_url},
    "/routing/strategy": _strategy_routes(),
}
