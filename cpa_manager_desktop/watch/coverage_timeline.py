"""The coverage ledger's arithmetic, without clocks or storage: time is fed in as spans, each spent
collecting (reason None) or blind for a reason, and the timeline says which gaps open and close.

CPA keeps a record `retention_s` seconds, so a blind spell costs nothing until it is that old: a spell
of length L loses what CPA queued in its last L − retention seconds. A gap therefore opens `retention_s`
into a spell and closes when the spell ends (a 10-minute pause at 60 s: one gap of 9 minutes, from
60 s after the pause began). That is ledger time; readers are shown the requests missing, one retention
earlier (Gap.missing_from_s: the pause's first 9 minutes). A spell whose reason changes (paused, then the
app quits) keeps its age; the gap is closed and a new one opened with the new reason at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cpa_manager_desktop.store.coverage import Gap, GapOpen, GapReason


@dataclass
class Timeline:
    """`position_s` is where the timeline stands (wall-clock seconds, advanced by spans); `age_s` how
    long the current blind spell has been blind; `steps` collects the writes not yet saved."""

    position_s: float
    retention_s: int
    reason: GapReason | None = None
    age_s: float = 0.0
    open_gap: Gap | None = None
    steps: list[GapOpen | int] = field(default_factory=list)

    def spend(self, reason: GapReason | None, span_s: float, *, now_s: float) -> None:
        """Advance by span_s seconds spent collecting (None) or blind for `reason`. `now_s` stamps when
        a gap was found, for gaps_opened_since."""
        span_s = max(span_s, 0.0)
        if reason is None:
            self._close()
            self.reason, self.age_s = None, 0.0
            self.position_s += span_s
            return
        if self.open_gap is not None and self.open_gap.reason != reason:
            self._close()
        if self.reason is None:
            self.age_s = 0.0
        self.reason = reason
        if self.open_gap is None and self.age_s + span_s > self.retention_s:
            start_s = self.position_s + max(0.0, self.retention_s - self.age_s)
            self._open(start_s, reason, now_s)
        self.age_s += span_s
        self.position_s += span_s

    def pass_asleep(self, span_s: float) -> None:
        """Time in which CPA slept too (a suspend with CPA on this machine): nothing expired, so an
        open gap is closed where the sleep began and the spell's age stands still; a gap reopens at
        once on waking if the spell goes on."""
        self._close()
        self.position_s += max(span_s, 0.0)

    def _open(self, start_s: float, reason: GapReason, now_s: float) -> None:
        self.open_gap = Gap(start_s, None, reason, self.retention_s, now_s)
        self.steps.append(GapOpen(_ms(start_s), reason, self.retention_s, _ms(max(now_s, start_s))))

    def _close(self) -> None:
        if self.open_gap is not None:
            self.steps.append(_ms(self.position_s))
            self.open_gap = None

    def take_steps(self) -> tuple[GapOpen | int, ...]:
        steps, self.steps = tuple(self.steps), []
        return steps


def _ms(seconds: float) -> int:
    return round(seconds * 1000)
