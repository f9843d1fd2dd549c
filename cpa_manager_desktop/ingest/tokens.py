"""One canonical token model: buckets that never overlap, whatever the provider's own accounting.

The buckets are uncached input, cache read, cache write (of which the 1-hour writes, when the record
tells them apart), output without reasoning, reasoning, and unclassified. "Input" is uncached + cache
read + cache write and "output" is output + reasoning for every provider, and a total is always the sum
of its buckets.

CPA forwards each provider's raw buckets, which overlap differently (cpa-protocol.md §2):
- OpenAI, Codex, xAI, Kimi, OpenAI-compatible: cache is inside input, reasoning inside output;
- Claude: uncached input, cache read, cache write and output are independent (thinking is inside
  output); before v7.1.44 its `total_tokens` left the cache out;
- Gemini, Vertex, Antigravity: cache is inside input, thoughts are output beside the candidates.
CPA v7.0.3 to v7.2.96 sends Claude records with `cache_read_tokens: 0` and `cached_tokens` holding the
cache *write* count (CPA's Claude parser fell back to the creation count); issue 12 counts those as
writes. `token_breakdown` (CPA >= v7.2.97) already has non-overlapping buckets and wins when its
quality is `complete`; an `inconsistent` one is rebuilt from the raw buckets (below).
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
INCONSISTENT = "inconsistent"


class Buckets(NamedTuple):
    uncached_input: int
    cache_read: int
    cache_write: int          # all cache writes, 5-minute and 1-hour
    output_total: int         # output including reasoning
    reasoning: int
    unclassified: int
    quality: str              # token_breakdown quality, or "derived"
    cache_write_1h: int = 0   # the 1-hour part of cache_write, when the record says

    @property
    def input_total(self) -> int:
        return self.uncached_input + self.cache_read + self.cache_write

    @property
    def total(self) -> int:
        return self.input_total + self.output_total + self.unclassified


def family(provider: str | None) -> str:
    name = (provider or "").lower()
    if name in CLAUDE_PROVIDERS or name.startswith("claude"):
        return "claude"
    if name in GEMINI_PROVIDERS or name.startswith("gemini"):
        return "gemini"
    return "openai"


_MODEL_FAMILIES = (("claude", "claude"), ("gemini", "gemini"), ("gpt-", "openai"), ("chatgpt", "openai"),
                   ("codex", "openai"), ("o1", "openai"), ("o3", "openai"), ("o4", "openai"), ("grok", "xai"),
                   ("kimi", "kimi"), ("moonshot", "kimi"))


def infer_provider(model: str | None, endpoint: str | None) -> str | None:
    """A provider for a record that names none (legacy snapshots), from its model, else its endpoint;
    None when neither tells, so its tokens are not read with a guessed provider's rules."""
    name = (model or "").lower().rsplit("/", 1)[-1]
    for prefix, provider in _MODEL_FAMILIES:
        if name.startswith(prefix):
            return provider
    route = (endpoint or "").lower()
    if route.endswith("/v1/messages"):
        return "claude"
    if "/v1beta/models" in route or ":generatecontent" in route:
        return "gemini"
    return None


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


def breakdown_total(breakdown: Mapping[str, Any]) -> int:
    return count(breakdown.get("total_tokens"))


def _claude_cache(raw: Mapping[str, int], cache_fields: bool) -> tuple[int, int]:
    read, write, cached = raw["cache_read"], raw["cache_creation"], raw["cached"]
    if read or write or not cached:
        return read, write
    # Only `cached_tokens` is set: from v7.0.3 (the record has cache_read_tokens) it is the write
    # count; before that CPA put the cache reads there.
    return (0, cached) if cache_fields else (cached, 0)


def derive(provider: str | None, raw: Mapping[str, int], *, cache_fields: bool = True) -> Buckets:
    """Buckets from raw provider counts, using that provider's overlap rules. `cache_fields` says the
    record carries `cache_read_tokens` (CPA >= v7.0.3)."""
    input_tokens, output_tokens, reasoning = raw["input"], raw["output"], raw["reasoning"]
    # v8 records may split cache writes into 5-minute and 1-hour parts (cpa-v8.md §7).
    write_1h = raw.get("cache_1h", 0)
    split = write_1h + raw.get("cache_5m", 0)
    kind = family(provider)
    if kind == "claude":
        read, write = _claude_cache(raw, cache_fields)
        write = max(write, split)
        return Buckets(input_tokens, read, write, output_tokens, min(reasoning, output_tokens), 0, "derived",
                       min(write_1h, write))
    read, write = raw["cache_read"] or raw["cached"], max(raw["cache_creation"], split)
    # Cache inside input; a cache larger than the input it belongs to keeps its reported size (the
    # provider billed it) and the uncached part is then zero.
    uncached = max(input_tokens - read - write, 0)
    if kind == "gemini":
        output_total, reasoning_in = output_tokens + reasoning, reasoning
    else:
        output_total, reasoning_in = output_tokens, min(reasoning, output_tokens)
    return Buckets(uncached, read, write, output_total, reasoning_in, 0, "derived", min(write_1h, write))


def rebuild_inconsistent(provider: str | None, raw: Mapping[str, int], reported_total: int,
                         *, cache_fields: bool = True) -> Buckets:
    """An `inconsistent` token_breakdown: the raw buckets with the provider's semantics, and whatever
    the reported total holds beyond them as unclassified (billed at the input price)."""
    derived = derive(provider, raw, cache_fields=cache_fields)
    return derived._replace(unclassified=max(reported_total - derived.total, 0), quality=INCONSISTENT)
