"""What an import reports, and the error that rejects a file whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_REPORTED_ERRORS = 50


@dataclass
class ImportReport:
    format: str = "usage_service_jsonl"
    added: int = 0
    skipped: int = 0
    total: int = 0
    failed: int = 0
    unsupported: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    # Legacy snapshots name no provider: per model, the one inferred (None: unknown, left unpriced
    # unless its model has a price) and how many events it covers.
    inferred: dict[str, dict[str, Any]] = field(default_factory=dict)

    def note_inferred(self, model: str, provider: str | None) -> None:
        entry = self.inferred.setdefault(model, {"provider": provider, "events": 0})
        entry["events"] += 1

    def add_error(self, where: int, message: str) -> None:
        self.failed += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append({"line": where, "error": message})

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class ImportRejected(Exception):
    """The file as a whole is unusable; nothing was written."""

    def __init__(self, message: str, report: ImportReport) -> None:
        super().__init__(message)
        self.message = message
        self.report = report
