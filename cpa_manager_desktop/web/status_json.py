"""/status as JSON: the one place a ServiceStatus becomes camelCase.

Each value has one key, with one exception kept for a reader that cannot change here: the dead-letter
count is both top-level `deadLetters` and `collector.deadLetters`, as in the Go Usage Service's /status
(README: a drop-in replacement; CPA panels' "Check status" read them). The collector's state is
`collector.collector`, the Go service's name for it, and warnings are top-level only.
"""

from __future__ import annotations

from typing import Any

from cpa_manager_desktop import SERVICE_ID
from cpa_manager_desktop.collector.health import POLLS_PER_RETENTION
from cpa_manager_desktop.service.status import ServiceStatus


def status_json(status: ServiceStatus) -> dict[str, Any]:
    collector, health, paths = status.collector, status.collector.health, status.paths
    return {
        "service": SERVICE_ID,
        "version": status.version,
        "configured": status.is_configured,
        "setupSource": status.setup_source.value,
        "keyStore": status.key_store,
        "keyStoreName": status.key_store_name,
        "startedAt": status.started_ms,
        "events": status.events,
        "deadLetters": status.dead_letters,
        "dbSizeBytes": status.db_size_bytes,
        "oldestEventAt": status.oldest_event_ms,
        "newestEventAt": status.newest_event_ms,
        "paths": {"config": str(paths.config), "data": str(paths.data), "database": str(paths.database),
                  "logs": str(paths.logs), "portable": paths.is_portable},
        "collector": {
            "collector": collector.state.value,
            "mode": collector.mode,
            "transport": collector.transport,
            "upstream": collector.upstream,
            "queue": collector.queue,
            "lastConsumedAt": collector.last_consumed_ms,
            "lastInsertedAt": collector.last_inserted_ms,
            "totalPopped": collector.total_popped,
            "totalInserted": collector.total_inserted,
            "totalSkipped": collector.total_skipped,
            "deadLetters": status.dead_letters,
            "controlFrames": collector.control_frames,
            "lastError": collector.last_error,
            "lastErrorAt": collector.last_error_ms,
            "resolvedError": collector.resolved_error,
            "pausedSince": collector.paused_since_ms,
            "nextRetryAt": collector.next_retry_ms,
            "pendingItems": collector.pending_items,
            "pollIntervalMs": status.poll_interval_ms,
            # The rule behind the retention warning, so the panel can apply it to CPA's live setting.
            "minPollsPerRetention": POLLS_PER_RETENTION,
            "usageStatisticsEnabled": health.usage_statistics_enabled,
            "queueRetentionSeconds": health.retention_s,
            "healthCheckedAt": health.checked_ms,
        },
        "warnings": list(status.warnings),
    }
