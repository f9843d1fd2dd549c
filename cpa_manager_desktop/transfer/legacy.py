"""Legacy snapshots (`usage.apis.*.models.*.details[]`: CPA's own `/usage/export`, the Go service's
payload and ours) as queue records. They name no provider: it is inferred from the model and endpoint
(ingest/tokens.py infer_provider) and reported per model in the import result."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cpa_manager_desktop.ingest import tokens as token_model
from cpa_manager_desktop.ingest.normalise import RecordError
from cpa_manager_desktop.transfer.report import ImportReport

LEGACY_WARNINGS = ("legacy_usage_metadata_is_partial", "legacy_usage_source_matching_may_be_approximate")
_ENDPOINT_KEY = re.compile(r"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+/\S*$")


def larger_count(*values: Any) -> Any:
    """The larger of two token counts when both are numbers; otherwise the first given, for the record's
    own validation to judge."""
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) == len(values):
        return max(numbers)
    return next((v for v in values if v not in (None, 0)), 0)


def legacy_snapshot(document: dict[str, Any]) -> dict[str, Any] | None:
    usage = document.get("usage")
    if isinstance(usage, dict):
        return usage
    if isinstance(document.get("apis"), dict):
        return document
    return None


def legacy_records(snapshot: dict[str, Any], report: ImportReport) -> Iterator[tuple[int, Any]]:
    """(detail number, record) for every request detail. The apis key was the client API key in CPA's
    own snapshots, or the endpoint in the Go service's payload; a key is hashed, never stored."""
    number = 0
    apis = snapshot.get("apis") or {}
    if not isinstance(apis, dict):
        raise RecordError("usage.apis must be an object")
    for api_name, api in sorted(apis.items()):
        models = api.get("models") if isinstance(api, dict) else None
        for model_name, model in sorted(models.items() if isinstance(models, dict) else ()):
            details = model.get("details") if isinstance(model, dict) else None
            if not isinstance(details, list):
                report.unsupported += 1
                continue
            for detail in details:
                number += 1
                record = _legacy_record(api_name, model_name, detail)
                if isinstance(record, dict):
                    report.note_inferred(model_name, record.get("provider"))
                yield number, record


def _legacy_record(api_name: str, model_name: str, detail: Any) -> Any:
    if not isinstance(detail, dict):
        return detail
    record = {key: detail.get(key) for key in ("timestamp", "latency_ms", "source", "auth_index", "failed")}
    if record["timestamp"] is None:
        record["timestamp"] = detail.get("time") or detail.get("created_at") or detail.get("createdAt")
    raw_tokens = detail.get("tokens")
    tokens = dict(raw_tokens) if isinstance(raw_tokens, dict) else {}
    tokens.setdefault("cache_read_tokens", larger_count(tokens.get("cached_tokens"), tokens.get("cache_tokens")))
    record["tokens"] = tokens
    record["model"] = None if model_name == "-" else model_name
    if _ENDPOINT_KEY.match(api_name):
        record["endpoint"] = api_name
    elif api_name not in ("-", "unknown", ""):
        record["api_key"] = api_name
    record["provider"] = detail.get("provider") or token_model.infer_provider(record["model"],
                                                                              record.get("endpoint"))
    if "cache_creation_tokens" in tokens:
        # A /usage payload of this service (or the Go service's successor): its tokens are already the
        # canonical buckets in OpenAI terms, whatever the provider, so they are taken as such.
        record["token_breakdown"] = _openai_terms_breakdown(tokens)
    return {k: v for k, v in record.items() if v is not None}


def _openai_terms_breakdown(tokens: dict[str, Any]) -> dict[str, Any] | None:
    try:
        inp, read, write, output, reasoning = (token_model.count(tokens.get(n)) for n in (
            "input_tokens", "cache_read_tokens", "cache_creation_tokens", "output_tokens", "reasoning_tokens"))
    except ValueError:
        return None  # the record's own validation names the bad count
    return {"quality": "complete", "input": {"uncached_tokens": max(inp - read - write, 0), "cache_read_tokens": read,
                                             "cache_write_tokens": write},
            "output": {"total_tokens": output, "reasoning_tokens": min(reasoning, output)}, "unclassified_tokens": 0}
