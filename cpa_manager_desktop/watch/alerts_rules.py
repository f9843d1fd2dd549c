"""When something is wrong: each rule turns figures into Conditions (what holds now, worded for the user).

The collector rules measure durations in watched seconds (WatchedTime): a sleep or a clock set forward
or back adds nothing, so no duration-based alert comes from a clock jump. The spike rules are pure
functions of the figures read for one window.

The failure-spike rule, per credential (auth_index) and per client API key: in the last hour it had at
least `failure_min_requests` requests, and its failure rate there is above both `failure_factor` times its
rate over the 7 days before that hour and that rate plus `failure_points` percentage points. The
spend-spike rule: the last hour cost at least `spend_floor_usd` and more than `spend_factor` times the
average of the same hour over the previous 7 days that had usage.

A baseline needs history before anything is judged against it: a fresh install, or a key first used
today, has no "usual" to exceed. The spend spike waits until at least MIN_HISTORY_DAYS of the previous
7 days (24-hour slices ending one hour ago) had any usage; the failure spike waits until the credential
or key had at least `failure_min_requests` requests in its 7-day baseline (the same number the last hour
needs to be judged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cpa_manager_desktop.collector.status import CollectorState, CollectorStatus
from cpa_manager_desktop.store.coverage import Gap
from cpa_manager_desktop.watch.alerts_settings import AlertKind, AlertSettings

DEFAULT_RETENTION_S = 60     # CPA's usage queue retention when CPA does not say (cpa-protocol.md)
HOUR_S = 3600
DAY_S = 86400
BASELINE_DAYS = 7
MIN_HISTORY_DAYS = 3         # of the BASELINE_DAYS, with any usage, before a spend spike is judged
Fact = float | int | str | None


@dataclass(frozen=True)
class Evidence:
    """The monitoring view that shows what an alert is about: a range and that view's filters."""

    start_s: float
    end_s: float | None = None      # None: up to the clearing, or now while open
    account: str = ""               # an auth_index
    api_key: str = ""               # a client API key's sha256


@dataclass(frozen=True)
class Condition:
    kind: AlertKind
    subject: str                    # "" for alerts about the whole service
    subject_label: str
    title: str
    message: str
    evidence: Evidence
    facts: tuple[tuple[str, Fact], ...] = ()
    already_over: bool = False      # over when first seen (a data gap the ledger closed before we looked)


@dataclass(frozen=True)
class Counts:
    requests: int = 0
    failures: int = 0

    @property
    def rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class FailureFigures:
    scope: str                      # "account" (an auth_index) or "apiKey" (a key's sha256)
    key: str
    label: str                      # already masked
    recent: Counts                  # the last hour
    baseline: Counts                # the 7 days before it


@dataclass(frozen=True)
class SpendFigures:
    last_hour_usd: float
    same_hour_usd: tuple[float, ...]    # the same hour's cost on each of the previous days (no usage: 0)
    days_with_usage: int                # of the previous BASELINE_DAYS, those with any request at all


class WatchedTime:
    """Seconds actually watched: a step backwards, or one longer than `max_step_s` (the process slept, the
    clock was changed), counts as nothing."""

    def __init__(self, max_step_s: float) -> None:
        self._max_step_s = max_step_s
        self._previous_s: float | None = None
        self.total_s = 0.0

    def advance(self, now_s: float) -> float:
        step = 0.0 if self._previous_s is None else now_s - self._previous_s
        self._previous_s = now_s
        step = step if 0 <= step <= self._max_step_s else 0.0
        self.total_s += step
        return step


class Stopwatch:
    """How long a condition has held, in watched seconds; starts again when its marker changes."""

    def __init__(self) -> None:
        self._marker: object = None
        self.held_s = 0.0

    def hold(self, marker: object, step_s: float) -> float:
        if marker != self._marker:
            self._marker, self.held_s = marker, 0.0
        else:
            self.held_s += step_s
        return self.held_s

    def reset(self) -> None:
        self._marker, self.held_s = None, 0.0


class CollectorRules:
    """Stalled, unreachable, stopped, publishing off and idle, from collector snapshots."""

    def __init__(self) -> None:
        self._stall = Stopwatch()
        self._unreachable = Stopwatch()
        self._idle = Stopwatch()

    def observe(self, status: CollectorStatus, now_s: float, step_s: float,
                settings: AlertSettings) -> list[Condition]:
        found = [self._stalled(status, now_s, step_s), self._unreachable_for(status, now_s, step_s, settings),
                 _stopped(status, now_s), _publishing_off(status, now_s), self._quiet(status, now_s, step_s, settings)]
        return [c for c in found if c is not None]

    def _stalled(self, status: CollectorStatus, now_s: float, step_s: float) -> Condition | None:
        # Meant to run and CPA not known unreachable: running, starting, or holding a batch the store refuses.
        store_failing = status.state == CollectorState.ERROR and bool(status.next_retry_ms) and status.pending_items > 0
        if status.state not in (CollectorState.RUNNING, CollectorState.STARTING) and not store_failing:
            self._stall.reset()
            return None
        retention_s = status.health.retention_s or DEFAULT_RETENTION_S
        held_s = self._stall.hold(status.last_pop_ms, step_s)
        if held_s <= retention_s:
            return None
        detail = f" {status.last_error}." if status.last_error else ""
        return Condition(
            AlertKind.STALLED, "", "", "Usage collection stalled",
            f"Nothing has been taken from CPA's usage queue for {duration(held_s)} although collection is "
            f"running; CPA drops usage after {retention_s} s, so requests go unrecorded.{detail} "
            "Restart collection from the tray or the panel.",
            Evidence(now_s - held_s), (("seconds", round(held_s)), ("retention_s", retention_s),
                                      ("error", status.last_error)))

    def _unreachable_for(self, status: CollectorStatus, now_s: float, step_s: float,
                         settings: AlertSettings) -> Condition | None:
        # Retrying with no batch in hand: the pop itself fails (a batch in hand means the store fails).
        retrying = status.state == CollectorState.ERROR and bool(status.next_retry_ms) and status.pending_items == 0
        if not retrying:
            self._unreachable.reset()
            return None
        held_s = self._unreachable.hold(True, step_s)
        if held_s < settings.value("unreachable_after_seconds"):
            return None
        error = status.last_error or "CPA does not answer"
        return Condition(AlertKind.UNREACHABLE, "", "", "CPA unreachable",
                         f"{error} (for {duration(held_s)}). Usage CPA holds longer than its queue retention is lost.",
                         Evidence(now_s - held_s), (("seconds", round(held_s)), ("error", status.last_error)))

    def _quiet(self, status: CollectorStatus, now_s: float, step_s: float,
               settings: AlertSettings) -> Condition | None:
        if status.state != CollectorState.RUNNING or status.health.usage_statistics_enabled is not True:
            self._idle.reset()
            return None
        held_s = self._idle.hold(max(status.last_inserted_ms, status.last_consumed_ms), step_s)
        if held_s < settings.value("idle_after_hours") * HOUR_S:
            return None
        return Condition(AlertKind.IDLE, "", "", "No usage for a while",
                         f"No request has been recorded for {duration(held_s)} although CPA is reachable and "
                         "publishing. Is another program consuming CPA's usage queue?",
                         Evidence(now_s - held_s), (("seconds", round(held_s)),))


def _stopped(status: CollectorStatus, now_s: float) -> Condition | None:
    if status.state != CollectorState.ERROR or status.next_retry_ms:
        return None
    return Condition(AlertKind.STOPPED, "", "", "Usage collection stopped",
                     status.last_error or "See the panel for details", Evidence(now_s - HOUR_S),
                     (("error", status.last_error),))


def _publishing_off(status: CollectorStatus, now_s: float) -> Condition | None:
    if status.health.usage_statistics_enabled is not False:
        return None
    return Condition(AlertKind.PUBLISHING_OFF, "", "", "CPA is not publishing usage",
                     "usage-statistics-enabled is off on CPA, so nothing can be collected. Turn it on in the panel.",
                     Evidence(now_s - HOUR_S))


def failure_spike(figures: FailureFigures, settings: AlertSettings, now_s: float) -> Condition | None:
    recent, base = figures.recent, figures.baseline.rate
    enough = settings.value("failure_min_requests")
    if recent.requests < enough or figures.baseline.requests < enough:
        return None
    limit = max(settings.value("failure_factor") * base, base + settings.value("failure_points") / 100)
    if recent.rate <= limit:
        return None
    what = "Credential" if figures.scope == "account" else "API key"
    return Condition(
        AlertKind.FAILURE_SPIKE, f"{figures.scope}:{figures.key}", figures.label,
        f"{what} {figures.label} failing more than usual",
        f"{what} {figures.label}: {recent.rate:.0%} of {recent.requests} requests failed in the last hour, "
        f"against {base:.1%} over the previous {BASELINE_DAYS} days.",
        Evidence(now_s - HOUR_S, now_s, account=figures.key if figures.scope == "account" else "",
                 api_key=figures.key if figures.scope == "apiKey" else ""),
        (("scope", figures.scope), ("requests", recent.requests), ("failures", recent.failures),
         ("rate", round(recent.rate, 4)), ("baseline_rate", round(base, 4)),
         ("baseline_requests", figures.baseline.requests)))


def spend_spike(figures: SpendFigures, settings: AlertSettings, now_s: float) -> Condition | None:
    """Judged only with enough history (MIN_HISTORY_DAYS); the average is over the days that had usage."""
    if figures.days_with_usage < MIN_HISTORY_DAYS:
        return None
    last_hour_usd = figures.last_hour_usd
    average = sum(figures.same_hour_usd) / figures.days_with_usage
    if last_hour_usd < settings.value("spend_floor_usd") or last_hour_usd <= settings.value("spend_factor") * average:
        return None
    return Condition(
        AlertKind.SPEND_SPIKE, "", "", "Spend spike",
        f"The last hour cost ${last_hour_usd:.2f} at API prices, against ${average:.2f} on average in the same "
        f"hour on the previous days with usage ({figures.days_with_usage} of {BASELINE_DAYS}).",
        Evidence(now_s - HOUR_S, now_s), (("cost_usd", round(last_hour_usd, 4)), ("baseline_usd", round(average, 4)),
                                          ("baseline_days", figures.days_with_usage)))


def gap_condition(gap: Gap) -> Condition:
    """One gap the ledger recorded, worded in event time: when the missing requests were made (the
    evidence and the facts too). Its subject is the ledger's own start, which identifies the gap. The
    alert's own opened/cleared times are when the watch noticed it start and end, never these."""
    from_s, to_s = gap.missing_from_s, gap.missing_to_s
    span = f"from {_clock_time(from_s)} to {_clock_time(to_s)}" if to_s is not None else f"since {_clock_time(from_s)}"
    return Condition(AlertKind.DATA_GAP, f"{gap.start_s:.3f}", "", "Usage data gap",
                     f"Requests made {span} are missing from the statistics: usage could not be collected "
                     f"({gap.reason}).",
                     Evidence(from_s, to_s),
                     (("reason", gap.reason.value), ("start", from_s), ("end", to_s)),
                     already_over=gap.end_s is not None)


def duration(seconds: float) -> str:
    if seconds < 120:
        return f"{int(seconds)} s"
    if seconds < 2 * HOUR_S:
        return f"{int(seconds // 60)} min"
    return f"{int(seconds // HOUR_S)} h"


def _clock_time(at_s: float) -> str:
    return datetime.fromtimestamp(at_s).strftime("%Y-%m-%d %H:%M")
