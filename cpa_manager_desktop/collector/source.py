"""What the collector needs from a queue transport (cpa.api.HttpQueueSource, cpa.resp.RespQueueSource).
The errors a transport may raise are in cpa/errors.py."""

from __future__ import annotations

from typing import Any, Protocol


class QueueSource(Protocol):
    transport: str

    def pop(self, count: int) -> list[Any]:
        """Destructively pop up to count items, oldest first. Raises a SourceError subclass."""
        ...

    def close(self) -> None: ...
