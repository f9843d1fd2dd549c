"""kill -9 in the middle of ingestion, then a restart: nothing committed is lost, nothing duplicated."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
from pathlib import Path

from tests.client import call
from tests.conftest import wait_until
from tests.cpa_double import CpaDouble, records
from tests.processes import free_port, healthy, launch

KEY = "test-management-key"
BATCH = 200


def start_service(config: Path, port: int, cpa: CpaDouble) -> subprocess.Popen:
    return launch(config, port, env={"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY,
                                     "USAGE_BATCH_SIZE": str(BATCH), "USAGE_POLL_INTERVAL_MS": "50"})


def stored_keys(db: Path) -> set[bytes]:
    """Committed event keys; empty while the service has created the file but not yet its schema."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return {row[0] for row in conn.execute("SELECT event_key FROM usage_events")}
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return set()
        raise
    finally:
        conn.close()


def status(port: int) -> dict:
    return call("GET", f"http://127.0.0.1:{port}/status", key=KEY).json


def test_kill_9_mid_ingestion_loses_nothing_committed(tmp_path: Path) -> None:
    cpa = CpaDouble(KEY).start()
    config, db = tmp_path / "config.json", tmp_path / "data" / "usage.sqlite"
    recs = records.mixed_records(20_000, seed=12)
    cpa.enqueue(*recs)
    port = free_port()
    first = start_service(config, port, cpa)
    try:
        wait_until(lambda: db.exists() and len(stored_keys(db)) >= 2_000, 60, "2,000 committed events")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        before = stored_keys(db)
        popped_at_kill = len(cpa.popped())
        assert len(before) < len(recs), "the kill came too late to interrupt ingestion"

        second = start_service(config, port, cpa)
        try:
            wait_until(lambda: healthy(port), 20, "the restarted service")
            wait_until(lambda: cpa.queue_length() == 0 and status(port)["collector"]["pendingItems"] == 0
                       and status(port)["collector"]["totalPopped"] > 0, 120, "the queue to drain")
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(20) == 0
    finally:
        if first.poll() is None:
            first.kill()
        cpa.stop()

    after = stored_keys(db)
    assert before <= after, "an event committed before the kill is gone"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    duplicates = conn.execute("SELECT COUNT(*) FROM (SELECT request_id, ts_ns, auth_index, COUNT(*) AS n "
                              "FROM usage_events GROUP BY 1, 2, 3 HAVING n > 1)").fetchone()[0]
    assert duplicates == 0
    for rollup in ("rollup_model", "rollup_account", "rollup_api_key"):
        assert conn.execute(f"SELECT SUM(requests) FROM {rollup}").fetchone()[0] == len(after), rollup
    conn.close()
    # CPA's pop has no acknowledgement: at most the one batch in flight at the kill can be lost.
    assert len(cpa.popped()) == len(recs)
    assert len(recs) - len(after) <= BATCH
    assert popped_at_kill - len(before) <= BATCH
