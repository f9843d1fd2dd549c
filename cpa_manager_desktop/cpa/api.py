"""CPA's management API over a kept-alive urllib3 pool: the HTTP usage queue and health checks."""

from __future__ import annotations

import gc
import json
import logging
from typing import Any
from urllib.parse import urlsplit

import urllib3

from cpa_manager_desktop.cpa.errors import (
    AuthRejected,
    CallTimedOut,
    QueueUnsupported,
    SourceUnavailable,
    explain_auth_failure,
)
from cpa_manager_desktop.cpa.jsonarray import BadElement, NotAnArray, parse_array
from cpa_manager_desktop.cpa.upstream import Upstream

log = logging.getLogger(__name__)
MANAGEMENT_PREFIX = "/v0/management"
V8_PREFIX = "/v8/management"
VERSION_HEADER = "X-CPA-VERSION"
DEFAULT_RETENTION_S = 60
UNSUPPORTED_STATUSES = frozenset({404, 405, 501})


def normalise_base_url(text: str) -> str:
    """`host:8317/v0/management/` → `http://host:8317`. Raises ValueError for what is not a URL."""
    url = text.strip()
    if not url:
        raise ValueError("the CPA URL is empty")
    if "://" not in url:
        url = "http://" + url
    url = url.rstrip("/")
    for suffix in (MANAGEMENT_PREFIX, "/v0"):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{text.strip()!r} is not an http(s) URL")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValueError(f"{text.strip()!r} has an invalid port") from None
    return url.rstrip("/")


def make_pool(*, tls_skip_verify: bool, maxsize: int = 4) -> urllib3.PoolManager:
    return urllib3.PoolManager(
        maxsize=maxsize,
        retries=False,
        timeout=urllib3.Timeout(connect=5.0, read=15.0),
        cert_reqs="CERT_NONE" if tls_skip_verify else "CERT_REQUIRED",
    )


class ApiStatusError(SourceUnavailable):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class CpaApi:
    def __init__(self, upstream: Upstream, pool: urllib3.PoolManager) -> None:
        self.upstream = upstream
        self._pool = pool

    def _request(self, method: str, path: str, *, timeout_s: float | None = None,
                 body: bytes | None = None, prefix: str = MANAGEMENT_PREFIX) -> urllib3.BaseHTTPResponse:
        url = f"{self.upstream.base_url}{prefix}{path}"
        headers = {"Authorization": f"Bearer {self.upstream.management_key}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            return self._pool.request(
                method, url, headers=headers, body=body, preload_content=True,
                timeout=urllib3.Timeout(connect=5.0, read=timeout_s) if timeout_s else None,
            )
        except urllib3.exceptions.ReadTimeoutError:
            # Same sentence as before; the type lets a caller with its own deadline tell a timeout apart.
            raise CallTimedOut(f"Cannot reach CPA at {self.upstream.base_url}: timed out") from None
        except urllib3.exceptions.HTTPError as exc:
            raise SourceUnavailable(f"Cannot reach CPA at {self.upstream.base_url}: {_reason(exc)}") from None

    def get_json(self, path: str, *, timeout_s: float | None = None, prefix: str = MANAGEMENT_PREFIX) -> Any:
        return self.get_json_versioned(path, timeout_s=timeout_s, prefix=prefix)[0]

    def get_json_versioned(self, path: str, *, timeout_s: float | None = None,
                           prefix: str = MANAGEMENT_PREFIX) -> tuple[Any, str | None]:
        """get_json, and the X-CPA-VERSION CPA sent with the answer (None without one)."""
        response = self._request("GET", path, timeout_s=timeout_s, prefix=prefix)
        self._raise_for_status(response, path)
        return _json_of(response, path), response.headers.get(VERSION_HEADER)

    def post_json(self, path: str, value: Any, *, timeout_s: float | None = None,
                  prefix: str = MANAGEMENT_PREFIX) -> Any:
        """POST a JSON body and return the decoded JSON answer (errors as for get_json)."""
        response = self._request("POST", path, timeout_s=timeout_s, body=json.dumps(value).encode("utf-8"),
                                 prefix=prefix)
        self._raise_for_status(response, path)
        return _json_of(response, path)

    def patch_json(self, path: str, value: Any, *, timeout_s: float | None = None) -> Any:
        """PATCH a JSON body and return the decoded JSON answer (errors as for get_json)."""
        response = self._request("PATCH", path, timeout_s=timeout_s, body=json.dumps(value).encode("utf-8"))
        self._raise_for_status(response, path)
        return _json_or_none(response.data)

    def delete(self, path: str, *, timeout_s: float | None = None) -> Any:
        """DELETE and return the decoded JSON answer, if any (errors as for get_json)."""
        response = self._request("DELETE", path, timeout_s=timeout_s)
        self._raise_for_status(response, path)
        return _json_or_none(response.data)

    def _raise_for_status(self, response: urllib3.BaseHTTPResponse, path: str) -> None:
        status = response.status
        if 200 <= status < 300:
            return
        detail = _error_detail(response.data)
        if status in (401, 403):
            raise AuthRejected(explain_auth_failure(detail or str(status)), is_bad_key=status == 401)
        if status in UNSUPPORTED_STATUSES and path.startswith("/usage-queue"):
            raise QueueUnsupported(f"CPA has no HTTP usage queue (HTTP {status}); it is older than v6.10.8")
        suffix = f": {detail}" if detail else ""
        raise ApiStatusError(status, f"CPA answered {path.split('?')[0]} with HTTP {status}{suffix}")

    def pop_usage_body(self, count: int) -> bytes:
        """Pop up to count records and return the response body as received, before any parsing."""
        response = self._request("GET", f"/usage-queue?count={count}")
        self._raise_for_status(response, "/usage-queue")
        return response.data or b""

    def usage_statistics_enabled(self) -> bool | None:
        value = self.get_json("/usage-statistics-enabled")
        flag = value.get("usage-statistics-enabled") if isinstance(value, dict) else None
        return flag if isinstance(flag, bool) else None

    def queue_retention_s(self) -> int:
        config = self.get_json("/config")
        value = config.get("redis-usage-queue-retention-seconds") if isinstance(config, dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return min(value, 3600)
        return DEFAULT_RETENTION_S


def _json_of(response: urllib3.BaseHTTPResponse, path: str) -> Any:
    try:
        return json.loads(response.data or b"null")
    except ValueError:
        raise SourceUnavailable(f"CPA answered {path} with something that is not JSON") from None


def items_from_body(body: bytes) -> list[Any]:
    """The records of a usage-queue body. A 200 whose body is not a JSON array is returned as one raw
    item, because CPA has already dropped those records and the body is all that is left of them."""
    try:
        items = parse_json_without_gc(body)
    except (ValueError, RecursionError):
        return _items_one_by_one(body)
    if isinstance(items, list):
        return [item for item in items if item is not None]
    return [body]


def is_empty_body(body: bytes) -> bool:
    return body.strip() in (b"", b"[]")


def parse_json_without_gc(data: bytes) -> Any:
    """json.loads with the cyclic GC paused: a large batch allocates so many containers that GC passes
    dominated parsing (48 MB/s instead of ~150 MB/s measured), and parsed JSON holds no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(data)
    finally:
        if was_enabled:
            gc.enable()


def _items_one_by_one(body: bytes) -> list[Any]:
    """The array read element by element, after reading it whole failed: a record that cannot be
    decoded is returned as its text (the collector dead-letters it) and the others are kept."""
    try:
        items = parse_array(body)
    except NotAnArray:
        log.warning("usage queue answered a non-JSON body bytes=%d", len(body))
        return [body]
    bad = sum(isinstance(item, BadElement) for item in items)
    log.warning("usage queue batch had unreadable records bad=%d of=%d", bad, len(items))
    return [item.text.encode("utf-8") if isinstance(item, BadElement) else item
            for item in items if item is not None]


def _json_or_none(data: bytes | None) -> Any:
    try:
        return json.loads(data or b"null")
    except ValueError:
        return None


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    text = str(reason)
    if "Connection refused" in text:
        return "connection refused"
    if "timed out" in text.lower():
        return "timed out"
    if "Name or service not known" in text or "getaddrinfo" in text:
        return "host name not found"
    return text.split(": ", 1)[-1][:200]


def _error_detail(body: bytes | None) -> str:
    if not body:
        return ""
    try:
        value = json.loads(body)
    except ValueError:
        return ""
    if isinstance(value, dict) and isinstance(value.get("error"), str):
        return value["error"][:300]
    return ""


class HttpQueueSource:
    transport = "http"

    def __init__(self, api: CpaApi) -> None:
        self._api = api

    def pop(self, count: int) -> list[Any]:
        raw = self.pop_raw(count)
        return items_from_body(raw[0]) if raw else []

    def pop_raw(self, count: int) -> list[bytes]:
        """The popped body as received ([] when the queue was empty), for the journal before parsing."""
        body = self._api.pop_usage_body(count)
        return [] if is_empty_body(body) else [body]

    def close(self) -> None:
        """The pool belongs to the collector and outlives a source; nothing to release here."""
