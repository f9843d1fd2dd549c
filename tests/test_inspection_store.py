"""The inspection store: runs pruned to the newest few with their results, and the record of who disabled
what kept in line with what CPA lists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.inspection import InspectionStore, ResultRow, Sighting


@pytest.fixture
def store(tmp_path: Path) -> Iterator[InspectionStore]:
    db = Database(tmp_path / "usage.sqlite")
    yield InspectionStore(db)
    db.close()


def result(run_id: int, seq: int, action: str) -> ResultRow:
    return ResultRow(run_id, seq, f"i{seq}", f"f{seq}.json", "a***@x.test", None, False, 200, 10.0, action,
                     "healthy", "{}")


def test_old_runs_are_pruned_with_their_results(store: InspectionStore) -> None:
    ids = [store.create_run(1000 + n, "{}") for n in range(4)]
    for run_id in ids:
        store.add_results([result(run_id, 0, "keep"), result(run_id, 1, "disable")])
        store.finish_run(run_id, 2000, "finished")
    assert store.prune(keep=2) == 2
    assert [(r.id, r.counts, r.checked) for r in store.runs()] == [
        (ids[3], (("disable", 1), ("keep", 1)), 2), (ids[2], (("disable", 1), ("keep", 1)), 2)]
    assert store.results(ids[0]) == [] and store.run(ids[0]) is None


def test_a_run_left_running_is_interrupted_at_start(store: InspectionStore) -> None:
    run_id = store.create_run(1000, "{}")
    assert store.interrupt_running(1500) == 1
    run = store.run(run_id)
    assert run is not None and (run.state, run.finished_s) == ("interrupted", 1500)


def test_a_credential_seen_disabled_without_our_record_was_disabled_by_hand(store: InspectionStore) -> None:
    store.record_disable("ours", "ours.json", "inspection", 100, 1)
    seen = store.observe([Sighting("ours", "ours.json", True), Sighting("theirs", "theirs.json", True),
                          Sighting("unknown", "u.json", None), Sighting("on", "on.json", False)], 200, 2)
    assert seen == {"ours": "inspection", "theirs": "manual"}
    # Seen enabled again: whoever disabled it, nobody does now.
    assert store.observe([Sighting("ours", "ours.json", False)], 300, 3) == {}
    assert store.disables() == {"theirs": "manual"}
    store.observe([Sighting("ours", "ours.json", True)], 400, 4)  # disabled again, not by us
    assert store.disabled_by("ours") == "manual"


def test_one_of_ours_changed_since_we_disabled_it_becomes_manual(store: InspectionStore) -> None:
    store.record_disable("ours", "ours.json", "inspection", 100, 1)
    store.set_stamps({"ours": "2026-12-06T00:00:00Z"})
    store.set_stamps({"ours": "2026-12-06T09:99:99Z"})  # only a record without a stamp takes one
    assert store.observe([Sighting("ours", "ours.json", True, "2026-12-06T00:00:00Z")], 200, 2) == {
        "ours": "inspection"}
    assert store.observe([Sighting("ours", "ours.json", True, None)], 250, 2) == {"ours": "inspection"}
    # Enabled and disabled again by someone between two looks: the file's stamp moved.
    assert store.observe([Sighting("ours", "ours.json", True, "2026-12-06T00:05:00Z")], 300, 3) == {
        "ours": "manual"}
