"""Synthetic usage events for benchmarks: seeded EventRows written through the real store code.

Rows are built directly (no JSON, no normaliser) but carry what the normaliser would store: masked labels,
sha256 hashes, non-overlapping token buckets derived with each provider family's overlap rules, and
`token_quality="derived"`. Events are spread evenly over `days` days ending at `now`, in time order, as a
collector would insert them. The same (count, seed, now) always produces the same rows.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from cpa_manager_desktop.redact import mask_email, mask_secret, sha256_hex
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.rows import EventRow

GENERATOR_VERSION = 1  # bump when the rows change, so cached databases are rebuilt
NS_PER_DAY = 86_400 * 1_000_000_000
TABLE_BITS = 12  # weighted picks use 4096-entry lookup tables: one getrandbits() per pick
FAILED_SHARE = 0.08
HOME_PROVIDER_SHARE = 0.7  # a client key mostly uses one provider (a Claude Code user, a Codex user...)
T = TypeVar("T")

# model, provider, weight
MODELS: tuple[tuple[str, str, float], ...] = (
    ("gpt-5.4", "codex", 22), ("gpt-5.4-mini", "codex", 10), ("gpt-5.3-codex", "codex", 7),
    ("claude-sonnet-4-5", "claude", 20), ("claude-opus-4-5", "claude", 8), ("claude-haiku-4-5", "claude", 5),
    ("gemini-2.5-pro", "gemini", 8), ("gemini-2.5-flash", "gemini", 7), ("gemini-3-pro-preview", "gemini", 3),
    ("deepseek-v3.2", "openai-compatible-x", 4), ("kimi-k2-thinking", "openai-compatible-x", 3),
    ("grok-4", "xai", 3),
)
PROVIDERS = ("codex", "claude", "gemini", "openai-compatible-x", "xai")
ACCOUNTS_PER_PROVIDER = {"codex": 12, "claude": 12, "gemini": 8, "openai-compatible-x": 4, "xai": 4}
API_KEY_PROVIDERS = frozenset({"openai-compatible-x", "xai"})  # the rest sign in with OAuth accounts
CLIENT_KEYS = 8
# endpoint and its share per provider; five endpoints in all
ENDPOINTS: dict[str, tuple[tuple[str, float], ...]] = {
    "codex": (("POST /v1/responses", 8), ("POST /v1/chat/completions", 2)),
    "claude": (("POST /v1/messages", 9), ("POST /v1/chat/completions", 1)),
    "gemini": (("POST /v1beta/models/*action", 7), ("POST /v1/chat/completions", 3)),
    "openai-compatible-x": (("POST /v1/chat/completions", 9), ("POST /v1/completions", 1)),
    "xai": (("POST /v1/chat/completions", 7), ("POST /v1/responses", 3)),
}
FIRST_NAMES = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
               "niaj")  # distinct first three letters, so the masked labels differ
EXECUTORS = {"codex": "CodexAutoExecutor", "claude": "ClaudeExecutor", "gemini": "GeminiExecutor",
             "openai-compatible-x": "OpenAICompatExecutor", "xai": "XAIExecutor"}
USER_AGENTS = ("codex_cli_rs/0.46.0", "claude-cli/2.0.14 (external, cli)", "GeminiCLI/0.9.0 (linux; x64)",
               "OpenAI/Python 1.109.1", "Cline/3.32.0")
FAILURES: tuple[tuple[int, str], ...] = (
    (429, '{"error":{"type":"rate_limit_error","message":"Rate limit reached, retry after 20s"}}'),
    (429, '{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}}'),
    (500, '{"error":{"type":"server_error","message":"The server had an error processing your request"}}'),
    (502, '{"error":{"type":"upstream_error","message":"upstream connect error or disconnect/reset"}}'),
)


@dataclass(frozen=True)
class Account:
    provider: str
    auth_index: str
    auth_type: str
    source_label: str
    source_hash: str


@dataclass(frozen=True)
class ClientKey:
    api_key_hash: str
    api_key_label: str
    models: tuple[tuple[str, str], ...]  # weighted lookup table of (model, provider)


@dataclass(frozen=True)
class BuildStats:
    events: int
    seconds: float
    db_bytes: int

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def lookup_table(items: Sequence[T], weights: Sequence[float]) -> tuple[T, ...]:
    """A table where each item fills a share of the slots proportional to its weight."""
    size = 1 << TABLE_BITS
    total = sum(weights)
    table: list[T] = []
    cumulative = 0.0
    for item, weight in zip(items, weights, strict=True):
        cumulative += weight
        table.extend([item] * (round(cumulative / total * size) - len(table)))
    return tuple(table)


def make_accounts() -> dict[str, tuple[Account, ...]]:
    accounts: dict[str, tuple[Account, ...]] = {}
    for provider in PROVIDERS:
        made = []
        for i in range(ACCOUNTS_PER_PROVIDER[provider]):
            auth_index = hashlib.sha256(f"account:{provider}:{i}".encode()).hexdigest()[:16]
            if provider in API_KEY_PROVIDERS:
                source = f"sk-{provider[:4]}-" + hashlib.sha256(f"key:{provider}:{i}".encode()).hexdigest()[:40]
                made.append(Account(provider, auth_index, "apikey", mask_secret(source), sha256_hex(source)))
            else:
                source = f"{FIRST_NAMES[i]}@{provider}.example.com"
                made.append(Account(provider, auth_index, "oauth", mask_email(source), sha256_hex(source)))
        accounts[provider] = tuple(made)
    return accounts


def make_client_keys() -> tuple[ClientKey, ...]:
    keys = []
    for i in range(CLIENT_KEYS):
        raw = "sk-client-" + hashlib.sha256(f"client:{i}".encode()).hexdigest()[:32]
        home = PROVIDERS[i % 3]  # most clients are codex, claude or gemini CLIs
        models = lookup_table([(m, p) for m, p, _ in MODELS], _client_weights(home))
        keys.append(ClientKey(sha256_hex(raw), mask_secret(raw), models))
    return tuple(keys)


def _client_weights(home: str) -> list[float]:
    """HOME_PROVIDER_SHARE of a client's requests go to its home provider's models, the rest anywhere."""
    total = sum(w for _, _, w in MODELS)
    home_total = sum(w for _, p, w in MODELS if p == home)
    return [HOME_PROVIDER_SHARE * (w / home_total if p == home else 0) + (1 - HOME_PROVIDER_SHARE) * w / total
            for _, p, w in MODELS]


class EventFactory:
    """Rows in time order over [now - days, now); call `row(i)` for i = 0, 1, 2... in sequence."""

    def __init__(self, count: int, seed: int, now_ns: int, days: int = 90) -> None:
        self._rng = random.Random(seed)
        self._seed = seed
        self._start_ns = now_ns - days * NS_PER_DAY
        self._step_ns = days * NS_PER_DAY / count
        accounts = make_accounts()
        # CPA round-robins a provider's accounts, but some are exhausted or disabled for a while.
        self._accounts = {p: lookup_table(a, [1.0 / (1 + k) ** 0.5 for k in range(len(a))])
                          for p, a in accounts.items()}
        keys = make_client_keys()
        self._keys = lookup_table(keys, [1.0 / (1 + k) for k in range(len(keys))])
        self._endpoints = {p: lookup_table([e for e, _ in ends], [w for _, w in ends]) for p, ends in ENDPOINTS.items()}

    def _pick(self, table: tuple[T, ...]) -> T:
        return table[self._rng.getrandbits(TABLE_BITS)]

    def row(self, index: int) -> EventRow:
        rng = self._rng
        key = self._pick(self._keys)
        model, provider = self._pick(key.models)
        account = self._pick(self._accounts[provider])
        failed = rng.random() < FAILED_SHARE
        status, body = FAILURES[rng.getrandbits(2)] if failed else (200, None)
        latency = min(max(int(rng.lognormvariate(8.2, 1.0)), 200), 60_000)
        if failed:
            latency = min(latency, 5_000)
        ttft = None if failed or rng.random() < 0.3 else max(int(latency * rng.uniform(0.05, 0.5)), 50)
        return EventRow(
            event_key=hashlib.sha256(f"{self._seed}:{index}".encode()).digest()[:16],
            request_id=f"{rng.getrandbits(32):08x}",
            ts_ns=self._start_ns + int((index + rng.random()) * self._step_ns),
            provider=provider, executor_type=EXECUTORS[provider], model=model, alias=None,
            endpoint=self._pick(self._endpoints[provider]),
            auth_type=account.auth_type, auth_index=account.auth_index, source_label=account.source_label,
            source_hash=account.source_hash, api_key_hash=key.api_key_hash, api_key_label=key.api_key_label,
            **self._tokens(provider, failed),
            token_quality="derived", latency_ms=latency, ttft_ms=ttft, failed=int(failed),
            status_code=status, fail_body=body,
            reasoning_effort=("low", "medium", "high")[rng.getrandbits(1) + rng.getrandbits(1)]
            if provider == "codex" else None,
            service_tier=None, response_service_tier=None, client_ip=f"10.0.0.{rng.getrandbits(3) + 2}",
            user_agent=USER_AGENTS[PROVIDERS.index(provider)], access_token_sha256=None,
        )

    def _tokens(self, provider: str, failed: bool) -> dict[str, int]:
        """Raw provider counts and the non-overlapping buckets the normaliser derives from them."""
        if failed:
            return token_fields(0, 0, 0, 0, 0, 0, 0, 0, 0)
        rng = self._rng
        output = int(rng.lognormvariate(6.0, 1.0)) + 1
        if provider == "claude":
            fresh, cache_write = rng.randint(1, 3000), rng.choice((0, 0, 512, 2048))
            cache_read = rng.choice((0, rng.randint(1_000, 120_000)))
            return token_fields(fresh, output, 0, cache_read, cache_write,
                                fresh, cache_read, cache_write, output)
        prompt = rng.randint(200, 120_000)
        cache_read = rng.choice((0, prompt // 2, prompt - prompt % 1024))
        if provider == "gemini":  # cache inside input, reasoning outside output
            reasoning = rng.randint(0, 2_000)
            return token_fields(prompt, output, reasoning, cache_read, 0,
                                prompt - cache_read, cache_read, 0, output + reasoning, reasoning)
        reasoning = rng.choice((0, output // 3))  # openai style: cache inside input, reasoning inside output
        return token_fields(prompt, output, reasoning, cache_read, 0, prompt - cache_read, cache_read, 0, output,
                            reasoning)


def token_fields(input_tokens: int, output_tokens: int, reasoning: int, cached: int, cache_write: int,
                 in_uncached: int, in_cache_read: int, in_cache_write: int, out_total: int,
                 out_reasoning: int | None = None) -> dict[str, int]:
    """EventRow token columns; total is the sum of the non-overlapping buckets, as the app keeps it."""
    return {"input_tokens": input_tokens, "output_tokens": output_tokens, "reasoning_tokens": reasoning,
            "cached_tokens": cached, "cache_read_tokens": 0, "cache_creation_tokens": cache_write,
            "total_tokens": in_uncached + in_cache_read + in_cache_write + out_total,
            "in_uncached": in_uncached, "in_cache_read": in_cache_read, "in_cache_write": in_cache_write,
            "in_cache_write_1h": 0, "out_total": out_total,
            "out_reasoning": reasoning if out_reasoning is None else out_reasoning,
            "unclassified_tokens": 0}


def batches(count: int, seed: int, now_ns: int, batch: int = 5000, days: int = 90) -> Iterator[list[EventRow]]:
    factory = EventFactory(count, seed, now_ns, days)
    for offset in range(0, count, batch):
        yield [factory.row(i) for i in range(offset, min(offset + batch, count))]


def build_database(path: Path, count: int, seed: int, now_ns: int, *, batch: int = 5000,
                   progress: Callable[[int, float], None] | None = None, every: int = 1_000_000) -> BuildStats:
    """Insert `count` events through EventStore.add_batch (rollups and labels as the app keeps them).
    The time includes generating the rows. Raises RuntimeError if any row was skipped."""
    db = Database(path)
    store = EventStore(db)
    inserted = 0
    started = time.perf_counter()
    try:
        for rows in batches(count, seed, now_ns, batch):
            inserted += store.add_batch(rows).inserted
            if progress is not None and inserted // every != (inserted - len(rows)) // every:
                progress(inserted, time.perf_counter() - started)
    finally:
        db.close()
    seconds = time.perf_counter() - started
    if inserted != count:
        raise RuntimeError(f"inserted {inserted:,} of {count:,} events: event keys collided")
    return BuildStats(events=count, seconds=seconds, db_bytes=path.stat().st_size)


def save_stats(path: Path, stats: BuildStats) -> None:
    path.write_text(json.dumps({"events": stats.events, "seconds": stats.seconds, "db_bytes": stats.db_bytes}))


def load_stats(path: Path) -> BuildStats | None:
    try:
        data = json.loads(path.read_text())
        return BuildStats(events=int(data["events"]), seconds=float(data["seconds"]), db_bytes=int(data["db_bytes"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
