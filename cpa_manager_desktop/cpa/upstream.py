"""Where and how to reach CPA."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Upstream:
    """Where and how to reach CPA: the saved setup."""

    base_url: str
    management_key: str = field(repr=False)
    queue: str = "usage"
    pop_side: str = "right"
