"""The collector's state as the rest of the app reads it: typed, never a dict keyed by wire names."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from cpa_manager_desktop.collector.health import HealthReport


class CollectorState(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"
    PAUSED = "paused"
    ERROR = "error"


@dataclass(frozen=True)
class CollectorOptions:
    mode: str = "auto"                # auto | http | resp
    batch_size: int = 100
    poll_interval_s: float = 0.5
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 30.0


@dataclass(frozen=True)
class CollectorStatus:
    state: CollectorState = CollectorState.STOPPED
    mode: str = "auto"
    transport: str = ""
    upstream: str = ""
    queue: str = ""
    last_consumed_ms: int = 0
    # When a pop last succeeded, empty or not: a collector that stops popping while CPA answers has stalled.
    last_pop_ms: int = 0
    last_inserted_ms: int = 0
    total_popped: int = 0
    total_inserted: int = 0
    total_skipped: int = 0
    dead_letters: int = 0
    control_frames: int = 0
    last_error: str = ""
    last_error_ms: int = 0
    resolved_error: str = ""
    paused_since_ms: int = 0
    next_retry_ms: int = 0
    pending_items: int = 0
    health: HealthReport = field(default_factory=HealthReport)
