"""Our budgets API under /budgets (no CPA path): each budget with its spend in the current period,
create, replace, delete. JSON is read and written here only; every rule lives in watch/budgets.py."""

from __future__ import annotations

from typing import Any

import bottle

from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.watch.budgets import BudgetDraft, BudgetNotFound, BudgetService, BudgetStatus
from cpa_manager_desktop.web.api import json_response, read_json_body


def register(app: bottle.Bottle, budgets: BudgetService) -> None:
    @app.get("/budgets")
    def list_budgets() -> Any:
        return json_response({"budgets": [budget_payload(s) for s in budgets.statuses()]})

    @app.post("/budgets")
    def create_budget() -> Any:
        return json_response({"budget": budget_payload(budgets.create(_draft(read_json_body())))}, 201)

    @app.put("/budgets/<budget_id>")
    def replace_budget(budget_id: str) -> Any:
        found = _id(budget_id)
        return json_response({"budget": budget_payload(budgets.update(found, _draft(read_json_body())))})

    @app.delete("/budgets/<budget_id>")
    def delete_budget(budget_id: str) -> Any:
        found = _id(budget_id)
        budgets.delete(found)
        return json_response({"deleted": found})


def budget_payload(status: BudgetStatus) -> dict[str, Any]:
    budget, spend = status.budget, status.spend
    unpriced = spend.unpriced_requests
    note = (f"{unpriced} unpriced request{'s are' if unpriced != 1 else ' is'} not counted in the spend"
            if unpriced else None)
    return {
        "id": budget.id, "period": budget.period.value, "limitUsd": budget.limit_usd,
        "scope": {"kind": budget.scope.kind.value, "value": budget.scope.value, "label": budget.scope.label},
        "description": budget.describe(), "thresholds": list(budget.thresholds),
        "spendUsd": round(spend.cost_usd, 6), "percent": round(status.percent, 2), "crossed": list(status.crossed),
        "unpriced": {"requests": unpriced, "models": list(spend.unpriced_models), "note": note},
        "periodStart": status.period_start_s * 1000, "periodEnd": status.period_end_s * 1000,
    }


def _id(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise BudgetNotFound(f"There is no budget {text[:40]!r}")
    return int(text)


def _draft(body: Any) -> BudgetDraft:
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object", code="invalid_budget")
    period = body.get("period")
    if not isinstance(period, str):
        raise BadRequest("period is required: daily, weekly or monthly", code="invalid_period")
    limit = body.get("limitUsd")
    if not _is_number(limit):
        raise BadRequest("limitUsd is required: a number of US dollars", code="invalid_limit")
    scope = body.get("scope", {"kind": "overall"})
    if not isinstance(scope, dict) or not isinstance(scope.get("kind"), str) \
            or not isinstance(scope.get("value", ""), str):
        raise BadRequest('scope must be an object like {"kind": "provider", "value": "claude"}', code="invalid_scope")
    thresholds = body.get("thresholds")
    if thresholds is not None and (not isinstance(thresholds, list) or not all(_is_number(t) for t in thresholds)):
        raise BadRequest("thresholds must be a list of percentages, such as [50, 80, 100]",
                         code="invalid_thresholds")
    return BudgetDraft(period=period, limit_usd=_as_float(limit), scope_kind=scope["kind"],
                       scope_value=scope.get("value", ""),
                       thresholds=tuple(_as_float(t) for t in thresholds) if thresholds is not None else None)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_float(value: int | float) -> float:
    """A JSON integer too large for a float is as absurd as infinity, and refused as such."""
    try:
        return float(value)
    except OverflowError:
        return float("inf")
