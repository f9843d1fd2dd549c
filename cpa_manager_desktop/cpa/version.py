"""CPA's version as its X-CPA-VERSION header carries it (cpa-v8 §8): `7.2.140` from release archives,
`v7.2.140` from Docker images, `dev` from source builds."""

from __future__ import annotations

import re

_VERSION = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def parse_cpa_version(text: str | None) -> tuple[int, int, int] | None:
    """`v8.0.47` → (8, 0, 47); `dev`, empty or missing → None (unknown: assume nothing)."""
    match = _VERSION.match((text or "").strip())
    if match is None:
        return None
    major, minor, patch = (int(part or 0) for part in match.groups())
    return major, minor, patch
