"""Usage routes: the panel-compatible payload, export and import."""

from __future__ import annotations

import time
from typing import IO, Any

import bottle

from cpa_manager_desktop.analytics.window import local_zone, parse_limit, parse_window
from cpa_manager_desktop.errors import BadRequest, PayloadTooLarge
from cpa_manager_desktop.service.usage import EXPORT_FORMATS, UsageService
from cpa_manager_desktop.transfer.importer import ImportRejected
from cpa_manager_desktop.web.api import json_response

IMPORT_MAX_BYTES = 256 * 1024 * 1024
CONTENT_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


def register(app: bottle.Bottle, usage: UsageService) -> None:
    @app.get("/v0/management/usage")
    def compatible_usage() -> Any:
        query = bottle.request.query
        limit = parse_limit(query, usage.query_limit, usage.query_limit)
        body = usage.compatible_payload(parse_window(query), limit, local_zone())
        bottle.response.content_type = "application/json"
        bottle.response.set_header("Cache-Control", "no-store")
        return body

    @app.get("/v0/management/usage/export")
    def export_usage() -> Any:
        query = bottle.request.query
        fmt = (query.get("format") or "jsonl").lower()
        if fmt not in EXPORT_FORMATS:
            raise BadRequest("format must be jsonl or csv", code="invalid_format")
        window = parse_window(query)
        body = usage.export(window, fmt)
        gap_count, note = usage.coverage_note(window)
        if gap_count:
            bottle.response.set_header("X-Coverage-Gaps", str(gap_count))
            bottle.response.set_header("X-Coverage-Note", note)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        bottle.response.content_type = CONTENT_TYPES[fmt]
        bottle.response.set_header("Content-Disposition", f'attachment; filename="cpa-usage-{stamp}.{fmt}"')
        bottle.response.set_header("Cache-Control", "no-store")
        aggregated = usage.aggregated_before_ms()
        if aggregated is not None:
            # The file lists raw events only; earlier ones exist only as hourly totals (README, Retention).
            bottle.response.set_header("X-Aggregated-Before", str(aggregated))
        return body

    @app.post("/v0/management/usage/import")
    def import_usage() -> Any:
        skip_invalid = bottle.request.query.get("skipInvalid", "") in ("1", "true", "yes")
        try:
            report = usage.import_(_upload(), skip_invalid=skip_invalid)
        except ImportRejected as exc:
            return json_response({"error": exc.message, "code": "import_rejected", **exc.report.as_dict()}, 400)
        return json_response(report.as_dict())


def _upload() -> IO[bytes]:
    """The import file: a raw body, or the first file of a multipart form. Refuses oversize with 413."""
    length = bottle.request.content_length
    if length > IMPORT_MAX_BYTES:
        raise PayloadTooLarge(f"The import is larger than {IMPORT_MAX_BYTES // 2**20} MiB", code="import_too_large")
    if bottle.request.content_type.startswith("multipart/form-data"):
        uploads = list(bottle.request.files.values())
        if not uploads:
            raise BadRequest("the form holds no file", code="import_empty")
        return uploads[0].file
    body = bottle.request.body
    body.seek(0)
    return body
