"""Poison records (issue 11): a record that cannot be read or stored becomes a dead letter with its
reason, the rest of its batch is stored, and the collector keeps running."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from cpa_manager_desktop.app import App
from cpa_manager_desktop.collector.batch import PendingBatch, StoreFailing, classify_items, commit
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.service.status import ServiceStatus
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import BatchResult, EventStore
from cpa_manager_desktop.store.rows import DeadLetterRow, EventRow
from tests.cpa_double import CpaDouble, records
from tests.cpa_double.poison import mutate, poison_records
from tests.test_collection import collecting, query


@pytest.fixture
def store(tmp_path: Path):
    db = Database(tmp_path / "usage.sqlite")
    yield EventStore(db)
    db.close()


def interleave(valid: list[dict[str, Any]], bad: list[bytes]) -> list[Any]:
    items: list[Any] = list(valid)
    step = max(len(valid) // (len(bad) + 1), 1)
    for index, payload in enumerate(bad):
        items.insert((index + 1) * step + index, payload)
    return items


def settled(app: App, cpa: CpaDouble, popped: int, timeout_s: float = 30) -> ServiceStatus:
    assert app.collector.wait_for(lambda s: s.total_popped >= popped and s.pending_items == 0, timeout_s), \
        app.controller.status().collector
    assert cpa.queue_length() == 0
    return app.controller.status()


@pytest.mark.parametrize("mode", ["http", "resp"])
def test_poison_records_become_dead_letters_and_the_rest_is_stored(start_app, cpa: CpaDouble, mode: str) -> None:
    valid = records.mixed_records(400, seed=31)
    poison = poison_records(valid[0])
    cpa.enqueue(*interleave(valid, list(poison.values())))
    app = collecting(start_app, cpa, USAGE_COLLECTOR_MODE=mode, USAGE_BATCH_SIZE="50")

    status = settled(app, cpa, len(valid) + len(poison))

    assert (status.events, status.dead_letters, status.collector.state) == (len(valid), len(poison), "running")
    assert query(app, "SELECT COUNT(*) FROM usage_events") == [(len(valid),)]
    reasons = [row[0] for row in query(app, "SELECT error FROM dead_letters ORDER BY id")]
    assert len(reasons) == len(poison) and all(reasons), reasons
    # After the poison the collector still collects.
    later = records.mixed_records(50, seed=32)
    cpa.enqueue(*later)
    assert settled(app, cpa, len(valid) + len(poison) + len(later)).events == len(valid) + len(later)


@pytest.mark.parametrize("mode", ["http", "resp"])
def test_fuzzed_records_never_stop_the_collector(start_app, cpa: CpaDouble, mode: str) -> None:
    rng = random.Random(f"fuzz-{mode}")
    valid = records.mixed_records(1500, seed=33)
    mutants = [mutate(rng.choice(valid), rng) for _ in range(1500)]
    items: list[Any] = valid + mutants
    rng.shuffle(items)
    cpa.enqueue(*items)
    app = collecting(start_app, cpa, USAGE_COLLECTOR_MODE=mode, USAGE_BATCH_SIZE="100")

    status = settled(app, cpa, len(items), timeout_s=60)

    assert status.collector.state == "running", status.collector
    stored = {row[0] for row in query(app, "SELECT event_key FROM usage_events")}
    expected = {classify(record).event_key for record in valid}
    assert expected <= stored, f"{len(expected - stored)} valid records were not stored"
    collector = status.collector
    # Every popped item is accounted for: stored, a duplicate of a stored one, or a dead letter.
    assert collector.total_inserted + collector.total_skipped + status.dead_letters \
        + collector.control_frames == len(items)


def test_a_row_the_database_refuses_is_isolated(store: EventStore) -> None:
    batch = classify_items(records.mixed_records(20, seed=34), "http")
    refused = batch.rows[7]._replace(ts_ns=2**70)   # past normalisation's bounds: SQLite's OverflowError
    batch.rows[7] = refused

    result = commit(store.add_batch, batch)

    assert result == BatchResult(inserted=19, skipped=0, dead_letters=1)
    assert store.counts().events == 19 and store.counts().dead_letters == 1
    assert (batch.rows, batch.dead) == ([], [])


def test_a_failing_store_keeps_the_uncommitted_rest(store: EventStore) -> None:
    """The whole batch fails, its first half then commits, and from then on the store fails every write,
    dead letters included: that is the store failing, not a record, so the rest stays in the batch."""
    batch = classify_items(records.mixed_records(10, seed=35), "http")
    calls: list[int] = []

    def store_breaking_down(rows: Sequence[EventRow], dead: Sequence[DeadLetterRow]) -> BatchResult:
        calls.append(len(rows))
        if len(calls) in (1, 3) or len(calls) >= 5:
            raise OSError("disk I/O error")
        return store.add_batch(rows, dead)

    with pytest.raises(StoreFailing):
        commit(store_breaking_down, batch)
    assert calls[:4] == [10, 0, 10, 5]
    assert (store.counts().events, store.counts().dead_letters) == (5, 0)
    assert len(batch.rows) == 5 and batch.inserted == 5, "the rows not written must stay in the batch"


class _Hostile(dict):
    """A record whose reading raises something no reader expects."""

    def get(self, *args: Any) -> Any:
        raise RuntimeError("unexpected")


def test_an_unexpected_error_while_reading_isolates_the_record() -> None:
    items: list[Any] = [json.dumps(r) for r in records.mixed_records(3, seed=36)]
    items.insert(1, _Hostile(timestamp="2026-01-01T00:00:00Z"))

    batch: PendingBatch = classify_items(items, "resp")

    assert (len(batch.rows), len(batch.dead), batch.popped) == (3, 1, 4)
    assert batch.dead[0].error == "internal error while reading the record (RuntimeError)"
