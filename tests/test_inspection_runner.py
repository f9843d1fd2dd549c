"""The inspection runner on a scripted source: CPA refusing the key ends the run after one call (each further
call would count towards CPA's IP ban), CPA unreachable fails the run with its sentence, and stop() joins."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cpa_manager_desktop.cpa.errors import AuthRejected, SourceUnavailable
from cpa_manager_desktop.errors import AppError
from cpa_manager_desktop.quota.inspection import InspectionRunner
from cpa_manager_desktop.quota.inspection_rules import InspectionSettings
from cpa_manager_desktop.quota.providers import ApiRequest
from cpa_manager_desktop.quota.reading import ApiAnswer
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.inspection import InspectionStore
from tests.conftest import wait_until


class Source:
    def __init__(self, entries: list[Any] | Exception, call_error: Exception | None = None) -> None:
        self._entries = entries
        self._call_error = call_error
        self.calls = 0
        self._lock = threading.Lock()

    def entries(self) -> list[Any]:
        if isinstance(self._entries, Exception):
            raise self._entries
        return self._entries

    def call(self, auth_index: str, request: ApiRequest, timeout_s: float) -> ApiAnswer:
        with self._lock:
            self.calls += 1
        if self._call_error is not None:
            raise self._call_error
        return ApiAnswer(429, "{}")

    def set_disabled(self, name: str, auth_index: str, disabled: bool) -> None:
        raise AssertionError("a run never writes")

    def delete(self, name: str) -> None:
        raise AssertionError("a run never writes")


def codex(n: int) -> dict[str, Any]:
    return {"auth_index": f"i{n}", "name": f"codex-{n}.json", "type": "codex", "disabled": False, "status": "active"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[InspectionStore]:
    db = Database(tmp_path / "usage.sqlite")
    yield InspectionStore(db)
    db.close()


def run_to_end(store: InspectionStore, source: Source, **kwargs: Any) -> tuple[InspectionRunner, int]:
    runner = InspectionRunner(store, lambda: source, **kwargs)
    runner.start()
    run_id = runner.begin(InspectionSettings(workers=1))
    wait_until(lambda: not runner.is_running(run_id), message="the run to end")
    assert runner.stop(timeout_s=5)
    return runner, run_id


def test_a_rejected_key_ends_the_run_after_one_call(store: InspectionStore) -> None:
    rejected: list[AuthRejected] = []
    source = Source([codex(n) for n in range(3)], AuthRejected("CPA rejected the Management Key", is_bad_key=True))
    _, run_id = run_to_end(store, source, on_auth_rejected=rejected.append)
    run = store.run(run_id)
    assert run is not None and (run.state, run.error, run.checked) == ("failed", "CPA rejected the Management Key", 0)
    assert source.calls == 1 and len(rejected) == 1


def test_cpa_unreachable_fails_the_run_with_its_sentence(store: InspectionStore) -> None:
    _, run_id = run_to_end(store, Source(SourceUnavailable("Cannot reach CPA at http://x: connection refused")))
    run = store.run(run_id)
    assert run is not None and (run.state, run.error) == ("failed", "Cannot reach CPA at http://x: connection refused")


def test_results_are_kept_and_a_stopped_runner_refuses_runs(store: InspectionStore) -> None:
    runner, run_id = run_to_end(store, Source([codex(n) for n in range(3)]))
    assert [(r.action, r.reason, r.http_status) for r in store.results(run_id)] == [("keep", "rate_limited", 429)] * 3
    with pytest.raises(AppError, match="starting or stopping"):
        runner.begin(InspectionSettings())
