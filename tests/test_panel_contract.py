"""The panel's wire fixtures match what the real server sends (one contract for both sides).

The panel's unit tests read JSON fixtures under panel/src/lib/fixtures/. This test takes the same
answers from the real server and fails when their shape (every key path and its JSON type) drifts
from the committed fixture. UPDATE_PANEL_FIXTURES=1 rewrites the fixtures from the live answers.
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
    # Fields that are null or empty on a healthy service would leave their type unrecorded.
    status["collector"]["lastError"] = "CPA answered HTTP 502"
    status["warnings"] = status["collector"]["warnings"] = ["CPA is not publishing usage records"]
    # Stable values keep a regenerated fixture's diff to what really changed.
    status["collector"]["upstream"] = "http://127.0.0.1:8317"
    status["paths"] = {name: f"/home/user/cpa-manager/{name}" if isinstance(value, str) else value
                       for name, value in status["paths"].items()}
    check_fixture("status.json", status)
