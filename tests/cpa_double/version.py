"""CPA version strings as the X-CPA-VERSION header carries them."""

from __future__ import annotations

import re

VERSION_RE = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def parse_version(version: str) -> tuple[int, int, int] | None:
    """``v7.2.140`` / ``8.0.47`` → a tuple; ``dev`` and other non-numbers → None (cpa-v8 §8)."""
    match = VERSION_RE.match(version.strip())
    if not match:
        return None
    return tuple(int(part or 0) for part in match.groups())  # type: ignore[return-value]
