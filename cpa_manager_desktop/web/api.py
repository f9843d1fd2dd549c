"""The Bottle application: error rendering in one place, and the Management Key check as a plugin.

Routes declare `public=True` to skip the key check; every other route requires the key once a setup
exists. Errors always come back as `{"error": "<plain sentence>", "code": "<machine code>"}`.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

import bottle

from cpa_manager_desktop.errors import AppError, BadRequest, Unauthorized
from cpa_manager_desktop.web.security import presented_key

log = logging.getLogger(__name__)
# Bottle keeps bodies above this in a temp file instead of memory; JSON bodies stay small.
bottle.BaseRequest.MEMFILE_MAX = 8 * 1024 * 1024

HTTP_PHRASES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
                405: "Method not allowed", 413: "Request body too large", 428: "Not set up yet",
                500: "Internal error", 502: "CPA could not be reached"}


def json_response(payload: Any, status: int = 200) -> bottle.HTTPResponse:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return bottle.HTTPResponse(body=body, status=status, headers={"Content-Type": "application/json"})


def error_response(status: int, message: str, code: str) -> bottle.HTTPResponse:
    return json_response({"error": message, "code": code}, status)


def read_json_body() -> Any:
    """The request body parsed as JSON, or an AppError with a readable message."""
    raw = bottle.request.body.read()
    if not raw.strip():
        raise BadRequest("The request body is empty; JSON was expected", code="invalid_json")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}", code="invalid_json") from None


class AuthPlugin:
    """Requires the Management Key on non-public routes once the service is set up."""

    name = "auth"
    api = 2

    def __init__(self, is_configured: Callable[[], bool], key_is_valid: Callable[[str | None], bool]) -> None:
        self._is_configured = is_configured
        self._key_is_valid = key_is_valid

    def apply(self, callback: Callable[..., Any], route: bottle.Route) -> Callable[..., Any]:
        if route.config.get("public"):
            return callback

        @functools.wraps(callback)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if self._is_configured() and not self._key_is_valid(presented_key(bottle.request.environ)):
                raise Unauthorized("invalid management key", code="invalid_management_key")
            return callback(*args, **kwargs)

        return guarded


class ErrorPlugin:
    """Turns AppError into its JSON response and anything unexpected into a logged, generic 500."""

    name = "errors"
    api = 2

    def apply(self, callback: Callable[..., Any], route: bottle.Route) -> Callable[..., Any]:
        @functools.wraps(callback)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            try:
                return callback(*args, **kwargs)
            except bottle.HTTPResponse:
                raise
            except AppError as exc:
                return error_response(exc.status, exc.message, exc.code)
            except Exception:
                log.exception("unhandled error method=%s path=%s", bottle.request.method, bottle.request.path)
                return error_response(500, "Internal error; details are in the log", "internal_error")

        return wrapped


def _default_error(error: bottle.HTTPError) -> str:
    """Bottle's own errors (no route, wrong method, body too large) in our JSON shape."""
    status = error.status_code
    bottle.response.content_type = "application/json"
    message = HTTP_PHRASES.get(status, "Error")
    if status == 404:
        message = f"No such endpoint: {bottle.request.method} {bottle.request.path}"
    return json.dumps({"error": message, "code": message.lower().split(":")[0].replace(" ", "_")})


def build_bottle(is_configured: Callable[[], bool], key_is_valid: Callable[[str | None], bool]) -> bottle.Bottle:
    app = bottle.Bottle(catchall=True)
    app.config["json.enable"] = False
    app.install(ErrorPlugin())
    app.install(AuthPlugin(is_configured, key_is_valid))
    app.default_error_handler = _default_error  # type: ignore[method-assign]
    return app
