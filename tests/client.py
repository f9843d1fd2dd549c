"""A tiny HTTP client for tests: status, headers and decoded JSON in one value."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import urllib3

_pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=5, read=30))


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def call(method: str, url: str, *, key: str | None = None, json_body: Any = None, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> Reply:
    sent = dict(headers or {})
    if key is not None:
        sent["Authorization"] = f"Bearer {key}"
    if json_body is not None:
        body = json.dumps(json_body).encode()
        sent.setdefault("Content-Type", "application/json")
    response = _pool.request(method, url, body=body, headers=sent, redirect=False)
    return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, response.data)


def assert_error(reply: Reply, status: int, message_start: str) -> None:
    """Errors are JSON {"error": sentence, "code": machine code}, nothing else."""
    assert reply.status == status, (reply.status, reply.body)
    assert reply.headers["content-type"].startswith("application/json")
    payload = reply.json
    assert set(payload) == {"error", "code"}, payload
    assert payload["error"].startswith(message_start), payload["error"]
