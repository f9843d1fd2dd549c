"""Quota for HTTP (and later the tray): the latest snapshot per credential joined with the collector's
live schedule, history over a range with the resets in it, refresh and its progress; our usage inside
each current window and every credential's sparkline (service/quota_usage.py)."""

from __future__ import annotations

from dataclasses import dataclass

from cpa_manager_desktop.quota.schedule import CredentialSchedule
from cpa_manager_desktop.quota.snapshot import Reset, SnapshotView, detect_resets, from_row
from cpa_manager_desktop.quota.worker import QuotaCollector, QuotaCollectorStatus, RefreshProgress
from cpa_manager_desktop.service.quota_usage import QuotaUsage, Sparklines, WindowFigures
from cpa_manager_desktop.store.quota import QuotaStore


@dataclass(frozen=True)
class CredentialQuota:
    auth_index: str
    provider: str
    label: str
    snapshot: SnapshotView | None
    schedule: CredentialSchedule | None


@dataclass(frozen=True)
class QuotaHistory:
    auth_index: str
    snapshots: tuple[SnapshotView, ...]
    resets: tuple[Reset, ...]


class QuotaService:
    def __init__(self, store: QuotaStore, collector: QuotaCollector, usage: QuotaUsage) -> None:
        self._store = store
        self._collector = collector
        self._usage = usage

    def latest(self) -> list[CredentialQuota]:
        """Every credential with a snapshot or in the current schedule (a new one has no snapshot yet)."""
        snapshots = {row.auth_index: from_row(row) for row in self._store.latest()}
        schedules = {e.credential.auth_index: e for e in self._collector.status().credentials}
        out = []
        for index in sorted(snapshots.keys() | schedules.keys()):
            snapshot, schedule = snapshots.get(index), schedules.get(index)
            provider = schedule.credential.provider if schedule else snapshot.provider  # type: ignore[union-attr]
            label = schedule.credential.label if schedule else ""
            out.append(CredentialQuota(index, provider, label, snapshot, schedule))
        return out

    def history(self, auth_index: str, start_s: int, end_s: int) -> QuotaHistory:
        views = [from_row(row) for row in self._store.history(auth_index, start_s, end_s)]
        resets = [r for r in detect_resets(views) if r.at_s >= start_s]
        return QuotaHistory(auth_index, tuple(views), tuple(resets))

    def refresh(self, auth_index: str | None) -> RefreshProgress:
        return self._collector.refresh(auth_index)

    def status(self) -> QuotaCollectorStatus:
        return self._collector.status()

    def window_usage(self, now_s: int) -> list[WindowFigures]:
        """Our requests, tokens and cost inside each credential's current quota windows (latest reading)."""
        return self._usage.in_windows((from_row(row) for row in self._store.latest()), now_s)

    def sparklines(self, days: int, now_s: int) -> Sparklines:
        return self._usage.sparklines(days, now_s)
