"""Usage-record generator following spec §2 (``internal/redisqueue/plugin.go`` at v7.2.140).

Records come out in CPA's key order for the requested version, with the token buckets
each provider really reports, so a consumer is tested against the overlaps it will meet
(OpenAI cache inside input, Claude independent buckets, Gemini reasoning outside output).
All "secrets" are fake but shaped like real keys, so redaction code has something to find.
"""

from __future__ import annotations

import hashlib
import random
import string
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from .schema import (
    FIELDS_BY_VERSION,
    TOKEN_FIELDS_BY_VERSION,
    VERSIONS,
    auth_index_for,
    format_go_time,
    project,
    semantics,
    token_breakdown,
    tokens_field,
)

__all__ = [
    "ALIASES",
    "CLIENT_API_KEYS",
    "FIELDS_BY_VERSION",
    "MODELS",
    "OAUTH_EMAILS",
    "PROVIDERS",
    "PROVIDER_KEYS",
    "SECRET_VALUES",
    "TOKEN_FIELDS_BY_VERSION",
    "VERSIONS",
    "auth_index_for",
    "format_go_time",
    "make_record",
    "mixed_records",
    "secrets_in",
    "semantics",
    "token_breakdown",
]

PROVIDERS = ("codex", "claude", "gemini", "openai-compatible-x", "xai")
CLIENT_API_KEYS = ("sk-client-alpha-0001", "sk-client-beta-0002", "sk-client-gamma-0003")
OAUTH_EMAILS = ("alice@example.com", "bob@example.com", "carol@example.org")
DEFAULT_START = datetime(2026, 8, 22, 14, 3, 11, tzinfo=UTC)
CST = timezone(timedelta(hours=8))

_KEY_ALPHABET = string.ascii_letters + string.digits + "_-"


def _fake_token(label: str, length: int, alphabet: str = _KEY_ALPHABET) -> str:
    # Hash-derived so the pool is fixed across runs and seeds: tests can grep for it.
    out = []
    counter = 0
    while len(out) < length:
        block = hashlib.sha256(f"{label}:{counter}".encode()).digest()
        out.extend(alphabet[b % len(alphabet)] for b in block)
        counter += 1
    return "".join(out[:length])


def _provider_keys(provider: str) -> tuple[str, ...]:
    makers = {
        "claude": lambda i: "sk-ant-api03-" + _fake_token(f"claude{i}", 80) + "AA",
        "gemini": lambda i: "AIza" + _fake_token(f"gemini{i}", 35),
        "codex": lambda i: "sk-proj-" + _fake_token(f"codex{i}", 48),
        "xai": lambda i: "xai-" + _fake_token(f"xai{i}", 80, string.ascii_letters + string.digits),
        "openai-compatible-x": lambda i: "sk-or-v1-" + _fake_token(f"orx{i}", 64, "0123456789abcdef"),
    }
    return tuple(makers[provider](i) for i in range(3))


PROVIDER_KEYS: dict[str, tuple[str, ...]] = {p: _provider_keys(p) for p in PROVIDERS}
SECRET_VALUES: frozenset[str] = frozenset(CLIENT_API_KEYS) | frozenset(
    key for keys in PROVIDER_KEYS.values() for key in keys
)

MODELS: dict[str, tuple[str, ...]] = {
    "codex": ("gpt-5.4", "gpt-5.4-mini", "gpt-5-codex"),
    "claude": ("claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805", "claude-haiku-4-5-20251001"),
    "gemini": ("gemini-2.5-pro", "gemini-2.5-flash"),
    "openai-compatible-x": ("deepseek/deepseek-chat-v3", "qwen/qwen3-coder"),
    "xai": ("grok-4", "grok-code-fast-1"),
}
ALIASES = {
    "claude-sonnet-4-5-20250929": "claude-sonnet-4-5",
    "claude-opus-4-1-20250805": "claude-opus-4-1",
    "claude-haiku-4-5-20251001": "claude-haiku-4-5",
    "deepseek/deepseek-chat-v3": "deepseek-chat",
    "qwen/qwen3-coder": "qwen3-coder",
}
_EXECUTORS = {
    "codex": "CodexAutoExecutor",
    "claude": "ClaudeExecutor",
    "gemini": "GeminiExecutor",
    "xai": "XAIExecutor",
    "vertex": "VertexExecutor",
    "kimi": "KimiExecutor",
}
_ENDPOINTS = {"codex": "POST /v1/responses", "claude": "POST /v1/messages", "gemini": "POST /v1beta/models/*action"}
_USER_AGENTS = {
    "codex": "codex_cli_rs/0.46.0",
    "claude": "claude-cli/2.0.14 (external, cli)",
    "gemini": "GeminiCLI/0.9.0 (linux; x64)",
}


def _seq_timestamp(seq: int) -> tuple[datetime, int]:
    dt = DEFAULT_START + timedelta(seconds=seq * 37)
    nanos = (seq * 482913507 + 123) % 1_000_000_000
    if seq % 5 == 0:
        nanos = nanos // 100_000 * 100_000  # e.g. ".0071": trailing zeros are trimmed
    if seq % 7 == 3:
        nanos = 0  # whole second: no fraction at all
    if seq % 3 == 1:
        dt = dt.astimezone(CST)
    return dt, nanos


def _norm_tokens(tokens: dict[str, int] | None, seq: int, failed: bool, provider: str) -> dict[str, int]:
    if tokens is None:
        if failed:
            return {"input": 0, "output": 0, "reasoning": 0, "cached": 0, "cache_creation": 0}
        return _seq_tokens(seq, provider)
    out = {}
    for key in ("input", "output", "reasoning", "cached", "cache_creation", "total"):
        value = tokens.get(key, tokens.get(f"{key}_tokens"))
        if value is not None:
            out[key] = int(value)
    for key in ("input", "output", "reasoning", "cached", "cache_creation"):
        out.setdefault(key, 0)
    return out


def _seq_tokens(seq: int, provider: str) -> dict[str, int]:
    rng = random.Random(f"tokens-{provider}-{seq}")
    family = semantics(provider)
    output = rng.randint(20, 4000)
    if family == "claude":
        return {
            "input": rng.randint(1, 3000),
            "output": output,
            "reasoning": 0,
            "cached": rng.choice((0, rng.randint(1000, 60000))),
            "cache_creation": rng.choice((0, 2048, 512)),
        }
    prompt = rng.randint(200, 120000)
    cached = rng.choice((0, prompt // 2, prompt - prompt % 1024))
    reasoning = rng.choice((0, output // 3))
    if family == "gemini":
        return {
            "input": prompt,
            "output": output,
            "reasoning": rng.randint(0, 2000),
            "cached": cached,
            "cache_creation": 0,
        }
    return {"input": prompt, "output": output, "reasoning": reasoning, "cached": cached, "cache_creation": 0}


def _fail_body(provider: str, status: int, key: str) -> str:
    # Upstream error bodies echo the offending key, which is exactly what a consumer must redact.
    if provider == "claude":
        kind = "rate_limit_error" if status == 429 else "api_error"
        return f'{{"type":"error","error":{{"type":"{kind}","message":"request rejected for key {key}"}}}}'
    if provider == "gemini":
        state = "RESOURCE_EXHAUSTED" if status == 429 else "INTERNAL"
        return f'{{"error":{{"code":{status},"message":"API key {key} failed","status":"{state}"}}}}'
    return f'{{"error":{{"message":"upstream {status} for api key {key}","type":"server_error"}}}}'


def _response_headers(failed: bool, status: int, seq: int) -> dict[str, list[str]] | None:
    if failed and status >= 500:
        return None  # the upstream never answered: CPA omits the snapshot
    if failed:
        return {"Content-Type": ["application/json"], "Retry-After": [str(10 + seq % 50)]}
    return {"Content-Type": ["text/event-stream"], "X-Request-Id": [f"req_{seq:04x}"]}


def make_record(
    *,
    version: str = "7.2",
    provider: str = "codex",
    model: str = "gpt-5.4",
    failed: bool = False,
    request_id: str | None = None,
    api_key: str = "sk-client-alpha-0001",
    source: str = "alice@example.com",
    auth_type: str = "oauth",
    timestamp: datetime | None = None,
    tokens: dict[str, int] | None = None,
    seq: int = 0,
    status_code: int | None = None,
    timestamp_nanos: int | None = None,
) -> dict[str, Any]:
    """One usage record exactly as a CPA of ``version`` publishes it; deterministic in ``seq``."""
    if version not in FIELDS_BY_VERSION:
        raise ValueError(f"unknown CPA record version {version!r}; use one of {VERSIONS}")
    if timestamp is None:
        timestamp, nanos = _seq_timestamp(seq)
        nanos = nanos if timestamp_nanos is None else timestamp_nanos
    else:
        nanos = timestamp_nanos
    status = (status_code or 429) if failed else 200
    tok = tokens_field(_norm_tokens(tokens, seq, failed, provider), provider)
    full = _full_record(provider, model, failed, status, source, auth_type, api_key, seq, tok)
    full["timestamp"] = format_go_time(timestamp, nanos)
    full["request_id"] = request_id or hashlib.sha256(f"req-{seq}".encode()).hexdigest()[:8]
    return project(full, version)


def _full_record(
    provider: str,
    model: str,
    failed: bool,
    status: int,
    source: str,
    auth_type: str,
    api_key: str,
    seq: int,
    tok: dict[str, Any],
) -> dict[str, Any]:
    rng = random.Random(f"record-{seq}")
    endpoint = _ENDPOINTS.get(provider, "POST /v1/chat/completions")
    key_for_body = source if auth_type == "apikey" else PROVIDER_KEYS.get(provider, PROVIDER_KEYS["codex"])[0]
    access_hash = hashlib.sha256(f"access-{provider}-{source}".encode()).hexdigest()
    fallback = "OpenAICompatExecutor" if provider.startswith("openai-compatible") else "unknown"
    latency = rng.randint(300, 9000) if not failed else rng.randint(40, 900)
    return {
        "timestamp": "",
        "latency_ms": latency,
        "ttft_ms": 0 if failed else rng.randint(100, min(latency, 2500)),
        "source": source,
        "auth_index": auth_index_for(provider, source),
        "access_token_sha256": access_hash if auth_type == "oauth" else "",
        "client_ip": ("127.0.0.1", "172.18.0.1", "::1")[seq % 3],
        "x_forwarded_for": "203.0.113.7, 10.0.0.2" if seq % 4 == 2 else "",
        "user_agent": _USER_AGENTS.get(provider, "OpenAI/Python 1.109.1"),
        "tokens": tok,
        "failed": failed,
        "generate": seq % 13 != 6,
        "fail": {"status_code": status, "body": _fail_body(provider, status, key_for_body) if failed else ""},
        "response_headers": _response_headers(failed, status, seq),
        "accounting_version": 2,
        "token_breakdown": token_breakdown(tok, provider),
        "provider": provider,
        "executor_type": _EXECUTORS.get(provider, fallback),
        "model": model,
        "alias": ALIASES.get(model, model),
        "endpoint": endpoint,
        "auth_type": auth_type,
        "api_key": api_key,
        "request_id": "",
        "reasoning_effort": ("high", "medium", "low", "")[seq % 4],
        "service_tier": "auto" if endpoint.startswith("POST /v1/") and provider != "claude" else "default",
        "response_service_tier": "default" if provider == "codex" and not failed else "",
    }


# --- mixed batches -----------------------------------------------------------------------------

# Scenarios that every batch of reasonable size starts with, so coverage never depends on luck:
# (provider, version, auth_type, attempt statuses (200 = success), special)
_SCENARIOS: tuple[tuple[str, str, str, tuple[int, ...], str], ...] = (
    ("codex", "7.2", "oauth", (200,), ""),
    ("claude", "7.2", "apikey", (429, 500, 200), ""),
    ("gemini", "7.1", "apikey", (200,), ""),
    ("openai-compatible-x", "7.0", "apikey", (500,), ""),
    ("xai", "6.10", "apikey", (200,), ""),
    ("codex", "7.2", "oauth", (200,), "zero"),
    ("claude", "7.2", "oauth", (200,), ""),
    ("gemini", "7.2", "oauth", (429, 200), ""),
    ("openai-compatible-x", "7.2", "apikey", (200,), "unclassified"),
    ("codex", "6.10", "oauth", (200,), ""),
    ("xai", "7.1", "apikey", (429,), ""),
    ("claude", "7.0", "apikey", (200,), "zero"),
)


def _random_scenario(rng: random.Random) -> tuple[str, str, str, tuple[int, ...], str]:
    provider = rng.choice(PROVIDERS)
    version = rng.choice(("6.10", "7.0", "7.1", "7.2", "7.2", "7.2"))
    auth_type = "oauth" if provider in ("codex", "gemini", "claude") and rng.random() < 0.5 else "apikey"
    roll = rng.random()
    if roll < 0.15:
        attempts: tuple[int, ...] = (rng.choice((429, 500)), 200)
    elif roll < 0.22:
        attempts = (429, 500, rng.choice((200, 500)))
    elif roll < 0.32:
        attempts = (rng.choice((429, 500)),)
    else:
        attempts = (200,)
    special = "zero" if attempts == (200,) and rng.random() < 0.08 else ""
    return provider, version, auth_type, attempts, special


def _credential(provider: str, auth_type: str, index: int) -> str:
    if auth_type == "apikey":
        return PROVIDER_KEYS[provider][index % 3]
    return OAUTH_EMAILS[index % 3]


def mixed_records(n: int, seed: int = 0, *, start: datetime | None = None) -> list[dict[str, Any]]:
    """``n`` pairwise-distinct records mixing versions, providers, failures and retries.

    The first groups follow ``_SCENARIOS`` so a batch of 20 or more always contains every
    version and provider, 429/500 failures, zero-token and "unclassified" records, and
    multi-attempt requests whose attempts share a request_id but not an auth_index.
    """
    rng = random.Random(seed)
    moment = DEFAULT_START if start is None else start
    out: list[dict[str, Any]] = []
    group = 0
    while len(out) < n:
        scenario = _SCENARIOS[group] if group < len(_SCENARIOS) else _random_scenario(rng)
        request_id = f"{rng.getrandbits(32):08x}"
        client_key = rng.choice(CLIENT_API_KEYS)
        model = rng.choice(MODELS[scenario[0]])
        first_cred = rng.randrange(3)
        for attempt, status in enumerate(scenario[3]):
            if len(out) >= n:
                break
            moment += timedelta(microseconds=rng.randint(200_000, 20_000_000))
            out.append(
                _mixed_one(
                    scenario,
                    status,
                    attempt,
                    first_cred,
                    moment,
                    rng,
                    request_id,
                    client_key,
                    model,
                    seq=seed * 1_000_003 + len(out),
                )
            )
        group += 1
    return out


def _mixed_one(
    scenario: tuple[str, str, str, tuple[int, ...], str],
    status: int,
    attempt: int,
    first_cred: int,
    moment: datetime,
    rng: random.Random,
    request_id: str,
    client_key: str,
    model: str,
    seq: int,
) -> dict[str, Any]:
    provider, version, auth_type, _, special = scenario
    tokens = None
    if special == "zero":
        tokens = {"input": 0, "output": 0}
    elif special == "unclassified":
        tokens = {"input": 0, "output": 0, "total": rng.randint(100, 5000)}
    when = moment.astimezone(CST) if rng.random() < 0.25 else moment
    nanos = moment.microsecond * 1000 + rng.choice((0, rng.randrange(1000)))
    record = make_record(
        version=version,
        provider=provider,
        model=model,
        failed=status != 200,
        request_id=request_id,
        api_key=client_key,
        source=_credential(provider, auth_type, first_cred + attempt),
        auth_type=auth_type,
        timestamp=when,
        tokens=tokens,
        seq=seq,
        status_code=status,
        timestamp_nanos=nanos,
    )
    if special == "zero" and provider == "claude":
        record["endpoint"] = "POST /v1/messages/count_tokens"
    return record


def secrets_in(records: Iterable[dict[str, Any]]) -> set[str]:
    """Every plaintext secret present in ``records``: client keys, apikey sources, keys in bodies."""
    found: set[str] = set()
    for record in records:
        if record.get("api_key"):
            found.add(record["api_key"])
        if record.get("auth_type") == "apikey" and record.get("source"):
            found.add(record["source"])
        body = (record.get("fail") or {}).get("body", "")
        found.update(secret for secret in SECRET_VALUES if secret in body)
    return found
