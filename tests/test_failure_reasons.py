"""Failure reasons say something the HTTP status beside them does not (the panel showed "429 429")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.client import call
from tests.conftest import CPA_KEY, wait_until
from tests.cpa_double import CpaDouble, records


def failed(seq: int, provider: str, model: str, body: str | None = None) -> dict[str, Any]:
    record = records.make_record(seq=seq, provider=provider, model=model, failed=True, status_code=429)
    if body is not None:
        record["fail"]["body"] = body
    return record


def test_reasons_do_not_repeat_the_status(start_app: Callable[..., Any], cpa: CpaDouble) -> None:
    cpa.enqueue(
        failed(1, "gemini", "gemini-2.5-pro"),  # {"error": {"code": 429, ..., "status": "RESOURCE_EXHAUSTED"}}
        failed(2, "codex", "gpt-5.4", body="429 Too Many Requests"),
        failed(3, "codex", "gpt-5.4", body='{"error": {"code": 429}}'),
        failed(4, "claude", "claude-sonnet-4-5-20250929"),
    )
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY, "USAGE_POLL_INTERVAL_MS": "100"})
    wait_until(lambda: call("GET", f"{app.base_url}/status", key=CPA_KEY).json["events"] == 4, message="4 events")
    failures = call("GET", f"{app.base_url}/v0/management/analytics/failures", key=CPA_KEY).json
    reasons = sorted((r["status"], r["reason"]) for r in failures["byReason"])
    assert reasons == [(429, "RESOURCE_EXHAUSTED"), (429, "Too Many Requests"), (429, "rate_limit_error"),
                       (429, '{"error": {"code": 429}}')]
