"""The coverage ledger over HTTP: GET /coverage, the gaps beside the chart series, and the note on
exports of an affected range (the export itself still re-imports cleanly)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cpa_manager_desktop.app import App
from cpa_manager_desktop.store.coverage import CoverageStore
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.watch.coverage import CoverageLedger
from tests.client import call
from tests.conftest import wait_until
from tests.cpa_double import CpaDouble, records
from tests.test_coverage_ledger import FakeClock, FakeCollection, pause, resume, run_for
from tests.test_panel_contract import check_fixture

HOUR_MS = 3_600_000
PAUSED_AT_S = 1_787_407_200.0   # fixed, so the regenerated fixture only changes when its shape does


def record_ten_minute_pause(app: App, paused_at_s: float) -> None:
    """Drive a ledger on the app's own database with a fake clock: 10 minutes paused at 60 s retention."""
    clock, collection = FakeClock(wall=paused_at_s - 30), FakeCollection()
    ledger = CoverageLedger(CoverageStore(app.db), collection, clocks=clock.clocks())
    ledger.tick(clock.wall)
    run_for(ledger, clock, 30)
    pause(collection, clock.wall)
    run_for(ledger, clock, 600)
    resume(collection)
    ledger.tick(clock.wall)


def test_a_ten_minute_pause_is_one_gap_in_coverage_and_in_the_chart_api(start_app: Callable[..., App]) -> None:
    app = start_app()
    paused_at_s = PAUSED_AT_S
    record_ten_minute_pause(app, paused_at_s)
    start_ms, end_ms = int(paused_at_s * 1000) - HOUR_MS, int(paused_at_s * 1000) + HOUR_MS
    # Event time: the requests missing were made from the pause (T0) until 60 s before the resume (T0 + 9 min).
    gap = {"start": int(paused_at_s * 1000), "end": int(paused_at_s * 1000) + 540_000, "open": False,
           "reason": "paused", "lengthS": 540, "retentionS": 60}

    coverage = call("GET", f"{app.base_url}/coverage?start={start_ms}&end={end_ms}")
    assert coverage.status == 200
    assert coverage.json == {"window": {"start": start_ms, "end": end_ms}, "gaps": [gap], "totalS": 540}
    check_fixture("coverage.json", coverage.json)

    series = call("GET", f"{app.base_url}/v0/management/analytics/timeseries?bucket=minute"
                         f"&start={start_ms}&end={end_ms}")
    assert series.status == 200 and series.json["coverage"] == [gap]

    # A range that ends before the gap, or starts after it, lists nothing; one that cuts it counts the cut.
    before = call("GET", f"{app.base_url}/coverage?start={start_ms}&end={gap['start']}").json
    assert before["gaps"] == [] and before["totalS"] == 0
    cut = call("GET", f"{app.base_url}/coverage?start={gap['start'] + 240_000}&end={end_ms}").json
    assert cut["gaps"] == [gap] and cut["totalS"] == 300
    # The last minute before the resume was still queued and collected: no gap there.
    last_minute = call("GET", f"{app.base_url}/coverage?start={gap['end']}&end={gap['end'] + 60_000}").json
    assert last_minute["gaps"] == [] and last_minute["totalS"] == 0


def test_coverage_refuses_a_reversed_range(start_app: Callable[..., App]) -> None:
    app = start_app()
    reply = call("GET", f"{app.base_url}/coverage?start=2000&end=1000")
    assert reply.status == 400 and reply.json["code"] == "invalid_range"


def test_export_of_an_affected_range_notes_the_gap_and_still_reimports(start_app: Callable[..., App]) -> None:
    app = start_app()
    now_s = time.time()
    stamps = [now_s - 3 * 3600 + i * 60 for i in range(5)]
    lines = [json.dumps(records.make_record(seq=i, timestamp=datetime.fromtimestamp(stamp, UTC)))
             for i, stamp in enumerate(stamps)]
    imported = call("POST", f"{app.base_url}/v0/management/usage/import", body="\n".join(lines).encode())
    assert imported.status == 200 and imported.json["added"] == 5
    paused_at_s = float(int(now_s) - 7200)
    record_ten_minute_pause(app, paused_at_s)

    # From another origin (the panel inside CPA) the browser may read the note only if it is exposed.
    exported = call("GET", f"{app.base_url}/v0/management/usage/export", headers={"Origin": "http://127.0.0.1:8317"})
    assert exported.status == 200
    assert exported.headers["x-coverage-gaps"] == "1"
    assert exported.headers["x-coverage-note"] == (
        f"paused {_rfc3339(paused_at_s)}/{_rfc3339(paused_at_s + 540)}")
    assert "X-Coverage-Note" in exported.headers["access-control-expose-headers"]
    assert len(exported.body.splitlines()) == 5

    again = call("POST", f"{app.base_url}/v0/management/usage/import", body=exported.body)
    assert again.status == 200 and (again.json["added"], again.json["skipped"], again.json["errors"]) == (0, 5, [])

    untouched = call("GET", f"{app.base_url}/v0/management/usage/export?end={int(paused_at_s * 1000)}")
    assert "x-coverage-gaps" not in untouched.headers


def test_tray_export_writes_a_sidecar_and_the_file_still_reimports(start_app: Callable[..., App], cpa: CpaDouble,
                                                                     tmp_path: Path) -> None:
    from tests.conftest import CPA_KEY

    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY, "USAGE_POLL_INTERVAL_MS": "50"},
                    desktop_shell=True)
    actions = app.desktop
    assert actions is not None
    notes: list[tuple[str, str]] = []
    actions._downloads = lambda: tmp_path / "Downloads"
    actions._notify = lambda title, message: notes.append((title, message))
    cpa.enqueue(*records.mixed_records(20, seed=7))
    assert app.collector.wait_for(lambda s: s.total_inserted == 20, 10)
    paused_at_s = float(int(time.time()) - 7200)
    record_ten_minute_pause(app, paused_at_s)

    path = actions.export_usage()
    sidecar = path.with_name(path.name + ".coverage.json")
    described = json.loads(sidecar.read_text())
    assert (described["format"], described["export"]) == ("cpa-manager-coverage-v1", path.name)
    assert described["gaps"] == [{"start": _rfc3339(paused_at_s), "end": _rfc3339(paused_at_s + 540),
                                  "reason": "paused", "retentionSeconds": 60}]
    assert notes == [("Export finished", f"Usage history saved to {path}. It has 1 interval(s) in which collection "
                                         f"could not see every event; see {sidecar.name}")]
    again = call("POST", f"{app.base_url}/v0/management/usage/import", key=CPA_KEY, body=path.read_bytes())
    assert again.status == 200 and (again.json["added"], again.json["skipped"]) == (0, 20)


def _rfc3339(seconds: float) -> str:
    from cpa_manager_desktop.ingest.timestamps import format_ns

    return format_ns(round(seconds * 1000) * 1_000_000)


def test_the_app_ticks_the_ledger_and_writes_a_last_heartbeat_when_it_stops(start_app: Callable[..., App]) -> None:
    app = start_app()
    wait_until(lambda: CoverageStore(app.db).load_state() is not None, message="the ledger's first heartbeat")
    stopping_ms = time.time() * 1000
    app.stop()
    db = Database(app.settings.db_path)
    try:
        state = CoverageStore(db).load_state()
    finally:
        db.close()
    assert state is not None and state.heartbeat_ms >= stopping_ms and state.blind_reason is None
