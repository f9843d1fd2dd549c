"""Codex inspection for HTTP: start a dry run, list past runs, one run with its results and live progress,
cancel, and execute suggestions, which needs an explicit confirmation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.quota.inspection import InspectionRunner, RunNotFound, RunProgress
from cpa_manager_desktop.quota.inspection_actions import Executed, InspectionExecutor
from cpa_manager_desktop.quota.inspection_rules import InspectionSettings, Reason, sentence
from cpa_manager_desktop.store.inspection import InspectionStore, ResultRow, RunRow


@dataclass(frozen=True)
class RunSummary:
    row: RunRow
    settings: InspectionSettings
    progress: RunProgress  # live for the run in progress, else from the store


@dataclass(frozen=True)
class ResultView:
    row: ResultRow
    values: dict[str, Any]
    sentence: str


@dataclass(frozen=True)
class RunDetail:
    summary: RunSummary
    results: tuple[ResultView, ...]


class InspectionService:
    def __init__(self, store: InspectionStore, runner: InspectionRunner, executor: InspectionExecutor) -> None:
        self._store = store
        self._runner = runner
        self._executor = executor

    def start(self, settings: InspectionSettings) -> RunSummary:
        """Validates the settings (BadRequest naming every problem), then starts a dry run."""
        problems = settings.problems()
        if problems:
            raise BadRequest(" ".join(problems), code="invalid_settings")
        return self._summary(self._found(self._runner.begin(settings.normalised())))

    def runs(self) -> list[RunSummary]:
        return [self._summary(row) for row in self._store.runs()]

    def run(self, run_id: int) -> RunDetail:
        summary = self._summary(self._found(run_id))
        results = tuple(_view(r) for r in self._store.results(run_id))
        return RunDetail(summary, results)

    def cancel(self, run_id: int) -> RunSummary:
        self._found(run_id)
        self._runner.cancel(run_id)
        return self._summary(self._found(run_id))

    def execute(self, run_id: int, seq: int | None, *, confirmed: bool) -> list[Executed]:
        if not confirmed:
            raise BadRequest("Executing changes credentials at CPA: send confirm: true to go ahead.",
                             code="confirmation_required")
        return self._executor.execute(run_id, seq)

    def _found(self, run_id: int) -> RunRow:
        row = self._store.run(run_id)
        if row is None:
            raise RunNotFound(f"There is no inspection run {run_id}.")
        return row

    def _summary(self, row: RunRow) -> RunSummary:
        live = self._runner.progress(row.id)
        progress = live if live is not None and live.state == "running" else RunProgress(
            row.id, row.total, row.checked, row.state)
        return RunSummary(row, InspectionSettings(**json.loads(row.settings)), progress)


def _view(row: ResultRow) -> ResultView:
    values = json.loads(row.reason_values)
    return ResultView(row, values, sentence(Reason(row.reason), values))
