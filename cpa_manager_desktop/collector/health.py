"""Checks that CPA will actually produce records we can collect in time."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from cpa_manager_desktop.cpa.api import CpaApi
from cpa_manager_desktop.cpa.errors import FatalSourceError, SourceError

log = logging.getLogger(__name__)
# Collect at least four times per retention window, so one slow round or short outage loses nothing.
POLLS_PER_RETENTION = 4


@dataclass(frozen=True)
class HealthReport:
    checked_ms: int = 0
    usage_statistics_enabled: bool | None = None
    retention_s: int | None = None
    warnings: tuple[str, ...] = ()


def check_cpa(api: CpaApi, poll_interval_s: float) -> HealthReport:
    """Ask CPA whether it publishes usage and how long it keeps it. Raises FatalSourceError on auth
    failure; other failures leave the unknown fields as None."""
    enabled = retention_s = None
    try:
        enabled = api.usage_statistics_enabled()
        retention_s = api.queue_retention_s()
    except FatalSourceError:
        raise
    except SourceError as exc:
        log.info("CPA health check incomplete: %s", exc.message)
    return HealthReport(
        checked_ms=int(time.time() * 1000),
        usage_statistics_enabled=enabled,
        retention_s=retention_s,
        warnings=tuple(health_warnings(enabled, retention_s, poll_interval_s)),
    )


def check_publishing(api: CpaApi) -> bool | None:
    """The light re-check while the queue is empty: is CPA publishing usage? One GET; None when CPA's
    answer is unclear or it fails (a rejected key raises FatalSourceError, as in check_cpa)."""
    try:
        return api.usage_statistics_enabled()
    except FatalSourceError:
        raise
    except SourceError as exc:
        log.info("CPA publishing re-check failed: %s", exc.message)
        return None


def health_warnings(enabled: bool | None, retention_s: int | None, poll_interval_s: float) -> list[str]:
    warnings = []
    if enabled is False:
        warnings.append(
            "CPA is not publishing usage (usage-statistics-enabled is false), so there is nothing to "
            "collect. Turn it on in the panel or set usage-statistics-enabled: true in CPA's config.yaml"
        )
    if retention_s and poll_interval_s * POLLS_PER_RETENTION > retention_s:
        warnings.append(
            f"The poll interval ({poll_interval_s:g} s) is not well below CPA's queue retention "
            f"({retention_s} s): records may expire before they are collected. Lower "
            "USAGE_POLL_INTERVAL_MS or raise redis-usage-queue-retention-seconds on CPA"
        )
    return warnings
