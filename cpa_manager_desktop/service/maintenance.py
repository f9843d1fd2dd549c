"""Retention and maintenance (issue 17 §4): how long raw events are kept, compaction, the database figures.

The retention days come from USAGE_RETENTION_DAYS or config.json `retentionDays` when set there (the
panel then shows them as fixed), else from the panel (kept in the settings table), else keep everything.
Compaction folds raw events older than the cutoff (a whole hour, N days back) into the hourly archive in
short batches (store/retention.py), then gives the space back in small steps. `run()` is what the watch
thread calls; each call does at most `budget_s` of work, so collection is never held up for long.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from cpa_manager_desktop.config import MAX_RETENTION_DAYS, parse_retention_days
from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.prices.defaults import effective_prices
from cpa_manager_desktop.prices.tiers import tiers_of
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.prices import PriceStore
from cpa_manager_desktop.store.retention import AUTO_VACUUM_INCREMENTAL, TIER_MIN_TOKENS, RetentionStore
from cpa_manager_desktop.store.rollups import NS_PER_HOUR
from cpa_manager_desktop.store.settings import SettingsStore

log = logging.getLogger(__name__)
SETTING_KEY = "retentionDays"
NS_PER_DAY = 24 * NS_PER_HOUR
BUDGET_S = 3.0


@dataclass(frozen=True)
class RetentionPolicy:
    days: int | None        # None: keep every raw event
    source: str             # settings (env or config.json), panel, default
    fixed: bool             # set by the environment or config.json: the panel cannot change it

    def cutoff_ns(self, now_s: float, newest_event_ns: int | None = None) -> int | None:
        """The whole hour before which raw events are folded, or None when everything is kept. Counted back
        from the newest stored event when that is earlier than now: a clock set ahead by mistake must not
        fold (irreversibly) events that are younger than N days."""
        if self.days is None:
            return None
        reference = int(now_s * 1e9) if newest_event_ns is None else min(int(now_s * 1e9), newest_event_ns)
        cutoff = reference - self.days * NS_PER_DAY
        return max(cutoff // NS_PER_HOUR * NS_PER_HOUR, 0)


@dataclass(frozen=True)
class StorageOverview:
    database_bytes: int
    raw_events: int
    aggregated_events: int
    oldest_raw_event_ns: int | None
    aggregated_before_ns: int | None   # raw events before this were folded; None when none were
    reclaimable_bytes: int
    incremental_vacuum: bool
    policy: RetentionPolicy


@dataclass(frozen=True)
class RunResult:
    folded: int             # raw events folded into the archive in this run
    done: bool              # nothing older than the cutoff is left and no space is left to reclaim


class Maintenance:
    def __init__(self, db: Database, events: EventStore, settings: SettingsStore, prices: PriceStore, *,
                 configured_days: int | None, configured: bool) -> None:
        """configured: retention was set by the environment or config.json (configured_days None = keep all)."""
        self._db = db
        self._events = events
        self._settings = settings
        self._prices = prices
        self._retention = RetentionStore(db)
        self._configured = (configured, configured_days)

    def policy(self) -> RetentionPolicy:
        configured, days = self._configured
        if configured:
            return RetentionPolicy(days, "settings", fixed=True)
        stored = self._settings.get(SETTING_KEY)
        if isinstance(stored, int) and not isinstance(stored, bool) and 0 < stored <= MAX_RETENTION_DAYS:
            return RetentionPolicy(stored, "panel", fixed=False)
        return RetentionPolicy(None, "default", fixed=False)

    def set_days(self, raw: Any) -> RetentionPolicy:
        """Store the panel's retention; refuses bad values and values fixed by the environment or config.json."""
        if self._configured[0]:
            raise BadRequest("Retention is set by USAGE_RETENTION_DAYS or config.json retentionDays; "
                             "change it there", code="retention_fixed")
        try:
            days = parse_retention_days(raw)
        except ValueError as exc:
            message = str(exc)
            raise BadRequest(message[0].upper() + message[1:], code="invalid_retention") from None
        if days is None:
            self._settings.delete(SETTING_KEY)
        else:
            self._settings.put(SETTING_KEY, days)
        log.info("retention set days=%s", days if days is not None else "all")
        return self.policy()

    def aggregated_before_ms(self) -> int | None:
        """Raw events before this instant (unix ms) were folded into hourly totals; None if none were."""
        before = self._retention.state().archived_before_ns
        return before // 1_000_000 if before else None

    def run(self, now_s: float, budget_s: float = BUDGET_S) -> RunResult:
        """Fold old raw events batch by batch, then reclaim space, for at most about budget_s seconds."""
        cutoff = self.policy().cutoff_ns(now_s, self._events.span().newest_ns)
        deadline = time.monotonic() + budget_s
        folded = 0
        # Once caught up, a run (every 15 s on the watch thread) is one index lookup: the price table that
        # _min_tier_tokens reads whole is read only when there is something to fold.
        if cutoff is not None and self._retention.has_events_before(cutoff):
            folded = self._fold(cutoff, deadline)
            if self._retention.has_events_before(cutoff):
                return RunResult(folded, done=False)
        return RunResult(folded, done=self._reclaim(deadline))

    def _fold(self, cutoff: int, deadline: float) -> int:
        min_tokens = self._min_tier_tokens()
        folded = 0
        while time.monotonic() < deadline:
            count = self._retention.compact_batch(cutoff, min_tier_tokens=min_tokens)
            folded += count
            if count == 0:
                break
        if folded:
            log.info("retention folded events=%d before=%s", folded, _iso(cutoff))
        return folded

    def _reclaim(self, deadline: float) -> bool:
        """True when nothing is left to reclaim. Switches an old file to incremental auto_vacuum once."""
        if not self._retention.state().archived_events:
            return True
        state = self._retention.file_state()
        if state.auto_vacuum != AUTO_VACUUM_INCREMENTAL:
            before = self._db.size_bytes()
            log.info("retention: switching the database to incremental vacuum with one VACUUM (once); "
                     "writes wait until it ends size_bytes=%d", before)
            started = time.monotonic()
            self._retention.switch_to_incremental()
            log.info("retention: VACUUM done seconds=%.1f size_bytes=%d", time.monotonic() - started,
                     self._db.size_bytes())
            return True
        while state.freelist_pages and time.monotonic() < deadline:
            self._retention.vacuum_step()
            state = self._retention.file_state()
        return state.freelist_pages == 0

    def _min_tier_tokens(self) -> int:
        """Keep requests above the lowest long-context threshold of any current price, or 128k."""
        thresholds = [t for price in effective_prices(self._prices).values()
                      if (t := tiers_of(price).lowest_threshold) is not None]
        return min([TIER_MIN_TOKENS, *thresholds])

    def overview(self) -> StorageOverview:
        """What Settings shows: the file, the events it holds and the retention in force."""
        state = self._retention.state()
        file_state = self._retention.file_state()
        return StorageOverview(
            database_bytes=self._db.size_bytes(), raw_events=self._events.counts().events,
            aggregated_events=state.archived_events, oldest_raw_event_ns=self._events.span().oldest_ns,
            aggregated_before_ns=state.archived_before_ns or None, reclaimable_bytes=file_state.reclaimable_bytes,
            incremental_vacuum=file_state.auto_vacuum == AUTO_VACUUM_INCREMENTAL, policy=self.policy())

def _iso(ns: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ns / 1e9))
