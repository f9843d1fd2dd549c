"""A popped batch on its way into the store, and the rule that no record in it can hold up the rest.

CPA's pop is destructive, so the collector keeps a popped batch until it is committed. A record the
store refuses (a number beyond int64 that slipped past normalisation, a constraint, a driver error)
used to fail the whole batch's write again on every retry, forever, while the records behind it
expired in CPA. `commit` writes the batch; if that fails it splits the batch and writes the parts,
down to single rows. A single row that fails twice while its dead letter can still be written is
poison: it becomes a dead letter with the reason. If even the dead letter cannot be written, the
store itself is failing: `StoreFailing` is raised and whatever is left stays in the batch for the
collector's retry with backoff.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cpa_manager_desktop.collector.source import QueueSource, RawQueueSource, items_of
from cpa_manager_desktop.ingest.normalise import CONTROL, classify
from cpa_manager_desktop.redact import cap_text, scrub_text
from cpa_manager_desktop.store.events import BatchResult
from cpa_manager_desktop.store.journal import RawJournal
from cpa_manager_desktop.store.rows import DeadLetter, DeadLetterRow, EventRow

log = logging.getLogger(__name__)
BatchSink = Callable[[Sequence[EventRow], Sequence[DeadLetterRow]], BatchResult]
MAX_ERROR_CHARS = 300


class StoreFailing(Exception):
    """The store refuses even a dead letter: retry later, the batch's remainder is kept."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


@dataclass
class PendingBatch:
    """What is left of a popped batch to commit, and what of it is already committed."""

    rows: list[EventRow]
    dead: list[DeadLetterRow]
    popped: int
    controls: int
    transport: str
    inserted: int = 0
    skipped: int = 0
    dead_written: int = 0

    def result(self) -> BatchResult:
        return BatchResult(inserted=self.inserted, skipped=self.skipped, dead_letters=self.dead_written)


def classify_items(items: Sequence[Any], transport: str) -> PendingBatch:
    """Popped items to rows, dead letters and control frames; one item can never fail the others."""
    rows: list[EventRow] = []
    dead: list[DeadLetterRow] = []
    controls = 0
    received_ns = time.time_ns()
    for item in items:
        try:
            outcome = classify(item)
        except Exception as exc:  # the record is isolated, the batch goes on (issue 11)
            log.exception("reading a queue record failed unexpectedly")
            outcome = DeadLetter(f"internal error while reading the record ({type(exc).__name__})",
                                 "[payload not kept]")
        if isinstance(outcome, EventRow):
            rows.append(outcome)
        elif outcome is CONTROL:
            controls += 1
        elif isinstance(outcome, DeadLetter):
            dead.append(DeadLetterRow(received_ns, transport, outcome.error, outcome.payload))
    if dead:
        log.warning("dead letters=%d first_error=%s", len(dead), dead[0].error)
    return PendingBatch(rows, dead, len(items), controls, transport)


def commit(sink: BatchSink, batch: PendingBatch) -> BatchResult:
    """Commit the whole batch, isolating records the store refuses. Raises StoreFailing with the batch
    reduced to what is still uncommitted."""
    try:
        _write(sink, batch, batch.rows, batch.dead)
    except Exception as exc:
        log.warning("batch write failed, writing it in parts rows=%d error=%s", len(batch.rows), exc)
        _commit_in_parts(sink, batch)
    return batch.result()


def _write(sink: BatchSink, batch: PendingBatch, rows: list[EventRow], dead: list[DeadLetterRow]) -> None:
    result = sink(rows, dead)
    batch.inserted += result.inserted
    batch.skipped += result.skipped
    batch.dead_written += result.dead_letters
    if dead is batch.dead:
        batch.dead = []
    if rows is batch.rows:
        batch.rows = []


def _commit_in_parts(sink: BatchSink, batch: PendingBatch) -> None:
    try:
        _write(sink, batch, [], batch.dead)
    except Exception as exc:
        raise StoreFailing(exc) from exc
    parts = [batch.rows]
    while parts:
        part = parts.pop()
        batch.rows = [row for chunk in (*parts, part) for row in chunk]
        try:
            _write(sink, batch, part, [])
            continue
        except Exception as exc:
            failure = exc
        if len(part) > 1:
            middle = len(part) // 2
            parts += [part[middle:], part[:middle]]
            continue
        _isolate(sink, batch, part[0], failure)
    batch.rows = []


def _isolate(sink: BatchSink, batch: PendingBatch, row: EventRow, failure: Exception) -> None:
    """One row failed alone: try it once more (the failure may have been the store's, not the row's),
    then store it as a dead letter; if that fails too the store is failing, not the row."""
    try:
        _write(sink, batch, [row], [])
        return
    except Exception as exc:
        failure = exc
    reason = f"the database refused the record ({type(failure).__name__}: {failure})"
    letter = DeadLetterRow(time.time_ns(), batch.transport, reason[:MAX_ERROR_CHARS], _row_payload(row))
    try:
        _write(sink, batch, [], [letter])
    except Exception as exc:
        raise StoreFailing(exc) from exc
    log.error("record refused by the database, kept as a dead letter error=%s", reason[:MAX_ERROR_CHARS])


def _row_payload(row: EventRow) -> str:
    """The normalised row (keys already hashed and masked) as JSON, scrubbed once more and capped."""
    fields = {name: value.hex() if isinstance(value, bytes) else value for name, value in row._asdict().items()}
    return cap_text(scrub_text(json.dumps(fields, default=str)), 16_384)


def replay_journal(journal: RawJournal, sink: BatchSink) -> BatchResult:
    """Commit what the journal still holds from before a crash, then empty it. Events already stored
    are skipped by their content key. Raises StoreFailing (the journal is kept for the next start)."""
    total = BatchResult(0, 0, 0)
    for entry in journal.pending():
        batch = classify_items(items_of(entry.transport, entry.payloads), entry.transport)
        result = commit(sink, batch)
        total = BatchResult(total.inserted + result.inserted, total.skipped + result.skipped,
                            total.dead_letters + result.dead_letters)
    if total != BatchResult(0, 0, 0):
        log.warning("replayed the raw journal inserted=%d already_stored=%d dead_letters=%d",
                    total.inserted, total.skipped, total.dead_letters)
    journal.clear()
    return total


def pop_journaled(source: QueueSource, transport: str, journal: RawJournal | None, count: int) -> list[Any]:
    """Pop; with a journal, the raw bytes are on disk before anything parses them."""
    if journal is None or not isinstance(source, RawQueueSource):
        return source.pop(count)
    payloads = source.pop_raw(count)
    if payloads:
        try:
            journal.append(transport, payloads)
        except Exception:  # the batch is in memory: a journal failure must not lose it
            log.exception("could not write the raw journal; this batch is held in memory only")
    return items_of(transport, payloads)


def clear_journal(journal: RawJournal) -> None:
    """Everything popped is committed. A failure only means a restart skips those stored events."""
    try:
        journal.clear()
    except OSError as exc:
        log.error("could not empty the raw journal (a restart skips its stored events): %s", exc)
