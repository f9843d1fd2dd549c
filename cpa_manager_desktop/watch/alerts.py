"""The one alert system: judged on the watch thread, persisted, listed, acknowledged, shown in the tray.

Each tick asks the rules (watch/alerts_rules.py) what holds now, then reconciles that with the open
alerts: a new condition opens an alert and one notification; a condition gone clears its alert. The same
subject notifies at most once per `renotify_minutes`: a condition that comes back sooner reopens its
last alert silently (a flapping credential is one incident, not twenty). Several alerts of one kind
opened in the same tick make one notification ("3 credentials failing more than usual").

Opened and cleared are always when the watch noticed a condition start and end (cleared ≥ opened), also
for data gaps, whose ledger reports them in event time: that span is the alert's message and evidence.

Clock jumps: durations are watched seconds (a sleep or a changed clock adds none), the rate limit counts
watched seconds too, and while the clock is behind the latest time already recorded (it was set back)
the usage-window rules wait, so the same past hour is never judged and notified twice.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from cpa_manager_desktop.collector.status import CollectorStatus
from cpa_manager_desktop.errors import AppError
from cpa_manager_desktop.service.glance import Glance, Notice, Tint
from cpa_manager_desktop.store.alerts import AlertRow, AlertStore, NewAlert
from cpa_manager_desktop.store.coverage import Gap
from cpa_manager_desktop.watch.alerts_rules import (
    DAY_S,
    CollectorRules,
    Condition,
    Evidence,
    Fact,
    FailureFigures,
    SpendFigures,
    WatchedTime,
    failure_spike,
    gap_condition,
    spend_spike,
)
from cpa_manager_desktop.watch.alerts_settings import AlertKind, AlertSettings, AlertSettingsStore, apply_changes

log = logging.getLogger(__name__)
# Ticks come every 15 s (watch/runner.py); a step three times that long means the process slept or the
# clock moved, and counts as nothing.
MAX_STEP_S = 45.0
SPIKES_EVERY_S = 60.0
CLOCK_SLACK_S = 5.0
LIST_CLEARED_FOR_S = 7 * DAY_S
LIST_LIMIT = 200
NOTICES_KEPT = 20
# A tray that appears late (the desktop started after us) is not shown notices older than this.
NOTICE_FRESH_S = 600.0
COLLECTOR_KINDS = frozenset({AlertKind.STALLED, AlertKind.UNREACHABLE, AlertKind.STOPPED, AlertKind.PUBLISHING_OFF,
                             AlertKind.IDLE})
Key = tuple[str, str]


class AlertNotFound(AppError):
    status = 404
    code = "alert_not_found"


class GapSource(Protocol):
    """The coverage ledger: intervals collection could not see, by start time (after_s exclusive)."""

    def gaps_opened_since(self, after_s: float) -> list[Gap]: ...


class NoGaps:
    """A gap source for installs without the coverage ledger."""

    def gaps_opened_since(self, after_s: float) -> list[Gap]:
        return []


class Figures(Protocol):
    def failures(self, now_s: float, min_requests: int) -> list[FailureFigures]: ...

    def spend(self, now_s: float) -> SpendFigures: ...


@dataclass(frozen=True)
class AlertView:
    id: int
    kind: str
    subject: str
    subject_label: str
    title: str
    message: str
    facts: Mapping[str, Fact]
    evidence: Evidence
    opened_s: int
    cleared_s: int | None
    acknowledged_s: int | None


class AlertWatch:
    """A Ticker (judges on the watch thread), a Watcher (the tray) and the service behind /alerts."""

    def __init__(self, store: AlertStore, settings: AlertSettingsStore, collector_status: Callable[[], CollectorStatus],
                 figures: Figures, gaps: GapSource, *, clock: Callable[[], float] = time.time,
                 max_step_s: float = MAX_STEP_S) -> None:
        self._store = store
        self._settings_store = settings
        self._collector_status = collector_status
        self._figures = figures
        self._gaps = gaps
        self._clock = clock
        self._settings = settings.load()
        self._time = WatchedTime(max_step_s)
        self._rules = CollectorRules()
        self._work = threading.Lock()            # a tick, an acknowledgement, a settings change: one at a time
        self._shown = threading.Lock()           # what the tray reads: never held across a database call
        self._open: list[AlertRow] = []
        self._notices: deque[tuple[float, Notice]] = deque(maxlen=NOTICES_KEPT)
        self._notified: dict[Key, float] = {}   # watched seconds of each subject's last notification
        self._latest_s: float | None = None     # the latest time seen: a clock behind it was set back
        self._was_behind = False
        self._next_spikes_s = 0.0
        self._gap_cursor_s: float | None = None
        self._next_prune_s = 0.0

    # ---- the watch thread ----

    def tick(self, now_s: float) -> None:
        with self._work:
            step_s = self._time.advance(now_s)
            if self._latest_s is None:
                self._latest_s = float(self._store.newest_time_s())
            went_back = now_s < self._latest_s - CLOCK_SLACK_S
            if went_back and not self._was_behind:
                log.info("the clock is behind the last alert time by %.0f s; spike alerts wait for it",
                         self._latest_s - now_s)
            self._was_behind = went_back
            self._latest_s = max(self._latest_s, now_s)
            settings = self._settings
            found = self._rules.observe(self._collector_status(), now_s, step_s, settings)
            judged = set(COLLECTOR_KINDS)
            if not went_back and self._time.total_s >= self._next_spikes_s:
                self._next_spikes_s = self._time.total_s + SPIKES_EVERY_S
                found += self._spikes(now_s, settings)
                judged |= {AlertKind.FAILURE_SPIKE, AlertKind.SPEND_SPIKE}
            judged |= set(AlertKind) - settings.enabled
            wanted = [c for c in found if settings.is_on(c.kind)]
            opened = self._reconcile(now_s, wanted, judged, settings)
            if settings.is_on(AlertKind.DATA_GAP):
                opened += self._gap_alerts(now_s, settings)
            if self._time.total_s >= self._next_prune_s:
                self._next_prune_s = self._time.total_s + DAY_S
                self._store.prune(int(now_s))
            self._publish(now_s, opened)

    def _spikes(self, now_s: float, settings: AlertSettings) -> list[Condition]:
        found: list[Condition] = []
        if settings.is_on(AlertKind.FAILURE_SPIKE):
            for figures in self._figures.failures(now_s, int(settings.value("failure_min_requests"))):
                if (spike := failure_spike(figures, settings, now_s)) is not None:
                    found.append(spike)
        spend = self._figures.spend(now_s) if settings.is_on(AlertKind.SPEND_SPIKE) else None
        if spend is not None and (spike := spend_spike(spend, settings, now_s)) is not None:
            found.append(spike)
        return found

    def _reconcile(self, now_s: float, found: list[Condition], judged: set[AlertKind],
                   settings: AlertSettings) -> list[Condition]:
        """Clears what no longer holds among the judged kinds, opens what is new; returns the alerts to notify."""
        open_by_key = {(row.kind, row.subject): row for row in self._store.open_alerts()}
        current = {(c.kind.value, c.subject): c for c in found}
        gone = [row.id for key, row in open_by_key.items() if key not in current and row.kind in judged
                and (row.kind != AlertKind.DATA_GAP or not settings.is_on(AlertKind.DATA_GAP))]
        self._store.clear(gone, int(now_s))
        opened = []
        for key, condition in current.items():
            if key in open_by_key:
                continue
            latest = self._store.latest(*key)
            if latest is not None and self._recently_notified(key, latest, now_s, settings):
                self._store.reopen(latest.id)
                continue
            self._open_alert(condition, now_s)
            opened.append(condition)
        return opened

    def _recently_notified(self, key: Key, latest: AlertRow, now_s: float, settings: AlertSettings) -> bool:
        watched_at = self._notified.get(key)
        if watched_at is not None:
            return self._time.total_s - watched_at < settings.renotify_s
        # Notified before this process started: the wall clock is all there is (behind it counts as recent).
        return latest.notified_s is not None and now_s - latest.notified_s < settings.renotify_s

    def _open_alert(self, condition: Condition, now_s: float) -> None:
        # Opened and cleared are when we noticed: a gap already over when first seen opens and clears now
        # (its event-time span is in the message, the facts and the evidence).
        self._store.add(NewAlert(
            kind=condition.kind.value, subject=condition.subject, subject_label=condition.subject_label,
            title=condition.title, message=condition.message, facts=_compact(dict(condition.facts)),
            evidence=_compact(_evidence_mapping(condition.evidence)), opened_s=int(now_s),
            cleared_s=int(now_s) if condition.already_over else None, notified_s=int(now_s)))
        self._notified[(condition.kind.value, condition.subject)] = self._time.total_s

    def _gap_alerts(self, now_s: float, settings: AlertSettings) -> list[Condition]:
        """Each gap the ledger opened is one alert, notified once; it clears when the ledger closes the gap."""
        open_gaps = {row.subject: row for row in self._store.open_alerts() if row.kind == AlertKind.DATA_GAP}
        if self._gap_cursor_s is None:
            latest = max((float(s) for s in open_gaps), default=now_s - DAY_S)
            self._gap_cursor_s = latest
        after_s = min([self._gap_cursor_s, *(float(s) for s in open_gaps)]) - 0.001
        opened = []
        for gap in self._gaps.gaps_opened_since(after_s):
            condition = gap_condition(gap)
            self._gap_cursor_s = max(self._gap_cursor_s, gap.start_s)
            row = open_gaps.get(condition.subject)
            if row is not None:
                if gap.end_s is not None:
                    # Opened while the gap was open ("since …"): now it can say until when. Cleared now,
                    # when we see it closed: the ledger's end may predate the opening (an app restart).
                    self._store.clear_restated(row.id, max(int(now_s), row.opened_s), condition.message,
                                               _compact(dict(condition.facts)),
                                               _compact(_evidence_mapping(condition.evidence)))
            elif self._store.latest(AlertKind.DATA_GAP.value, condition.subject) is None:
                self._open_alert(condition, now_s)
                opened.append(condition)
        return opened

    def _publish(self, now_s: float, opened: list[Condition]) -> None:
        notices = group_notices(opened)
        for notice in notices:
            log.info("alert %s: %s", notice.title, notice.message)
        rows = self._store.open_alerts()
        with self._shown:
            self._open = rows
            self._notices.extend((now_s, notice) for notice in notices)

    # ---- the tray ----

    def glance(self, now_s: float) -> Glance:
        """Each new notification once; the icon tinted while an unacknowledged alert is open."""
        with self._shown:
            notices = tuple(notice for at_s, notice in self._notices if abs(now_s - at_s) <= NOTICE_FRESH_S)
            self._notices.clear()
            open_rows = list(self._open)
        if not open_rows:
            return Glance(notices=notices)
        line = f"Alert: {open_rows[0].title}" if len(open_rows) == 1 else f"{len(open_rows)} alerts open"
        unacknowledged = any(row.acknowledged_s is None for row in open_rows)
        return Glance((line,), Tint.ALERT if unacknowledged else Tint.WARNING, notices)

    # ---- the HTTP API ----

    def listing(self) -> list[AlertView]:
        """Open alerts first (newest first), then those cleared in the last 7 days (latest cleared first)."""
        since_s = int(self._clock() - LIST_CLEARED_FOR_S)
        return [_view(row) for row in self._store.listing(since_s, LIST_LIMIT)]

    def acknowledge(self, alert_id: int) -> AlertView:
        with self._work:
            row = self._store.acknowledge(alert_id, int(self._clock()))
            if row is None:
                raise AlertNotFound(f"There is no alert {alert_id}")
            self._refresh_shown()
        return _view(row)

    @property
    def settings(self) -> AlertSettings:
        return self._settings

    def update_settings(self, changes: Any) -> AlertSettings:
        """Validates and saves; a kind switched off clears its open alerts at once."""
        with self._work:
            updated = apply_changes(self._settings, changes)
            self._settings_store.save(updated)
            self._settings = updated
            off = [row.id for row in self._store.open_alerts() if not updated.is_on(AlertKind(row.kind))]
            self._store.clear(off, int(self._clock()))
            self._refresh_shown()
        return updated

    def _refresh_shown(self) -> None:
        rows = self._store.open_alerts()
        with self._shown:
            self._open = rows


def group_notices(opened: list[Condition]) -> list[Notice]:
    """One notification per kind: the alert itself, or a summary when several opened together."""
    by_kind: dict[AlertKind, list[Condition]] = defaultdict(list)
    for condition in opened:
        by_kind[condition.kind].append(condition)
    notices = []
    for kind, items in by_kind.items():
        if len(items) == 1:
            only = items[0]
            notices.append(Notice(f"alert:{kind.value}:{only.subject}" if only.subject else f"alert:{kind.value}",
                                  only.title, only.message))
            continue
        names = ", ".join(c.subject_label or c.subject for c in items[:5]) + (", …" if len(items) > 5 else "")
        notices.append(Notice(f"alert:{kind.value}", _group_title(kind, items), f"{names}. See Alerts in the panel."))
    return notices


def _group_title(kind: AlertKind, items: list[Condition]) -> str:
    if kind == AlertKind.FAILURE_SPIKE:
        scopes = {dict(c.facts).get("scope") for c in items}
        what = {frozenset({"account"}): "credentials", frozenset({"apiKey"}): "API keys"}.get(
            frozenset(scopes), "credentials and API keys")
        return f"{len(items)} {what} failing more than usual"
    if kind == AlertKind.DATA_GAP:
        return f"{len(items)} usage data gaps"
    return f"{len(items)} alerts: {items[0].title}"


def _compact(value: Mapping[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _evidence_mapping(evidence: Evidence) -> dict[str, Any]:
    return {"start_s": evidence.start_s, "end_s": evidence.end_s, "account": evidence.account,
            "api_key": evidence.api_key}


def _view(row: AlertRow) -> AlertView:
    facts = json.loads(row.facts)
    stored = json.loads(row.evidence)
    evidence = Evidence(float(stored.get("start_s") or row.opened_s), stored.get("end_s"),
                        stored.get("account") or "", stored.get("api_key") or "")
    return AlertView(row.id, row.kind, row.subject, row.subject_label, row.title, row.message,
                     facts if isinstance(facts, dict) else {}, evidence, row.opened_s, row.cleared_s,
                     row.acknowledged_s)
