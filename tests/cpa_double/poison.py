"""Poison queue records and seeded mutations of valid ones, for the collector's robustness tests and
bench/fuzz_collector.py. Every payload is bytes exactly as CPA would publish it (CPA only checks that
a record is JSON, as Go's json.Valid, which accepts 1e400 and nesting up to 10,000 deep)."""

from __future__ import annotations

import json
import random
from typing import Any

INT64_MAX = 2**63 - 1
DEEP = 3000


def _text(record: dict[str, Any]) -> bytes:
    return json.dumps(record, separators=(",", ":")).encode()


def _with_raw(record: dict[str, Any], field: str, raw: str) -> bytes:
    """record with one top-level field's value replaced by raw JSON text (json.dumps cannot write 1e400)."""
    marker = "__RAW_VALUE__"
    return _text({**record, field: marker}).replace(f'"{marker}"'.encode(), raw.encode())


def deep_json(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


def poison_records(valid: dict[str, Any]) -> dict[str, bytes]:
    """The issue 11 cases, each built from a valid record: name → payload."""
    tokens = dict(valid.get("tokens") or {})
    return {
        "token_count_1e20": _text({**valid, "tokens": {**tokens, "input_tokens": 10**20}}),
        "int64_max_counts_summed": _text({**valid, "tokens": {**tokens, "input_tokens": INT64_MAX,
                                                              "output_tokens": INT64_MAX, "total_tokens": 0}}),
        "timestamp_1e30": _with_raw(valid, "timestamp", "1e30"),
        "timestamp_23_digits": _text({**valid, "timestamp": "1" * 23}),
        "timestamp_year_9999": _text({**valid, "timestamp": "9999-12-31T23:59:59Z"}),
        "latency_1e400": _with_raw(valid, "latency_ms", "1e400"),
        "nested_3000_deep_field": _with_raw(valid, "response_headers", deep_json()),
        "nested_3000_deep_record": deep_json().encode(),
    }


POISON_VALUES = (
    "1e400", "-1e400", "1e30", str(10**20), str(INT64_MAX), str(-INT64_MAX - 1), "1" * 23, '"' + "9" * 40 + '"',
    "null", "true", "[]", "{}", '"x"', '""', "0.5", "-1", deep_json(), deep_json(900), '{"a":' * 50 + "1" + "}" * 50,
    '"\\ud800"', '"' + "\u00e9" * 300 + '"', '"sk-' + "A" * 40 + '"',
)


def mutate(record: dict[str, Any], rng: random.Random) -> bytes:
    """One random mutation of a valid record's JSON: a field set to a poison value, a token count set to
    one, a field dropped, the text cut short, or bytes flipped."""
    choice = rng.randrange(5)
    if choice == 0:
        return _with_raw(record, rng.choice(sorted(record)), rng.choice(POISON_VALUES))
    if choice == 1:
        tokens = dict(record.get("tokens") or {"input_tokens": 1})
        name = rng.choice(sorted(tokens))
        raw_tokens = _text({**tokens, name: "__V__"}).decode().replace('"__V__"', rng.choice(POISON_VALUES))
        return _with_raw(record, "tokens", raw_tokens)
    if choice == 2:
        field = rng.choice(sorted(record))
        return _text({k: v for k, v in record.items() if k != field})
    text = _text(record)
    if choice == 3:
        return text[: rng.randrange(1, len(text))]
    data = bytearray(text)
    for _ in range(rng.randint(1, 4)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)
