"""The panel's wire fixtures match what the real server sends (one contract for both sides).

The panel's unit tests read JSON fixtures under panel/src/lib/fixtures/ and run every converter the
panel has (`features/*/api.ts`, `lib/*`) on them. These tests take the same answers from the real
server, fed through the CPA double and the HTTP API only, and fail when their shape (every key path and
its JSON type) drifts from the committed fixture. UPDATE_PANEL_FIXTURES=1 rewrites the fixtures from the
live answers. Lists are cut to a few items so the fixtures stay small; the cut is the same on both sides.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tests.client import call
from tests.conftest import CPA_KEY, wait_until
from tests.cpa_double import CpaDouble, records

FIXTURES = Path(__file__).resolve().parents[1] / "panel" / "src" / "lib" / "fixtures"


def shape(value: Any, path: str = "$") -> set[str]:
    """Every key path with its JSON type; list items merge into one `[]` entry."""
    if isinstance(value, dict):
        found = {f"{path}:object"}
        for key, item in value.items():
            found |= shape(item, f"{path}.{key}")
        return found
    if isinstance(value, list):
        found = {f"{path}:array"}
        for item in value:
            found |= shape(item, f"{path}[]")
        return found
    kind = {bool: "boolean", int: "number", float: "number", str: "string", type(None): "null"}[type(value)]
    return {f"{path}:{kind}"}


def trimmed(value: Any, keep: int = 3) -> Any:
    """value with every list cut to its first `keep` items (the data is seeded, so the cut is stable)."""
    if isinstance(value, dict):
        return {key: trimmed(item, keep) for key, item in value.items()}
    if isinstance(value, list):
        return [trimmed(item, keep) for item in value[:keep]]
    return value


def check_fixture(name: str, live: Any) -> None:
    path = FIXTURES / name
    if os.environ.get("UPDATE_PANEL_FIXTURES") == "1":
        path.write_text(json.dumps(live, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    committed = json.loads(path.read_text(encoding="utf-8"))
    assert shape(live) == shape(committed), f"{name}: the server's answer no longer matches the panel's fixture"


def test_status_fixture_matches_the_server(start_app, cpa: CpaDouble) -> None:
    cpa.enqueue(*(records.make_record(seq=seq) for seq in range(3)))
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY, "USAGE_POLL_INTERVAL_MS": "100"})

    def stored() -> dict[str, Any] | None:
        status = call("GET", f"{app.base_url}/status", key=CPA_KEY).json
        return status if status["events"] == 3 and status["collector"]["queueRetentionSeconds"] else None

    status = wait_until(stored, message="three stored events and a health check")
    assert isinstance(status, dict)
    assert 0 < status["oldestEventAt"] < status["newestEventAt"]
    # Fields that are null or empty on a healthy service would leave their type unrecorded.
    status["collector"]["lastError"] = "CPA answered HTTP 502"
    status["warnings"] = ["CPA is not publishing usage records"]
    # Stable values keep a regenerated fixture's diff to what really changed.
    status["collector"]["upstream"] = "http://127.0.0.1:8317"
    status["paths"] = {name: f"/home/user/cpa-manager/{name}" if isinstance(value, str) else value
                       for name, value in status["paths"].items()}
    check_fixture("status.json", status)
