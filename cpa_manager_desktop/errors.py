"""Typed errors. Each carries the HTTP status it maps to; the web layer renders them in one place."""

from __future__ import annotations


class AppError(Exception):
    """Base for errors whose message is a plain sentence safe to show to a user."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class ConfigError(AppError):
    """A setting has an invalid value; the message names the setting."""

    status = 500
    code = "invalid_config"


class BadRequest(AppError):
    status = 400
    code = "bad_request"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class Conflict(AppError):
    status = 409
    code = "conflict"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"


class TooManyRequests(AppError):
    status = 429
    code = "too_many_requests"


class UpstreamError(AppError):
    """CPA answered badly or could not be reached."""

    status = 502
    code = "upstream_error"


class StoreClosed(AppError):
    code = "store_closed"
