"""Token buckets that never overlap, whatever the provider's own accounting.

CPA forwards each provider's raw buckets, which overlap differently (cpa-protocol.md §2):
OpenAI-style providers count cache inside input and reasoning inside output; Claude keeps uncached
input, cache read, cache write and output independent; Gemini-style providers count cache inside
input but reasoning outside output. `token_breakdown` (CPA ≥ v7.2.97) already gives non-overlapping
buckets and wins when present.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

CLAUDE_PROVIDERS = frozenset({"claude", "anthropic"})
GEMINI_PROVIDERS = frozenset({"gemini", "gemini-cli", "vertex", "aistudio", "antigravity"})
# A trillion tokens in one request is beyond any model; the bound keeps every sum SQLite makes of
# these counts (a record's total, an hour's rollup) far inside int64, where 10**20 or two int64-max
# counts summed made the batch write fail forever (issue 11).
MAX_TOKEN_COUNT = 10**12


class Buckets(NamedTuple):
    uncached_input: int
    cache_read: int
    cache_write: int
    output_total: int       # includes reasoning
    reasoning: int
    unclassified: int
    quality: str            # token_breakdown quality, or "derived"

    @property
    def total(self) -> int:
        return self.uncached_input + self.cache_read + self.cache_write + self.output_total + self.unclassified


def family(provider: str | None) -> str:
    name = (provider or "").lower()
    if name in CLAUDE_PROVIDERS or name.startswith("claude"):
        return "claude"
    if name in GEMINI_PROVIDERS or name.startswith("gemini"):
        return "gemini"
    return "openai"


def count(value: Any) -> int:
    """A non-negative token count; raises ValueError for anything that is not a whole number up to
    MAX_TOKEN_COUNT."""
    if type(value) is int and value <= MAX_TOKEN_COUNT:
        return value if value > 0 else 0
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ValueError("token count is a boolean")
    is_whole_float = isinstance(value, float) and value.is_integer()
    is_digit_text = isinstance(value, str) and value.strip().lstrip("-").isdigit()
    if not (isinstance(value, int) or is_whole_float or is_digit_text):
        raise ValueError(f"token count {value!r} is not a whole number")
    number = int(value)
    if number > MAX_TOKEN_COUNT:
        raise ValueError(f"token count {number} is out of range")
    return max(number, 0)


def from_breakdown(breakdown: Mapping[str, Any]) -> Buckets | None:
    inputs, outputs = breakdown.get("input"), breakdown.get("output")
    if not isinstance(inputs, Mapping) or not isinstance(outputs, Mapping):
        return None
    return Buckets(
        uncached_input=count(inputs.get("uncached_tokens")),
        cache_read=count(inputs.get("cache_read_tokens")),
        cache_write=count(inputs.get("cache_write_tokens")),
        output_total=count(outputs.get("total_tokens")),
        reasoning=count(outputs.get("reasoning_tokens")),
        unclassified=count(breakdown.get("unclassified_tokens")),
        quality=str(breakdown.get("quality") or "complete")[:20],
    )


def derive(provider: str | None, raw: Mapping[str, int]) -> Buckets:
    """Buckets from raw provider counts, using that provider's overlap rules."""
    input_tokens, output_tokens, reasoning = raw["input"], raw["output"], raw["reasoning"]
    cache_read = raw["cache_read"] or raw["cached"]
    cache_write = raw["cache_creation"]
    kind = family(provider)
    if kind == "claude":
        return Buckets(input_tokens, cache_read, cache_write, output_tokens, reasoning, 0, "derived")
    if kind == "gemini":
        uncached = max(input_tokens - cache_read - cache_write, 0)
        return Buckets(uncached, cache_read, cache_write, output_tokens + reasoning, reasoning, 0, "derived")
    uncached = max(input_tokens - cache_read - cache_write, 0)
    return Buckets(uncached, cache_read, cache_write, output_tokens, min(reasoning, output_tokens), 0, "derived")
