"""Plain data passed between the HTTP front end and the route handlers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .bodies import BodySummary

JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body_size: int
    body_sha256: str
    # The first MiB of the body, so a test can read what a client sent (a saved config.yaml, a JSON write).
    body: bytes = field(default=b"", repr=False)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class InjectedFailure:
    """One request to answer with ``status``/``body`` instead of handling it, or to drop unanswered."""

    method: str
    path: str
    status: int = 500
    body: Any = None
    drop: bool = False


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    peer: str
    body: BodySummary

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        return json.loads(self.body.head.decode("utf-8"))


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str | None = JSON_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)
    stream: Iterable[bytes] | None = None
    length: int | None = None


def json_reply(status: int, obj: Any) -> Reply:
    # Compact separators: Go's encoder emits no spaces and some clients compare bytes.
    return Reply(status, json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode())


def empty_reply(status: int) -> Reply:
    return Reply(status, b"", None)
