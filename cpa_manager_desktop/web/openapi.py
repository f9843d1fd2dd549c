"""The OpenAPI 3.1 description served at /openapi.json. A test checks it names every route."""

from __future__ import annotations

from typing import Any

from cpa_manager_desktop import __version__
from cpa_manager_desktop.watch.alerts_settings import THRESHOLDS, AlertKind

_RANGE = [
    {"name": "start", "in": "query", "schema": {"type": "string"},
     "description": "Range start, inclusive: RFC 3339 or unix milliseconds"},
    {"name": "end", "in": "query", "schema": {"type": "string"},
     "description": "Range end, exclusive: RFC 3339 or unix milliseconds"},
]
_FILTERS = [
    *_RANGE,
    {"name": "tz", "in": "query", "schema": {"type": "string"},
     "description": "Time zone for buckets: IANA name or offset like +08:00; default the server's"},
    *({"name": name, "in": "query", "schema": {"type": "string"}, "description": text} for name, text in (
        ("model", "Comma-separated model names"),
        ("provider", "Comma-separated providers (codex, claude, gemini, …)"),
        ("account", "Comma-separated auth_index values"),
        ("apiKey", "Comma-separated sha256 hex hashes of client API keys"),
        ("endpoint", "Comma-separated endpoints, e.g. POST /v1/chat/completions"),
        ("status", "success, failed, or HTTP status codes (comma-separated)"),
        ("q", "Free text over model, alias, endpoint, account label, request id, provider (raw rows)"),
    )),
]
_BUDGET_ID = {"name": "budget_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_RUN_ID = {"name": "run_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_ERROR = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_JSON = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}


def _op(summary: str, *, params: list[dict[str, Any]] | None = None, public: bool = False,
        body: bool = False, responses: dict[str, Any] | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "parameters": params or [],
                                 "responses": {"200": _JSON, "4XX": _ERROR, **(responses or {})}}
    if public:
        operation["security"] = []
    if body:
        operation["requestBody"] = {"content": {"application/json": {"schema": {"type": "object"}}}}
    return operation


def _with(extra: dict[str, Any], base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [*base, extra]


PATHS: dict[str, dict[str, Any]] = {
    "/health": {"get": _op("Liveness: {ok, service}", public=True)},
    "/usage-service/info": {"get": _op("Service id for panels' full-mode detection", public=True)},
    "/status": {"get": _op("Collector state, counters, last error, CPA warnings, paths, DB size")},
    "/setup": {"post": _op("Save CPA URL and Management Key (validated against CPA) and start collecting",
                           public=True, body=True)},
    "/collector/pause": {"post": _op("Pause collection (CPA drops records older than its queue retention)")},
    "/collector/resume": {"post": _op("Resume collection")},
    "/collector/restart": {"post": _op("Reconnect to CPA with the saved setup")},
    "/logs/tail": {"get": _op(
        "The last lines of CPA Manager's own log, redacted: {file, lines} (for diagnostic bundles)",
        params=[{"name": "lines", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000,
                                                             "default": 200}}])},
    "/management.html": {"get": _op("The management panel", public=True,
                                    responses={"200": {"description": "HTML", "content": {"text/html": {}}}})},
    "/favicon.ico": {"get": _op("The app icon (PNG), for the browser tab", public=True,
                                responses={"200": {"description": "PNG", "content": {"image/png": {}}}})},
    "/openapi.json": {"get": _op("This document", public=True)},
    "/coverage": {"get": _op(
        "The coverage ledger: intervals overlapping the range in which requests were made that collection "
        "never saw. {window:{start, end}, totalS (seconds of the range they cover), gaps:[{start, end (ms, when "
        "the missing requests were made; an open gap runs to now - retentionS), open, reason: "
        "paused|stopped|failing|unreachable|not_running|suspended, lengthS, retentionS}]}. A gap starts when "
        "collection stopped seeing records and ends retentionS before it resumed (CPA still held the newer "
        "ones)", params=_RANGE)},
    "/quota/latest": {"get": _op(
        "Latest quota per credential: {credentials:[{auth_index, provider, label (masked), snapshot:{at, state, "
        "plan, windows:[{key, used_percent, resets_at, window_seconds}], credits?, detail?}, schedule:{next_check, "
        "stopped, last_checked, last_state, backoff_seconds}}]}; state is ok, expired, forbidden, rate_limited, "
        "failed or unrecognised (detail holds a redacted sample)")},
    "/quota/history": {"get": _op(
        "One credential's snapshots over a range (the one in force at start first) and the window resets in it: "
        "{auth_index, snapshots, resets:[{window, at}]}",
        params=[{"name": "auth_index", "in": "query", "required": True, "schema": {"type": "string"}}, *_RANGE])},
    "/quota/refresh": {"post": _op(
        "Check one credential (auth_index in the query or body) or all now, stopped ones included; "
        "progress in /quota/status", body=True, responses={"202": _JSON})},
    "/quota/status": {"get": _op(
        "The quota collector: {state, interval_seconds, last_error, last_pass, next_check, "
        "refresh:{total, done, running, requested_at, finished_at}, credentials, stopped}")},
    "/quota/usage": {"get": _op(
        "Our usage inside each credential's current quota windows (from its latest reading; a window runs from "
        "resets_at - window_seconds to now, or from a passed reset): {now, credentials:{auth_index:[{window, "
        "start, end, requests, failures, tokens, cost_usd, unpriced_requests}]}}; times in unix seconds")},
    "/quota/sparklines": {"get": _op(
        "Every credential's quota history in 28 buckets aligned to the epoch (the last holds now), the highest "
        "used % per window and bucket (null: no "
        "reading): {start, end, bucket_seconds, credentials:{auth_index:{window:[percent|null, ...]}}}",
        params=[{"name": "days", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 31,
                                                           "default": 7}}])},
    "/budgets": {
        "get": _op(
            "Every budget with its spend in the current period (local time, weeks from Monday): {budgets:[{id, "
            "period (daily|weekly|monthly), limitUsd, scope:{kind (overall|provider|apiKey), value (provider or "
            "API key sha256), label}, description, thresholds (percent), spendUsd, percent, crossed (thresholds "
            "announced this period), unpriced:{requests, models, note}, periodStart, periodEnd (unix ms)}]}"),
        "post": _op(
            "Create a budget: {period, limitUsd (0 < x <= 1,000,000), scope:{kind, value}, thresholds? "
            "(whole percentages 1-1000, ascending; default [50, 80, 100])} -> 201 {budget}; a bad value is "
            "refused with a sentence (400), a second budget for the same period and scope with 409",
            body=True, responses={"201": _JSON}),
    },
    "/budgets/{budget_id}": {
        "put": _op("Replace a budget (same body as POST) -> {budget}; changing its limit, period or scope "
                   "starts its crossings afresh; 404 if there is no such budget",
                   params=[_BUDGET_ID], body=True),
        "delete": _op("Delete a budget and its recorded crossings -> {deleted: id}", params=[_BUDGET_ID]),
    },
    "/quota/notifications": {
        "get": _op("The tray's opt-in quota notifications (both off by default): {on_reset, on_provider_exhausted}"),
        "put": _op("Turn them on or off: {on_reset?, on_provider_exhausted?} (booleans; an omitted one keeps its "
                   "value); answers the new state. on_reset: a window that was at least 90 % used reset; "
                   "on_provider_exhausted: every credential of a provider is out of quota (once per episode)",
                   body=True)},
    "/alerts": {"get": _op(
        "Open alerts (first) and those cleared in the last 7 days, newest first: {alerts:[{id, kind, subject, "
        "subject_label, title, message, facts, open, opened_at, cleared_at, acknowledged, acknowledged_at, "
        "evidence:{start, end, filters:{account?, apiKey?}}}]}. Times are unix seconds; evidence is the range and "
        "filters of the monitoring view that shows it (end null: until cleared or now). Kinds: "
        + ", ".join(AlertKind))},
    "/alerts/{alert_id}/acknowledge": {"post": _op(
        "Acknowledge an alert (the tray stops tinting for it; it stays listed until it clears): {alert}",
        params=[{"name": "alert_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        responses={"404": _ERROR})},
    "/alerts/settings": {
        "get": _op("Alert switches and thresholds: {kinds:{kind: bool}, thresholds:{name: number}, "
                   "limits:[{name, minimum, maximum, default, whole, description}]}"),
        "put": _op("Change some switches or thresholds: {kinds?, thresholds?}; a bad value is refused (400) with a "
                   "sentence naming it, and a kind switched off clears its open alerts. Thresholds: "
                   + "; ".join(f"{t.name} ({t.minimum:g}–{t.maximum:g}, default {t.default:g}): {t.description}"
                               for t in THRESHOLDS), body=True)},
    "/inspection/runs": {
        "get": _op("Past Codex inspection runs, newest first (the last 50 are kept): {runs:[{id, state (running, "
                   "finished, cancelled, failed, interrupted), started_at, finished_at, error, settings, "
                   "progress:{total, done, cancelling}, counts:{keep?, disable?, enable?, delete?}}]}"),
        "post": _op("Start a dry run in the background (it only suggests; nothing changes at CPA): body "
                    "{workers 1–16 (4), timeout_seconds 1–120 (15), threshold_percent 1–100 (100), sample_size "
                    "(0 = every Codex credential)}, all optional → 202 {run}; 400 names each invalid setting, 409 "
                    "while a run is going or CPA is not connected", body=True, responses={"202": _JSON})},
    "/inspection/runs/{run_id}": {"get": _op(
        "One run with live progress and its results: {run, results:[{seq, auth_index, name, account (masked), "
        "plan, disabled, http_status, used_percent, action (keep, disable, enable, delete), reason_code, "
        "reason_values, reason (a sentence), executed_at, execution_error}]}", params=[_RUN_ID])},
    "/inspection/runs/{run_id}/cancel": {"post": _op(
        "Cancel the run (calls in flight finish; the rest are not made) → {run}", params=[_RUN_ID])},
    "/inspection/runs/{run_id}/execute": {"post": _op(
        "Execute one suggestion {seq, confirm: true} or every pending one {all: true, confirm: true} of the newest, "
        "finished run: PATCH status or DELETE at CPA, recorded with who disabled what. Enable is executed only for "
        "a credential inspection disabled, never one disabled by hand. Without confirm: true → 400 "
        "confirmation_required. → {executed:[{seq, action, ok, error}]}",
        params=[_RUN_ID], body=True)},
    "/maintenance/storage": {"get": _op(
        "The database: {databaseBytes, rawEvents, aggregatedEvents, bytesPerEvent, oldestRawEvent, "
        "aggregatedBefore (raw events before it were folded into hourly totals), reclaimableBytes, "
        "incrementalVacuum, retention:{days (null: keep all), source (settings, panel, default), fixed, maxDays}}")},
    "/maintenance/retention": {"put": _op(
        "Keep raw events {days} days (1-3650; null keeps all), then fold them into hourly totals; refused when "
        "USAGE_RETENTION_DAYS or config.json sets it. Answers like /maintenance/storage", body=True)},
    "/v0/management/usage": {"get": _op(
        "Panel-compatible usage payload; totals over the whole range, newest details up to limit (and "
        "aggregated_before_ms once retention folded raw events: details end there)",
        params=_with({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}}, _RANGE))},
    "/v0/management/usage/export": {"get": _op(
        "Stream the full history as JSONL (default) or CSV; raw events only: the X-Aggregated-Before header "
        "(unix ms) says where retention's hourly totals begin. When coverage gaps overlap the range, the "
        "X-Coverage-Gaps header counts them and X-Coverage-Note names them (reason start/end, RFC 3339); the "
        "file itself is unchanged",
        params=_with({"name": "format", "in": "query", "schema": {"enum": ["jsonl", "csv"]}}, _RANGE),
        responses={"200": {"description": "Export", "content": {"application/x-ndjson": {}, "text/csv": {}}}})},
    "/v0/management/usage/import": {"post": {
        **_op("Import JSONL/NDJSON, JSON arrays, raw CPA records or legacy CPA snapshots; rejected whole on a bad "
              "line unless skipInvalid=1",
              params=[{"name": "skipInvalid", "in": "query", "schema": {"type": "string"}}],
              responses={"413": _ERROR}),
        "requestBody": {"content": {"application/x-ndjson": {}, "application/json": {}, "multipart/form-data": {}}},
    }},
    "/v0/management/model-prices": {
        "get": _op("Model prices in USD per 1M tokens"),
        "put": _op("Replace all model prices: {prices: {model: {input, output, cacheRead?, cacheWrite?}}}", body=True),
    },
    "/v0/management/model-prices/sync": {"post": _op(
        "Sync prices from LiteLLM for {models?} (default: every model seen or priced); a failed sync changes "
        "nothing", body=True, responses={"502": _ERROR})},
    "/v0/management/analytics/summary": {"get": _op(
        "KPIs: requests, success rate, tokens by kind, estimated cost, unpriced, latency and TTFT p50/p95",
        params=_FILTERS)},
    "/v0/management/analytics/timeseries": {"get": _op(
        "KPIs per time bucket: {window, bucket, points[], coverage[]}; coverage lists the coverage ledger's gaps "
        "overlapping the window, shaped as in /coverage, for the chart to shade", params=_with(
            {"name": "bucket", "in": "query", "schema": {"enum": ["minute", "hour", "day"]}}, _FILTERS))},
    "/v0/management/analytics/breakdown": {"get": _op(
        "KPIs per model, provider, account, API key or endpoint", params=_with(
            {"name": "by", "in": "query", "schema": {"enum": ["model", "provider", "account", "apiKey",
                                                              "endpoint"]}}, _FILTERS))},
    "/v0/management/analytics/options": {"get": _op(
        "Filter values in the window: per model, provider, account, API key and endpoint, each value's key, "
        "label and request count (no cost: cheap enough for drop-downs)", params=_FILTERS)},
    "/v0/management/analytics/failures": {"get": _op(
        "Failures by status code and by reason, with redacted sample bodies; aggregatedBefore (unix ms or null): "
        "failures before it come from retention's hourly archive", params=_FILTERS)},
    "/v0/management/analytics/events": {"get": _op(
        "Events newest first, keyset paged: `before` pages back, `after` returns only newer events; "
        "aggregatedBefore (unix ms or null): raw events before it were folded into hourly totals by retention",
        params=[*_FILTERS, *({"name": n, "in": "query", "schema": {"type": "string"}} for n in ("before", "after")),
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}}])},
    "/v0/management/usage-queue": {"get": _op("Refused (403): CPA Manager is the queue's only consumer")},
    "/v0/management/{path}": {"get": _op(
        "Any other management call is proxied to CPA with the saved key (also POST, PUT, PATCH, DELETE)",
        params=[{"name": "path", "in": "path", "required": True, "schema": {"type": "string"}}],
        responses={"428": _ERROR, "502": _ERROR})},
    "/v8/management/observability/usage/queue": {"get": _op("Refused (403): CPA Manager is the queue's only consumer")},
    "/v8/management/{path}": {"get": _op(
        "CPA v8's management tree, proxied like /v0/management (also POST, PUT, PATCH, DELETE); 404 on CPA v7",
        params=[{"name": "path", "in": "path", "required": True, "schema": {"type": "string"}}],
        responses={"428": _ERROR, "502": _ERROR})},
    "/desktop/autostart": {"get": _op("Start at login: {available, enabled, where} (desktop only)"),
                           "put": _op("Turn start at login on or off: {enabled} (desktop only)", body=True)},
    "/desktop/export": {"post": _op("Export the full history as JSONL to the Downloads folder (desktop only)")},
    "/desktop/open-data-folder": {"post": _op("Show the data folder in the file manager (desktop only)")},
    "/desktop/quit": {"post": _op("Quit the app: finish the current batch, then exit (desktop only)",
                                  responses={"202": _JSON})},
    "/v1/models": {"get": _op("CPA's model list, authenticated with the caller's own client API key", public=True)},
    "/models": {"get": _op("Same as /v1/models", public=True)},
}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "CPA Manager Desktop", "version": __version__,
                 "description": "Usage collection, analytics and CPA management proxy for CLIProxyAPI."},
        "security": [{"managementKey": []}],
        "components": {
            "securitySchemes": {"managementKey": {"type": "http", "scheme": "bearer",
                                                  "description": "CPA's Management Key"}},
            "schemas": {"Error": {"type": "object", "required": ["error", "code"], "properties": {
                "error": {"type": "string", "description": "A plain sentence"},
                "code": {"type": "string", "description": "A machine-readable code"}}}},
        },
        "paths": PATHS,
    }
