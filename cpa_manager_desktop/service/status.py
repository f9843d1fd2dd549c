"""The service's state as one typed snapshot. The HTTP edge turns it into /status JSON
(web/status_json.py); the tray, the alerts and the desktop routes read its attributes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from cpa_manager_desktop.collector.status import CollectorState, CollectorStatus

__all__ = ["CollectorState", "CollectorStatus", "ServiceStatus", "SetupSource", "StoragePaths"]


class SetupSource(StrEnum):
    ENVIRONMENT = "environment"
    SAVED = "saved"
    NONE = "none"


@dataclass(frozen=True)
class StoragePaths:
    config: Path
    data: Path
    database: Path
    logs: Path
    is_portable: bool


@dataclass(frozen=True)
class ServiceStatus:
    version: str
    is_configured: bool
    setup_source: SetupSource
    started_ms: int
    events: int
    dead_letters: int
    db_size_bytes: int
    paths: StoragePaths
    collector: CollectorStatus
    poll_interval_ms: int
    # Event times (unix ms) of the oldest and newest stored events, 0 when none: a panel tells
    # "nothing collected" from "the data is outside this range" with them.
    oldest_event_ms: int
    newest_event_ms: int
    key_store: str = "none"          # service.key_store.KeyStoreKind: where the Management Key is kept
    key_store_name: str = ""         # the OS credential store's name, when it is one

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.collector.health.warnings
