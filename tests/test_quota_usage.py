"""Our usage inside each credential's current quota windows (joined by auth_index, priced like analytics) and
the sparklines of every credential, on a real SQLite file with a fixed "now"; then both over HTTP."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cpa_manager_desktop.app import App
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.quota.parsers import model_family, window_model
from cpa_manager_desktop.quota.reading import CredentialProblem, CredentialState, QuotaReading, Window
from cpa_manager_desktop.quota.snapshot import from_row, to_row
from cpa_manager_desktop.service.quota_usage import QuotaUsage
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.prices import Price, PriceStore
from cpa_manager_desktop.store.quota import QuotaStore
from cpa_manager_desktop.store.schema import PACKED_EVENTS
from tests.client import assert_error, call
from tests.conftest import CPA_KEY
from tests.cpa_double import make_record

NOW = 1_800_001_234            # 20:33:54 past an hour: windows start and end inside hours
A, B, C, D, E = "a" * 16, "b" * 16, "c" * 16, "d" * 16, "e" * 16
MODEL = "quota-test-model"
# $1 per million input tokens, $10 per million output; a "priority" request is billed at double.
PRICE = Price(MODEL, 1.0, 10.0, tiers_json=json.dumps({"service": {"priority": {"input": 2.0, "output": 20.0}}}))


def event(auth_index: str, at_s: int, seq: int, *, tier: str | None = None, model: str = MODEL) -> object:
    rec = make_record(provider="codex", model=model, seq=seq, request_id=f"q-{seq}",
                      timestamp=datetime.fromtimestamp(at_s, UTC), tokens={"input": 1000, "output": 100})
    rec["auth_index"] = auth_index
    if tier is not None:
        rec["response_service_tier"] = tier
    return classify(rec)


def reading(*windows: Window) -> QuotaReading:
    return QuotaReading("codex", "plus", windows)


@pytest.fixture
def db(tmp_path: Path):
    database = Database(tmp_path / "usage.sqlite")
    yield database
    database.close()


def figures(usage: QuotaUsage, rows: list) -> dict[tuple[str, str], tuple[int, int, int, int, float, int]]:
    views = [from_row(r) for r in rows]
    return {(f.auth_index, f.window): (f.start_s, f.end_s, f.totals.requests, f.totals.sums["in_uncached"]
                                       + f.totals.sums["out_total"], round(f.totals.cost_usd, 6),
                                       f.totals.unpriced_requests)
            for f in usage.in_windows(views, NOW)}


def test_window_usage_counts_each_windows_span_and_only_its_credential(db: Database) -> None:
    PriceStore(db).upsert([PRICE])
    five_start, week_start = NOW - 14_400, NOW - 518_400
    EventStore(db).add_batch([
        event(A, five_start - 1, 1),        # before the 5-hour window: weekly only
        event(A, five_start, 2),            # the window's first second counts
        event(A, NOW - 7_200, 3),           # whole hours inside: from the rollup
        event(A, NOW - 10, 4, tier="priority"),  # this hour, raw; billed at the priority tier
        event(A, week_start - 60, 5),       # before both
        event(A, NOW, 6),                   # now is the open end
        event(B, NOW - 7_200, 7),           # another credential in the same hours
        event(C, NOW - 700, 8),             # before C's reset
        event(C, NOW - 300, 9, model="unpriced-model"),
    ])
    rows = [
        to_row(A, "codex", NOW - 60, reading(Window("five_hour", 40, (NOW + 3_600) * 1000, 18_000),
                                              Window("weekly", 10, (NOW + 86_400) * 1000, 604_800))),
        to_row(C, "codex", NOW - 900, reading(Window("five_hour", 100, (NOW - 600) * 1000, 18_000))),
        to_row(D, "claude", NOW - 60, CredentialProblem(CredentialState.EXPIRED, 401)),
        to_row(E, "codex", NOW - 60, reading(Window("five_hour", 1, (NOW + 20_000) * 1000, 18_000))),
        to_row(B, "kimi", NOW - 60, reading(Window("weekly", 5, None, 604_800), Window("daily", 5, NOW * 1000))),
    ]
    usage = QuotaUsage(db, PriceStore(db))
    # 1,100 tokens and $0.002 a request at base rates; the priority one costs $0.004.
    assert figures(usage, rows) == {
        (A, "five_hour"): (five_start, NOW, 3, 3_300, 0.008, 0),
        (A, "weekly"): (week_start, NOW, 4, 4_400, 0.01, 0),
        # C's reset passed (no reading since): what came after it belongs to the new window.
        (C, "five_hour"): (NOW - 600, NOW, 1, 1_100, 0.0, 1),
        # A reset further away than the window is long (a skewed clock): the window has only begun.
        (E, "five_hour"): (NOW, NOW, 0, 0, 0.0, 0),
    }


def test_model_family_windows_count_only_that_familys_requests(db: Database) -> None:
    sonnet, opus = Price("test-sonnet-x", 1.0, 10.0, tiers_json=PRICE.tiers_json), Price("test-opus-x", 5.0, 25.0)
    PriceStore(db).upsert([sonnet, opus])
    EventStore(db).add_batch([
        event(A, NOW - 7_200, 1, model="test-sonnet-x"),                   # whole hours: from the rollup
        event(A, NOW - 10, 2, model="test-sonnet-x", tier="priority"),     # raw, at the priority tier
        event(A, NOW - 259_200, 3, model="TEST-Sonnet-Y"),                 # the family word in any case
        event(A, NOW - 7_200, 4, model="test-opus-x"),
        event(A, NOW - 20, 5, model="test-opus-x"),
        event(A, NOW - 30, 6, model="test-haiku-x"),
    ])
    week = (NOW + 86_400) * 1000
    claude = QuotaReading("claude", "max", tuple(Window(key, 10, week, 604_800)
                                                 for key in ("weekly", "weekly:sonnet", "weekly:opus")))
    start = NOW - 518_400
    # Per request: 1,100 tokens; sonnet $0.002 ($0.004 at priority), opus $0.005 + $0.0025 = $0.0075;
    # haiku and TEST-Sonnet-Y have no price.
    assert figures(QuotaUsage(db, PriceStore(db)), [to_row(A, "claude", NOW - 60, claude)]) == {
        (A, "weekly"): (start, NOW, 6, 6_600, 0.021, 2),
        (A, "weekly:sonnet"): (start, NOW, 3, 3_300, 0.006, 1),
        (A, "weekly:opus"): (start, NOW, 2, 2_200, 0.015, 0),
    }


def test_model_windows_count_only_that_models_requests(db: Database) -> None:
    pro, flash = Price("test-gemini-pro", 1.0, 10.0, tiers_json=PRICE.tiers_json), Price("test-gemini-flash", 0.5, 5.0)
    PriceStore(db).upsert([pro, flash])
    EventStore(db).add_batch([
        event(A, NOW - 7_200, 1, model="TEST-Gemini-Pro"),                  # rollup; the id in another case
        event(A, NOW - 10, 2, model="test-gemini-pro", tier="priority"),    # raw, at the priority tier
        event(A, NOW - 20, 3, model="test-gemini-pro-preview"),             # contains the id: not that model
        event(A, NOW - 7_200, 4, model="test-gemini-flash"),
        event(A, NOW - 30, 5, model="test-gemini-flash"),
        event(B, NOW - 40, 6, model="test-gemini-pro"),                      # another credential
    ])
    day = (NOW + 3_600) * 1000
    gemini = QuotaReading("gemini-cli", None, (Window("model:test-gemini-pro", 10, day, 86_400),
                                               Window("model:test-gemini-flash", 10, day, 86_400),
                                               Window("daily", 10, day, 86_400)))
    start = NOW + 3_600 - 86_400
    # Per request: 1,100 tokens; pro $0.004 at priority, flash $0.0005 + $0.0005 = $0.001; TEST-Gemini-Pro
    # and the preview model have no price. A window without a model counts all five of A's requests.
    assert figures(QuotaUsage(db, PriceStore(db)), [to_row(A, "gemini-cli", NOW - 60, gemini)]) == {
        (A, "model:test-gemini-pro"): (start, NOW, 2, 2_200, 0.004, 1),
        (A, "model:test-gemini-flash"): (start, NOW, 2, 2_200, 0.002, 0),
        (A, "daily"): (start, NOW, 5, 5_500, 0.006, 2),
    }


def test_model_family_of_a_window_key() -> None:
    assert [model_family(k) for k in ("weekly:sonnet", "weekly:opus", "weekly", "weekly:oauth_apps",
                                      "five_hour", "model:sonnet")] == ["sonnet", "opus", "", "", "", ""]
    assert [window_model(k) for k in ("model:Gemini-2.5-Pro", "weekly:sonnet", "five_hour")] == [
        "gemini-2.5-pro", "", ""]


def test_window_usage_for_a_thousand_credentials_is_a_few_queries(db: Database) -> None:
    PriceStore(db).upsert([PRICE])
    indexes = [f"{i:016x}" for i in range(1000)]
    EventStore(db).add_batch([event(index, NOW - 3_600 * (i % 7) - 5, i) for i, index in enumerate(indexes)])
    rows = [to_row(index, "codex", NOW - 60, reading(
        Window("five_hour", 1, (NOW + 60 * (i % 300 + 1)) * 1000, 18_000),
        Window("weekly", 1, (NOW + 3_600 * (i % 100 + 1)) * 1000, 604_800))) for i, index in enumerate(indexes)]
    statements: list[str] = []
    read = db.read

    def traced(fn):  # every statement a read runs, on whichever reader connection runs it
        def run(conn):
            conn.set_trace_callback(statements.append)
            try:
                return fn(conn)
            finally:
                conn.set_trace_callback(None)
        return read(run)

    db.read = traced  # type: ignore[method-assign]
    found = figures(QuotaUsage(db, PriceStore(db)), rows)
    db.read = read  # type: ignore[method-assign]
    assert len(found) == 2000
    # Every event lies 5 s to 6 h 5 s before now: inside its weekly window, and inside its 5-hour window
    # when that started earlier (its start is now − 5 h + 60 s·(i mod 300 + 1)).
    expected_five = sum(1 for i in range(1000) if 3_600 * (i % 7) + 5 <= 18_000 - 60 * (i % 300 + 1))
    assert sum(v[2] for (_, w), v in found.items() if w == "five_hour") == expected_five
    assert sum(v[2] for (_, w), v in found.items() if w == "weekly") == 1000
    # For 2,000 windows: one statement sums them all, one reads the requests a price tier bills differently;
    # both read the packed events table, not the wide view.
    assert [s.split(" ", 1)[0] for s in statements if PACKED_EVENTS in s] == ["WITH", "WITH"]
    assert not [s for s in statements if "usage_events" in s]


def test_sparklines_keep_the_highest_reading_per_window_and_bucket(db: Database) -> None:
    store = QuotaStore(db)
    bucket = 6 * 3600
    start = (NOW // bucket - 27) * bucket  # 28 buckets aligned to the epoch, the last one holding now
    five = (NOW + 3_600) * 1000
    store.record([to_row(A, "codex", start - 10, reading(Window("five_hour", 99, five, 18_000)))])  # before: left out
    for at, used in ((start, 10), (start + 3_600, 30), (start + 7_200, 20), (start + 5 * bucket, 55)):
        store.record([to_row(A, "codex", at, reading(Window("five_hour", used, five, 18_000),
                                                     Window("weekly", used / 10, five, 604_800)))])
    store.record([to_row(A, "codex", NOW - 30, CredentialProblem(CredentialState.EXPIRED, 401))])
    store.record([to_row(B, "codex", NOW - 60, reading(Window("five_hour", 90, five, 18_000)))])
    usage = QuotaUsage(db, PriceStore(db))
    lines = usage.sparklines(7, NOW)
    assert (lines.start_s, lines.end_s, lines.bucket_s) == (start, NOW + 1, bucket)
    empty: list[float | None] = [None] * 28
    assert lines.series == {
        A: {"five_hour": [30.0, None, None, None, None, 55.0, *empty[6:]],
            "weekly": [3.0, None, None, None, None, 5.5, *empty[6:]]},
        B: {"five_hour": [*empty[:27], 90.0]},
    }
    # The ended buckets come from the cache now; the current one is read again, so a new reading shows.
    store.record([to_row(B, "codex", NOW, reading(Window("five_hour", 100, five, 18_000)))])
    assert usage.sparklines(7, NOW).series[B] == {"five_hour": [*empty[:27], 100.0]}
    # A bucket later, the one that was current has ended and is read once more, then kept.
    later = usage.sparklines(7, NOW + bucket)
    assert later.start_s == start + bucket
    assert later.series == {A: {"five_hour": [None, None, None, None, 55.0, *empty[5:]],
                                "weekly": [None, None, None, None, 5.5, *empty[5:]]},
                            B: {"five_hour": [*empty[:26], 100.0, None]}}


# --- over HTTP ---------------------------------------------------------------------------------------------


def test_usage_and_sparklines_endpoints(start_app: Callable[..., App]) -> None:
    # Set up with CPA's key against a port nobody listens on: the routes need the key, and no quota
    # reading but ours is stored.
    app = start_app({"CPA_UPSTREAM_URL": "http://127.0.0.1:9", "CPA_MANAGEMENT_KEY": CPA_KEY})
    now = int(time.time())
    PriceStore(app.db).upsert([PRICE])
    EventStore(app.db).add_batch([event(A, now - 100, 1), event(A, now - 50, 2), event(B, now - 50, 3)])
    QuotaStore(app.db).record([to_row(A, "codex", now - 10, reading(
        Window("five_hour", 25, (now + 600) * 1000, 18_000)))])
    reply = call("GET", f"{app.base_url}/quota/usage", key=CPA_KEY)
    assert reply.status == 200
    served_now = reply.json["now"]
    assert now <= served_now <= now + 60
    assert reply.json["credentials"] == {A: [{
        "window": "five_hour", "start": now + 600 - 18_000, "end": served_now, "requests": 2, "failures": 0,
        "tokens": 2_200, "cost_usd": 0.004, "unpriced_requests": 0}]}

    lines = call("GET", f"{app.base_url}/quota/sparklines?days=7", key=CPA_KEY).json
    assert lines["bucket_seconds"] == 21_600 and lines["start"] == (now // 21_600 - 27) * 21_600
    assert lines["credentials"] == {A: {"five_hour": [*[None] * 27, 25.0]}}
    assert_error(call("GET", f"{app.base_url}/quota/sparklines?days=0", key=CPA_KEY), 400,
                 "days must be a whole number from 1 to 31")
    for path in ("/quota/usage", "/quota/sparklines"):
        assert call("GET", f"{app.base_url}{path}").status == 401
