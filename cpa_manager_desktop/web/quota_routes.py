"""Our quota API under /quota/ (CPA v8 owns /v0|v8/management/credentials/quota/*, so nothing here
collides): latest per credential, history over a range, refresh and its progress, our usage inside the
current windows, and every credential's sparkline."""

from __future__ import annotations

import time
from typing import Any

import bottle

from cpa_manager_desktop.analytics.service import token_payload
from cpa_manager_desktop.analytics.window import parse_window
from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.quota.schedule import CredentialSchedule
from cpa_manager_desktop.quota.snapshot import SnapshotView
from cpa_manager_desktop.quota.worker import QuotaCollectorStatus, RefreshProgress
from cpa_manager_desktop.redact import mask_label
from cpa_manager_desktop.service.quota import CredentialQuota, QuotaService
from cpa_manager_desktop.service.quota_usage import MAX_SPARK_DAYS, Sparklines, WindowFigures
from cpa_manager_desktop.web.api import json_response, read_json_body

NS = 1_000_000_000


def register(app: bottle.Bottle, quota: QuotaService) -> None:
    @app.get("/quota/latest")
    def latest() -> Any:
        return json_response({"credentials": [_credential(c) for c in quota.latest()]})

    @app.get("/quota/history")
    def history() -> Any:
        query = bottle.request.query
        auth_index = (query.get("auth_index") or "").strip()
        if not auth_index:
            raise BadRequest("auth_index is required", code="missing_auth_index")
        window = parse_window(query)
        found = quota.history(auth_index, window.start_ns // NS, -(-window.end_ns // NS))
        return json_response({"auth_index": auth_index, "snapshots": [_snapshot(s) for s in found.snapshots],
                              "resets": [{"window": r.window, "at": r.at_s} for r in found.resets]})

    @app.post("/quota/refresh")
    def refresh() -> Any:
        body = read_json_body() if bottle.request.content_length else {}
        if not isinstance(body, dict):
            raise BadRequest('The body must be a JSON object: {"auth_index"?: "..."}', code="invalid_body")
        auth_index = bottle.request.query.get("auth_index") or body.get("auth_index")
        if auth_index is not None and not isinstance(auth_index, str):
            raise BadRequest("auth_index must be a string", code="invalid_auth_index")
        return json_response({"refresh": _progress(quota.refresh(auth_index or None))}, 202)

    @app.get("/quota/status")
    def status() -> Any:
        return json_response(_status(quota.status()))

    @app.get("/quota/usage")
    def usage() -> Any:
        now_s = int(time.time())
        found: dict[str, list[dict[str, Any]]] = {}
        for figures in quota.window_usage(now_s):
            found.setdefault(figures.auth_index, []).append(_figures(figures))
        return json_response({"now": now_s, "credentials": found})

    @app.get("/quota/sparklines")
    def sparklines() -> Any:
        return json_response(_sparklines(quota.sparklines(_days(bottle.request.query.get("days")), int(time.time()))))


def _days(text: str | None) -> int:
    if not text:
        return 7
    if not text.isdigit() or not 1 <= int(text) <= MAX_SPARK_DAYS:
        raise BadRequest(f"days must be a whole number from 1 to {MAX_SPARK_DAYS}", code="invalid_days")
    return int(text)


def _figures(f: WindowFigures) -> dict[str, Any]:
    t = f.totals
    return {"window": f.window, "start": f.start_s, "end": f.end_s, "requests": t.requests,
            "failures": t.sums["failures"], "tokens": token_payload(t.sums)["total"],
            "cost_usd": round(t.cost_usd, 6), "unpriced_requests": t.unpriced_requests}


def _sparklines(s: Sparklines) -> dict[str, Any]:
    return {"start": s.start_s, "end": s.end_s, "bucket_seconds": s.bucket_s,
            "credentials": {index: {key: [None if v is None else round(v, 1) for v in values]
                                    for key, values in windows.items()}
                            for index, windows in s.series.items()}}


def _credential(c: CredentialQuota) -> dict[str, Any]:
    return {"auth_index": c.auth_index, "provider": c.provider, "label": mask_label(c.label),
            "snapshot": _snapshot(c.snapshot) if c.snapshot else None,
            "schedule": _schedule(c.schedule) if c.schedule else None}


def _snapshot(s: SnapshotView) -> dict[str, Any]:
    out: dict[str, Any] = {
        "at": s.at_s, "state": s.state, "plan": s.plan,
        "windows": [{"key": w.key, "used_percent": w.used_percent, "resets_at": w.resets_at_s,
                     "window_seconds": w.window_s} for w in s.windows]}
    if s.credits is not None:
        out["credits"] = {"has_credits": s.credits[0], "unlimited": s.credits[1], "balance": s.credits[2]}
    if s.detail is not None:
        out["detail"] = s.detail
    return out


def _schedule(e: CredentialSchedule) -> dict[str, Any]:
    return {"next_check": None if e.stopped else int(e.due_s), "stopped": e.stopped,
            "last_checked": int(e.last_checked_s) if e.last_checked_s else None, "last_state": e.last_state,
            "backoff_seconds": int(e.backoff_s)}


def _progress(p: RefreshProgress) -> dict[str, Any]:
    return {"total": p.total, "done": p.done, "running": p.running, "requested_at": p.requested_s,
            "finished_at": p.finished_s}


def _status(s: QuotaCollectorStatus) -> dict[str, Any]:
    return {"state": s.state, "interval_seconds": s.interval_s, "last_error": s.last_error,
            "last_pass": s.last_pass_s, "next_check": s.next_due_s, "refresh": _progress(s.refresh),
            "credentials": len(s.credentials), "stopped": sum(1 for e in s.credentials if e.stopped)}
