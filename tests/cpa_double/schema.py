"""CPA usage-record schema by version: field order, token fields and token accounting.

``records`` builds values; this module holds what the spec fixes (§2), so the tables a test
compares against are in one reviewable place.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

VERSIONS = ("6.10", "7.0", "7.1", "7.2")

# Fields per version, in HEAD key order; older versions are projections of HEAD.
_HEAD_FIELDS = (
    "timestamp",
    "latency_ms",
    "ttft_ms",
    "source",
    "auth_index",
    "access_token_sha256",
    "client_ip",
    "x_forwarded_for",
    "user_agent",
    "tokens",
    "failed",
    "generate",
    "fail",
    "response_headers",
    "accounting_version",
    "token_breakdown",
    "provider",
    "executor_type",
    "model",
    "alias",
    "endpoint",
    "auth_type",
    "api_key",
    "request_id",
    "reasoning_effort",
    "service_tier",
    "response_service_tier",
)
_V610 = {
    "timestamp",
    "latency_ms",
    "source",
    "auth_index",
    "tokens",
    "failed",
    "provider",
    "model",
    "alias",
    "endpoint",
    "auth_type",
    "api_key",
    "request_id",
}
_V70 = _V610 | {"fail"}
_V71 = _V70 | {"ttft_ms", "response_headers", "reasoning_effort", "service_tier", "executor_type"}
FIELDS_BY_VERSION: dict[str, tuple[str, ...]] = {
    "6.10": tuple(f for f in _HEAD_FIELDS if f in _V610),
    "7.0": tuple(f for f in _HEAD_FIELDS if f in _V70),
    "7.1": tuple(f for f in _HEAD_FIELDS if f in _V71),
    "7.2": _HEAD_FIELDS,
}
_HEAD_TOKENS = (
    "input_tokens",
    "output_tokens",
    "reasoning_tokens",
    "cached_tokens",
    "cache_read_tokens",
    "cache_read_tokens_present",
    "cache_creation_tokens",
    "total_tokens",
)
TOKEN_FIELDS_BY_VERSION: dict[str, tuple[str, ...]] = {
    "6.10": ("input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens", "total_tokens"),
    "7.0": tuple(t for t in _HEAD_TOKENS if t != "cache_read_tokens_present"),
    "7.1": tuple(t for t in _HEAD_TOKENS if t != "cache_read_tokens_present"),
    "7.2": _HEAD_TOKENS,
}


def semantics(provider: str) -> str:
    """Token accounting family (``accounting.go tokenAccountingSemanticsFor``)."""
    if provider == "claude":
        return "claude"
    if provider in ("gemini", "vertex", "antigravity", "aistudio"):
        return "gemini"
    return "openai"


def auth_index_for(provider: str, source: str) -> str:
    """16 hex chars like ``stableAuthIndex``; the /auth-files stub uses the same values."""
    return hashlib.sha256(f"{provider}:{source}".encode()).hexdigest()[:16]


def format_go_time(dt: datetime, nanos: int | None = None) -> str:
    """Go RFC3339Nano: up to 9 fraction digits, trailing zeros (and a bare dot) dropped."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    ns = dt.microsecond * 1000 if nanos is None else nanos
    fraction = f"{ns:09d}".rstrip("0")
    offset = dt.utcoffset() or timedelta(0)
    if offset == timedelta(0):
        zone = "Z"
    else:
        minutes = int(offset.total_seconds()) // 60
        sign = "+" if minutes >= 0 else "-"
        zone = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + zone


def tokens_field(t: dict[str, int], provider: str) -> dict[str, Any]:
    family = semantics(provider)
    if "total" in t:
        total = t["total"]
    elif family == "claude":
        total = t["input"] + t["cached"] + t["cache_creation"] + t["output"]
    elif family == "gemini":
        total = t["input"] + t["output"] + t["reasoning"]
    else:
        total = t["input"] + t["output"]
    return {
        "input_tokens": t["input"],
        "output_tokens": t["output"],
        "reasoning_tokens": t["reasoning"],
        "cached_tokens": t["cached"],
        "cache_read_tokens": t["cached"],
        "cache_read_tokens_present": True,
        "cache_creation_tokens": t["cache_creation"],
        "total_tokens": total,
    }


def token_breakdown(tokens: dict[str, Any], provider: str) -> dict[str, Any]:
    """Non-overlapping buckets (schema 2) derived from the raw provider buckets."""
    family = semantics(provider)
    read, write = tokens["cache_read_tokens"], tokens["cache_creation_tokens"]
    quality = "complete"
    if family == "claude":
        uncached = tokens["input_tokens"]
    else:
        uncached = tokens["input_tokens"] - read - write
        if uncached < 0:
            # Cache larger than the input it is supposed to be part of: CPA flags the record.
            uncached, quality = 0, "inconsistent"
    reasoning = tokens["reasoning_tokens"]
    # Gemini reports thoughts beside the candidates; the OpenAI family counts them inside output.
    non_reasoning = tokens["output_tokens"] if family == "gemini" else max(tokens["output_tokens"] - reasoning, 0)
    input_total = uncached + read + write
    output_total = non_reasoning + reasoning
    unclassified = max(tokens["total_tokens"] - input_total - output_total, 0)
    if unclassified and quality == "complete":
        quality = "unclassified"
    return {
        "schema_version": 2,
        "quality": quality,
        "total_tokens": input_total + output_total + unclassified,
        "input": {
            "total_tokens": input_total,
            "uncached_tokens": uncached,
            "cache_read_tokens": read,
            "cache_write_tokens": write,
        },
        "output": {"total_tokens": output_total, "non_reasoning_tokens": non_reasoning, "reasoning_tokens": reasoning},
        "unclassified_tokens": unclassified,
    }


def project(full: dict[str, Any], version: str) -> dict[str, Any]:
    fields = FIELDS_BY_VERSION[version]
    out = {}
    for name in fields:
        value = full[name]
        if name in ("access_token_sha256", "response_service_tier") and not value:
            continue  # `omitempty` in plugin.go
        if name == "response_headers" and value is None:
            continue
        if name == "tokens":
            value = {k: value[k] for k in TOKEN_FIELDS_BY_VERSION[version]}
        out[name] = value
    return out
