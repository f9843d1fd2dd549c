"""The raw journal file and its replay (issue 11 §2)."""

from __future__ import annotations

import json
from pathlib import Path

from cpa_manager_desktop.collector.batch import replay_journal
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import BatchResult, EventStore
from cpa_manager_desktop.store.journal import JournalEntry, RawJournal
from tests.cpa_double import records


def payloads(n: int, seed: int) -> list[bytes]:
    return [json.dumps(r).encode() for r in records.mixed_records(n, seed=seed)]


def test_entries_round_trip_and_clear(tmp_path: Path) -> None:
    journal = RawJournal(tmp_path / "usage.journal")
    body = b"[" + b",".join(payloads(3, 81)) + b"]"
    journal.append("http", [body])
    journal.append("resp", [b"a", b"", b"\x00\xff"])
    assert journal.pending() == [JournalEntry("http", [body]), JournalEntry("resp", [b"a", b"", b"\x00\xff"])]
    journal.clear()
    assert journal.pending() == []
    journal.close()


def test_an_entry_cut_short_by_a_crash_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "usage.journal"
    journal = RawJournal(path)
    journal.append("resp", [b"kept"])
    journal.append("resp", [b"torn away"])
    journal.close()
    path.write_bytes(path.read_bytes()[:-3])
    assert RawJournal(path).pending() == [JournalEntry("resp", [b"kept"])]


def test_replay_stores_what_is_missing_and_skips_what_is_stored(tmp_path: Path) -> None:
    db = Database(tmp_path / "usage.sqlite")
    events = EventStore(db)
    journal = RawJournal(tmp_path / "usage.journal")
    first, second = payloads(30, 82), payloads(20, 83)
    journal.append("resp", first)
    assert replay_journal(journal, events.add_batch) == BatchResult(inserted=30, skipped=0, dead_letters=0)
    # Committed, but the kill came before the journal was emptied: the replay skips every event.
    journal.append("http", [b"[" + b",".join(first) + b"]"])
    journal.append("resp", second)
    assert replay_journal(journal, events.add_batch) == BatchResult(inserted=20, skipped=30, dead_letters=0)
    assert (events.counts().events, journal.pending()) == (50, [])
    journal.close()
    db.close()
