"""What the collector needs from a queue transport (cpa.api.HttpQueueSource, cpa.resp.RespQueueSource).
The errors a transport may raise are in cpa/errors.py."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from cpa_manager_desktop.cpa.api import items_from_body


class QueueSource(Protocol):
    transport: str

    def pop(self, count: int) -> list[Any]:
        """Destructively pop up to count items, oldest first. Raises a SourceError subclass."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class RawQueueSource(QueueSource, Protocol):
    def pop_raw(self, count: int) -> list[bytes]:
        """Pop as pop() does, returning the bytes as received: the HTTP body, or one value per RESP
        record; [] when nothing was popped. items_of() decodes them."""
        ...


def items_of(transport: str, payloads: list[bytes]) -> list[Any]:
    """Queue items from raw payloads, live or replayed from the journal."""
    if transport == "http":
        return [item for body in payloads for item in items_from_body(body)]
    return list(payloads)
