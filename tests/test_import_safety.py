"""Import (issue 11 §5): no input gets a 5xx, a rejected import writes nothing, and a JSON array is
read as a stream."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable
from typing import Any

import pytest

from cpa_manager_desktop.app import App
from cpa_manager_desktop.cpa.jsonarray import BadElement, iter_array
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.rows import EventRow
from tests.client import call
from tests.cpa_double import records
from tests.cpa_double.poison import POISON_VALUES, deep_json

KEY = "right-key-123"
ENV = {"CPA_UPSTREAM_URL": "http://127.0.0.1:9", "CPA_MANAGEMENT_KEY": KEY}


@pytest.fixture
def app(start_app: Callable[..., App]) -> App:
    return start_app(ENV)


def post(app: App, body: bytes) -> Any:
    return call("POST", f"{app.base_url}/v0/management/usage/import", key=KEY, body=body)


def stored(app: App) -> int:
    return app.db.read(lambda conn: conn.execute("SELECT COUNT(*) FROM usage_events").fetchone()[0])


def export_lines(start_app: Callable[..., App], tmp_path: Any, count: int) -> list[bytes]:
    source = start_app(ENV, data_dir=str(tmp_path / "source"))
    rows = [classify(r) for r in records.mixed_records(count, seed=51)]
    assert all(isinstance(r, EventRow) for r in rows)
    EventStore(source.db).add_batch(rows)
    exported = call("GET", f"{source.base_url}/v0/management/usage/export", key=KEY)
    return exported.body.splitlines()


@pytest.mark.parametrize("bad_field", [
    ("input_tokens", "100000000000000000000"),   # passed validation on main, then overflowed SQLite
    ("model", "\ud800"),                         # text SQLite cannot encode
    ("latency_ms", 10**30),
])
def test_a_bad_line_after_1200_good_ones_writes_nothing(start_app, tmp_path, bad_field: tuple[str, Any]) -> None:
    lines = export_lines(start_app, tmp_path, 1201)
    name, value = bad_field
    last = json.loads(lines[-1])
    last[name] = value
    lines[-1] = json.dumps(last).encode()
    target = start_app(ENV, data_dir=str(tmp_path / "target"))

    reply = post(target, b"\n".join(lines))

    assert reply.status == 400, reply.body
    assert (reply.json["code"], reply.json["added"]) == ("import_rejected", 0)
    assert stored(target) == 0


def _mutated_file(rng: random.Random, valid: list[dict[str, Any]]) -> bytes:
    recs = [dict(r) for r in rng.sample(valid, 5)]
    victim = rng.choice(recs)
    marker = "__POISON__"
    target = victim.setdefault("tokens", {}) if rng.random() < 0.3 else victim
    target[rng.choice(sorted(target) or ["x"])] = marker
    shape = rng.randrange(3)
    if shape == 0:
        text = "\n".join(json.dumps(r) for r in recs)
    elif shape == 1:
        text = json.dumps(recs)
    else:
        text = json.dumps({"version": 1, "usage": {"apis": {"sk-x": {"models": {"m": {"details": recs}}}}}})
    text = text.replace(f'"{marker}"', rng.choice(POISON_VALUES))
    if rng.random() < 0.2:
        text = text[: rng.randrange(1, len(text))]
    return text.encode()


def test_fuzzed_imports_never_answer_5xx_and_rejections_write_nothing(app: App) -> None:
    rng = random.Random(52)
    valid = records.mixed_records(50, seed=53)
    files = [_mutated_file(rng, valid) for _ in range(200)]
    files += [deep_json().encode(), b"[" + deep_json().encode() + b"]", b'{"usage":' * 3000, b"[1e400]",
              b'{"usage": {"apis": []}}', b'{"usage": {"apis": {"k": {"models": []}}}}', b"[" * 100_000,
              b'{"version": true, "usage": {"apis": {}}}', b"\xff\xfe", b"null", b'"text"', b"[]"]
    for body in files:
        before = stored(app)
        reply = post(app, body)
        assert reply.status < 500, (reply.status, body[:200])
        if reply.status != 200:
            assert stored(app) == before, body[:200]


@pytest.mark.parametrize("chunk_chars", [1, 7, 64, 1 << 20])
def test_a_json_array_is_read_element_by_element(chunk_chars: int) -> None:
    recs = records.mixed_records(30, seed=54)
    text = json.dumps(recs[:10]) [:-1] + ", " + deep_json() + ", " + json.dumps(recs[10:])[1:]

    items = list(iter_array(io.BytesIO(text.encode()), chunk_chars=chunk_chars))

    assert [i for i in items if not isinstance(i, BadElement)] == recs
    assert [i.reason for i in items if isinstance(i, BadElement)] == ["nested too deeply to read"]
