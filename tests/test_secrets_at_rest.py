"""Secrets at rest (issue 11 §6): dead letters, the raw journal and exports mask the configured
Management Key and key-shaped strings; the journal stays replayable to the very same rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from cpa_manager_desktop.app import App
from cpa_manager_desktop.collector.batch import replay_journal
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.redact import mask_raw_payload, register_secret
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.journal import RawJournal
from cpa_manager_desktop.store.rows import EventRow
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble, records
from tests.test_collection import collecting, query

PROVIDER_KEY = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz"


def test_dead_letters_mask_the_management_key(start_app: Callable[..., App], cpa: CpaDouble) -> None:
    cpa.enqueue(f"garbage with {KEY} and {PROVIDER_KEY}",
                json.dumps({"tokens": "lots", "note": f"key={KEY}", "x": PROVIDER_KEY}))
    app = collecting(start_app, cpa)
    assert app.collector.wait_for(lambda s: s.total_popped >= 2 and s.pending_items == 0, 10)

    letters = query(app, "SELECT error, payload FROM dead_letters")

    assert len(letters) == 2
    text = json.dumps(letters)
    assert KEY not in text and PROVIDER_KEY not in text, text


def test_the_journal_keeps_no_key_yet_replays_the_same_rows(tmp_path: Path) -> None:
    register_secret(KEY)
    recs = records.mixed_records(200, seed=91)
    recs[5]["fail"] = {"status_code": 401, "body": f"bad key {KEY}"}
    secrets = records.secrets_in(recs) | {KEY}
    assert secrets - {KEY}, "the fixture must hold client and provider keys"
    journal = RawJournal(tmp_path / "usage.journal", mask=mask_raw_payload)
    journal.append("http", [json.dumps(recs).encode()])
    journal.append("resp", [json.dumps(r).encode() for r in recs[:20]])

    on_disk = (tmp_path / "usage.journal").read_bytes()
    assert not [s for s in secrets if s.encode() in on_disk]

    db = Database(tmp_path / "usage.sqlite")
    try:
        events = EventStore(db)
        replay_journal(journal, events.add_batch)
        stored = db.read(lambda c: c.execute(
            "SELECT event_key, api_key_hash, api_key_label, source_hash, source_label FROM usage_events "
            "ORDER BY id").fetchall())
    finally:
        journal.close()
        db.close()
    live = [classify(r) for r in recs]
    assert all(isinstance(row, EventRow) for row in live)
    assert stored == [(r.event_key, r.api_key_hash, r.api_key_label, r.source_hash, r.source_label) for r in live]


def test_exports_mask_the_management_key(start_app: Callable[..., App]) -> None:
    app = start_app({"CPA_UPSTREAM_URL": "http://127.0.0.1:9", "CPA_MANAGEMENT_KEY": KEY})
    row = classify(records.mixed_records(1, seed=92)[0])
    assert isinstance(row, EventRow)
    EventStore(app.db).add_batch([row._replace(user_agent=f"agent {KEY}", alias=PROVIDER_KEY)])

    exported = call("GET", f"{app.base_url}/v0/management/usage/export", key=KEY).body

    assert exported.count(b"\n") == 1
    assert KEY.encode() not in exported and PROVIDER_KEY.encode() not in exported
