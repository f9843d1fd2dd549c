"""Issue 12 §1-2: one canonical token model for every CPA version and provider, on every surface.

The records and their hand-computed buckets are in tests/fixtures/token_classes.py.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from cpa_manager_desktop.analytics.service import AnalyticsQuery, AnalyticsService
from cpa_manager_desktop.app import App
from cpa_manager_desktop.desktop.menu import TrayState, status_line
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.prices import PriceStore
from cpa_manager_desktop.store.queries import Filters, Window
from cpa_manager_desktop.store.rows import EventRow
from tests.client import call
from tests.fixtures.token_classes import ALL_CLASSES, CLASSES, Expected, total
from tests.test_usage_api import ENV, KEY

RELEASE_DB = Path(__file__).parent / "fixtures" / "release_schema3.sqlite"
BUCKETS = ("in_uncached", "in_cache_read", "in_cache_write", "in_cache_write_1h", "out_total", "out_reasoning",
           "unclassified_tokens")


def buckets_of(row: EventRow) -> Expected:
    return tuple(getattr(row, name) for name in BUCKETS)  # type: ignore[return-value]


@pytest.mark.parametrize("name", list(ALL_CLASSES))
def test_ingest_gives_the_canonical_buckets(name: str) -> None:
    record, expected = ALL_CLASSES[name]
    row = classify(record)
    assert isinstance(row, EventRow), row
    assert buckets_of(row) == expected
    assert row.total_tokens == total(expected)


def test_inconsistent_breakdown_keeps_its_quality() -> None:
    row = classify(CLASSES["v7.2.97 codex inconsistent"][0])
    assert isinstance(row, EventRow) and row.token_quality == "inconsistent"


def test_migration_recomputes_a_database_written_by_the_release(tmp_path: Path) -> None:
    """tests/fixtures/release_schema3.sqlite was written by the release before issue 12 (schema 3, see
    make_release_db.py): Claude writes as reads, totals without cache, inconsistent all unclassified."""
    path = tmp_path / "usage.sqlite"
    shutil.copy(RELEASE_DB, path)
    before = sqlite3.connect(path)
    assert before.execute("PRAGMA user_version").fetchone()[0] == 3
    assert before.execute("SELECT in_cache_read, total_tokens FROM usage_events WHERE request_id = 'tc000004'"
                          ).fetchone() == (2000, 700)
    keys_before = dict(before.execute("SELECT request_id, event_key FROM usage_events").fetchall())
    before.close()
    db = Database(path)
    try:
        stored = db.read(lambda c: c.execute(
            f"SELECT request_id, {', '.join(BUCKETS)}, total_tokens, event_key FROM usage_events").fetchall())
        by_request = {row[0]: row for row in stored}
        for name, (record, expected) in CLASSES.items():
            row = by_request[record["request_id"]]
            assert (name, row[1:8], row[8]) == (name, expected, total(expected))
            assert row[9] == keys_before[record["request_id"]]  # the dedup key is unchanged
        for rollup in ("rollup_model", "rollup_account", "rollup_api_key"):
            sums = db.read(lambda c, r=rollup: c.execute(
                f"SELECT SUM(total_tokens), SUM(in_cache_write), SUM(inconsistent) FROM {r}").fetchone())
            assert sums == (sum(total(e) for _, e in CLASSES.values()), 3000, 1)
        # A re-delivered record is still a duplicate after the migration.
        added = EventStore(db).add_batch([classify(record) for record, _ in CLASSES.values()])
        assert db.read(lambda c: c.execute("SELECT COUNT(*) FROM usage_events").fetchone()[0]) == len(CLASSES)
        assert added is not None
    finally:
        db.close()


@pytest.fixture
def app(start_app: Callable[..., App]) -> App:
    started = start_app(ENV)
    EventStore(started.db).add_batch([classify(record) for record, _ in ALL_CLASSES.values()])
    return started


def get(app: App, path: str) -> Any:
    reply = call("GET", f"{app.base_url}/v0/management/{path}", key=KEY)
    assert reply.status == 200, reply.body
    return reply.json if not path.startswith("usage/export") else reply.body


def api_tokens(expected: Expected) -> dict[str, int]:
    uncached, read, write, write_1h, output, reasoning, unclassified = expected
    return {"input": uncached + read + write, "output": output, "reasoning": reasoning,
            "outputWithoutReasoning": output - reasoning, "uncachedInput": uncached, "cacheRead": read,
            "cacheWrite": write, "cacheWrite5m": write - write_1h, "cacheWrite1h": write_1h,
            "unclassified": unclassified, "total": total(expected)}


def sum_expected(names: list[str]) -> Expected:
    return tuple(sum(ALL_CLASSES[n][1][i] for n in names) for i in range(7))  # type: ignore[return-value]


def by_request() -> dict[str, str]:
    return {record["request_id"]: name for name, (record, _) in ALL_CLASSES.items()}


def test_events_page_and_export_carry_the_buckets(app: App) -> None:
    names = by_request()
    events = get(app, "analytics/events?limit=100")["events"]
    assert len(events) == len(ALL_CLASSES)
    for event in events:
        assert event["tokens"] == api_tokens(ALL_CLASSES[names[event["requestId"]]][1]), names[event["requestId"]]
    lines = [json.loads(line) for line in get(app, "usage/export?format=jsonl").splitlines()]
    for line in lines:
        expected = ALL_CLASSES[names[line["request_id"]]][1]
        assert tuple(line[b] for b in BUCKETS) == expected and line["total_tokens"] == total(expected)
    csv_text = get(app, "usage/export?format=csv").decode()
    header = csv_text.splitlines()[0].split(",")
    first = dict(zip(header, csv_text.splitlines()[1].split(","), strict=False))
    assert int(first["total_tokens"]) == total(ALL_CLASSES[names[first["request_id"]]][1])


def test_summary_series_and_breakdowns_sum_the_buckets(app: App) -> None:
    everything = sum_expected(list(ALL_CLASSES))
    summary = get(app, "analytics/summary")
    assert summary["tokens"] == api_tokens(everything)
    assert summary["inconsistentEvents"] == 1
    points = get(app, "analytics/timeseries?bucket=hour&tz=UTC")["points"]
    assert [p["tokens"] for p in points] == [api_tokens(everything)]  # every record is in 10:00Z
    providers = {item["key"]: item for item in get(app, "analytics/breakdown?by=provider")["items"]}
    claude = [n for n, (r, _) in ALL_CLASSES.items() if r["provider"] == "claude"]
    assert providers["claude"]["tokens"] == api_tokens(sum_expected(claude))
    assert providers["codex"]["inconsistentEvents"] == 1


def test_legacy_usage_details_and_aggregates(app: App) -> None:
    payload = get(app, "usage")
    assert payload["total_tokens"] == sum(total(e) for _, e in ALL_CLASSES.values())
    for endpoint in payload["apis"].values():
        for model in endpoint["models"].values():
            assert model["total_tokens"] == sum(d["tokens"]["total_tokens"] for d in model["details"])
            for detail in model["details"]:
                name = next(n for n, (r, _) in ALL_CLASSES.items() if r["timestamp"] == detail["timestamp"])
                uncached, read, write, _w1h, output, reasoning, _u = ALL_CLASSES[name][1]
                assert detail["tokens"] == {
                    "input_tokens": uncached + read + write, "output_tokens": output, "reasoning_tokens": reasoning,
                    "cached_tokens": read, "cache_tokens": read, "cache_read_tokens": read,
                    "cache_creation_tokens": write, "total_tokens": total(ALL_CLASSES[name][1])}, name


def test_tray_line_costs_the_canonical_buckets(app: App) -> None:
    """Claude v7.1 record: 500 input, 2000 cache WRITE, 200 output at $3 / $3.75 write / $0.30 read / $15:
    500*3 + 2000*3.75 + 200*15 = 12,000 per 1M = $0.012 (as reads it would have been $0.0051)."""
    reply = call("PUT", f"{app.base_url}/v0/management/model-prices", key=KEY, json_body={"prices": {
        "claude-sonnet-4-5": {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75}}})
    assert reply.status == 200, reply.body
    analytics = AnalyticsService(app.db, PriceStore(app.db))
    record = CLASSES["v7.1 claude write"][0]
    totals = analytics.totals(AnalyticsQuery(Window(), UTC, Filters(models=("claude-sonnet-4-5",))))
    claude_cost = (500 * 3 + 3000 * 0.3 + 200 * 15) + (500 * 3 + 2000 * 3.75 + 200 * 15) \
        + (500 * 3 + 3000 * 0.3 + 1000 * 3.75 + 200 * 15)
    assert totals.cost_usd == pytest.approx(claude_cost / 1e6)
    line = status_line(TrayState(collector_state="running", configured=True, events_today=totals.requests,
                                 cost_today_usd=totals.cost_usd, unpriced_today=totals.unpriced_requests))
    assert f"${claude_cost / 1e6:,.2f}" in line and record["model"] == "claude-sonnet-4-5"


def _at(base: dict[str, Any], timestamp: str, request_id: str) -> dict[str, Any]:
    return {**base, "timestamp": timestamp, "request_id": request_id}


@pytest.mark.parametrize(("zone", "stamps", "by_hour", "by_day"), [
    # Darwin +09:30: 14:20Z is 23:50 on the 22nd, 14:40Z is 00:10 on the 23rd (one UTC hour, two local days).
    ("Australia/Darwin", ("2026-08-22T14:20:00Z", "2026-08-22T14:40:00Z"),
     {"23": 1, "00": 1}, {"2026-08-22": 1, "2026-08-23": 1}),
    # Kathmandu +05:45: 14:10Z is 19:55, 14:20Z is 20:05.
    ("Asia/Kathmandu", ("2026-08-22T14:10:00Z", "2026-08-22T14:20:00Z"),
     {"19": 1, "20": 1}, {"2026-08-22": 2}),
])
def test_legacy_time_buckets_on_local_boundaries(start_app: Callable[..., App], monkeypatch: pytest.MonkeyPatch,
                                                  zone: str, stamps: tuple[str, str], by_hour: dict[str, int],
                                                  by_day: dict[str, int]) -> None:
    import time

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        app = start_app(ENV)
        base, expected = CLASSES["v6.10 codex"]
        EventStore(app.db).add_batch([classify(_at(base, stamp, f"lt{i}")) for i, stamp in enumerate(stamps)])
        payload = get(app, "usage")
        assert payload["requests_by_hour"] == by_hour and payload["requests_by_day"] == by_day
        assert payload["tokens_by_hour"] == {hour: n * total(expected) for hour, n in by_hour.items()}
        assert payload["tokens_by_day"] == {day: n * total(expected) for day, n in by_day.items()}
    finally:
        monkeypatch.undo()
        time.tzset()
