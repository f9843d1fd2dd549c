"""Our Codex inspection API under /inspection/ (nothing of CPA's lives there): start a dry run (202),
list past runs, one run with results and progress, cancel, and execute one result or all with
`confirm: true`."""

from __future__ import annotations

from typing import Any

import bottle

from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.quota.inspection import RunNotFound, RunProgress
from cpa_manager_desktop.quota.inspection_actions import Executed
from cpa_manager_desktop.quota.inspection_rules import InspectionSettings
from cpa_manager_desktop.service.inspection import InspectionService, ResultView, RunSummary
from cpa_manager_desktop.web.api import json_response, read_json_body

# JSON name → InspectionSettings field
SETTING_NAMES = {"workers": "workers", "timeout_seconds": "timeout_s", "threshold_percent": "threshold_percent",
                 "sample_size": "sample_size"}


def register(app: bottle.Bottle, inspection: InspectionService) -> None:
    @app.post("/inspection/runs")
    def start() -> Any:
        body = read_json_body() if bottle.request.content_length else {}
        return json_response({"run": _summary(inspection.start(_settings(body)))}, 202)

    @app.get("/inspection/runs")
    def runs() -> Any:
        return json_response({"runs": [_summary(s) for s in inspection.runs()]})

    @app.get("/inspection/runs/<run_id>")
    def run(run_id: str) -> Any:
        detail = inspection.run(_run_id(run_id))
        return json_response({"run": _summary(detail.summary), "results": [_result(r) for r in detail.results]})

    @app.post("/inspection/runs/<run_id>/cancel")
    def cancel(run_id: str) -> Any:
        return json_response({"run": _summary(inspection.cancel(_run_id(run_id)))})

    @app.post("/inspection/runs/<run_id>/execute")
    def execute(run_id: str) -> Any:
        body = read_json_body()
        if not isinstance(body, dict):
            raise BadRequest("The body must be a JSON object: {seq, confirm} or {all: true, confirm}.",
                             code="invalid_body")
        seq = _target(body)
        done = inspection.execute(_run_id(run_id), seq, confirmed=body.get("confirm") is True)
        return json_response({"executed": [_executed(e) for e in done]})


def _run_id(text: str) -> int:
    if not text.isdigit():
        raise RunNotFound(f"There is no inspection run {text[:40]}.")
    return int(text)


def _settings(body: Any) -> InspectionSettings:
    if not isinstance(body, dict):
        raise BadRequest("The settings must be a JSON object.", code="invalid_settings")
    unknown = sorted(set(body) - set(SETTING_NAMES))
    if unknown:
        raise BadRequest(f"Unknown setting: {', '.join(unknown)}. Known: {', '.join(SETTING_NAMES)}.",
                         code="invalid_settings")
    return InspectionSettings(**{SETTING_NAMES[k]: v for k, v in body.items()})


def _target(body: dict[str, Any]) -> int | None:
    """One result's seq, or None for all; exactly one of the two must be asked for."""
    seq, every = body.get("seq"), body.get("all") is True
    if every == (seq is not None):
        raise BadRequest("Say what to execute: a result's seq, or all: true.", code="invalid_target")
    if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int)):
        raise BadRequest("seq must be a whole number.", code="invalid_target")
    return seq


def _summary(s: RunSummary) -> dict[str, Any]:
    return {"id": s.row.id, "state": s.progress.state, "started_at": s.row.started_s, "finished_at": s.row.finished_s,
            "error": s.row.error, "settings": {name: getattr(s.settings, field)
                                               for name, field in SETTING_NAMES.items()},
            "progress": _progress(s.progress), "counts": {action: n for action, n in s.row.counts}}


def _progress(p: RunProgress) -> dict[str, Any]:
    return {"total": p.total, "done": p.done, "cancelling": p.cancelling}


def _result(r: ResultView) -> dict[str, Any]:
    row = r.row
    return {"seq": row.seq, "auth_index": row.auth_index, "name": row.name, "account": row.account,
            "plan": row.plan, "disabled": row.disabled, "http_status": row.http_status,
            "used_percent": row.used_percent, "action": row.action, "reason_code": row.reason,
            "reason_values": r.values, "reason": r.sentence, "executed_at": row.executed_s,
            "execution_error": row.execution_error}


def _executed(e: Executed) -> dict[str, Any]:
    return {"seq": e.seq, "action": e.action, "ok": e.error is None, "error": e.error}
