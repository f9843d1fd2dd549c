"""kill -9 at 20 random points of a 20,000-record drain (issue 11 §2): with the raw journal, a kill loses
at most the reply still on the socket, never a batch it had received; nothing is stored twice; the
database stays intact. The number lost is printed (pytest -rP shows it)."""

from __future__ import annotations

import random
import re
import signal
import sqlite3
import threading
from pathlib import Path

from tests.conftest import wait_until
from tests.cpa_double import CpaDouble, records
from tests.processes import free_port, healthy, launch, log_text
from tests.test_crash_recovery import KEY, status, stored_keys

KILLS = 20
RECORDS = 20_000
BATCH = 200


def start(config: Path, port: int, cpa: CpaDouble):
    return launch(config, port, env={"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY,
                                     "USAGE_BATCH_SIZE": str(BATCH), "USAGE_POLL_INTERVAL_MS": "50"})


def kill_at(config: Path, db: Path, port: int, cpa: CpaDouble, threshold: int, delay_s: float) -> None:
    """Start the service, let it store past threshold, then kill -9 it delay_s later. The delay is not a
    wait for anything: right after a commit is seen the next pop is in flight, and a random instant
    spreads the kills over the whole pop → journal → parse → commit cycle, as real kills fall."""
    service = start(config, port, cpa)
    try:
        wait_until(lambda: cpa.queue_length() == 0 or (db.exists() and len(stored_keys(db)) >= threshold), 60,
                   f"{threshold} stored events")
        threading.Event().wait(delay_s)
    finally:
        service.send_signal(signal.SIGKILL)
        service.wait(10)


def test_kill_9_at_twenty_points_loses_at_most_the_socket(tmp_path: Path) -> None:
    rng = random.Random(71)
    cpa = CpaDouble(KEY, retention_s=3600).start()
    config, db = tmp_path / "config.json", tmp_path / "data" / "usage.sqlite"
    recs = records.mixed_records(RECORDS, seed=72)
    cpa.enqueue(*recs)
    port = free_port()
    try:
        for threshold in sorted(rng.sample(range(300, RECORDS - 1500), KILLS)):
            kill_at(config, db, port, cpa, threshold, rng.uniform(0, 0.05))
        final = start(config, port, cpa)
        try:
            wait_until(lambda: healthy(port), 20, "the last start")
            wait_until(lambda: cpa.queue_length() == 0 and status(port)["collector"]["pendingItems"] == 0, 60,
                       "the queue to drain")
        finally:
            final.send_signal(signal.SIGTERM)
            assert final.wait(20) == 0
    finally:
        cpa.stop()

    stored = stored_keys(db)
    lost = len(recs) - len(stored)
    print(f"kill -9 x{KILLS} during a {RECORDS:,}-record drain: lost {lost}, stored {len(stored):,}")
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        duplicates = conn.execute("SELECT COUNT(*) FROM (SELECT request_id, ts_ns, auth_index, COUNT(*) AS n "
                                  "FROM usage_events GROUP BY 1, 2, 3 HAVING n > 1)").fetchone()[0]
        assert duplicates == 0
        for rollup in ("rollup_model", "rollup_account", "rollup_api_key"):
            assert conn.execute(f"SELECT SUM(requests) FROM {rollup}").fetchone()[0] == len(stored), rollup
    finally:
        conn.close()
    assert len(cpa.popped()) == len(recs)
    # Each kill either fell after a pop reached the journal (the restart replays that batch) or while a
    # reply was still on the socket (that batch is lost: CPA's pop has no acknowledgement). How often
    # each happens depends on the machine's load, so the test checks the split, not a fixed figure.
    recovered = re.findall(r"replayed the raw journal inserted=(\d+)", log_text(config))
    recovered_batches = sum(1 for inserted in recovered if int(inserted) > 0)
    print(f"  kills whose batch the journal recovered: {recovered_batches}; lost batches: {lost // BATCH}")
    assert recovered_batches > 0, "no kill was recovered from the journal"
    assert lost <= (KILLS - recovered_batches) * BATCH, f"lost {lost}"
