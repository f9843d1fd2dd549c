"""Model prices (manual and LiteLLM sync against a local server), cost semantics, and analytics."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cpa_manager_desktop.app import App
from cpa_manager_desktop.ingest.normalise import classify
from cpa_manager_desktop.prices.defaults import default_prices
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.queries import SUMMARY_MEASURES, Filters, Window, aggregate, last_hours_by_account
from cpa_manager_desktop.store.rows import EventRow
from tests.client import assert_error, call
from tests.cpa_double import records
from tests.test_usage_api import CLAUDE_CACHED, ENV, FIXED, KEY

LITELLM = {
    "sample_spec": {"input_cost_per_token": 0},
    "gpt-5.4": {"input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05,
                "cache_read_input_token_cost": 1.25e-07},
    "anthropic/claude-sonnet-4-5-20250929": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                                             "cache_read_input_token_cost": 3e-07,
                                             "cache_creation_input_token_cost": 3.75e-06},
    "gemini/gemini-2.5-pro": {"input_cost_per_token": "1.25e-06", "output_cost_per_token": "1e-05"},
}


class LiteLlmServer:
    """A local stand-in for the LiteLLM price file; tests never reach the internet."""

    def __init__(self, body: bytes, status: int = 200) -> None:
        outer = self
        self.body, self.status, self.hits = body, status, 0

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits += 1
                self.send_response(outer.status)
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/prices.json"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@pytest.fixture
def litellm() -> Iterator[LiteLlmServer]:
    server = LiteLlmServer(json.dumps(LITELLM).encode())
    yield server
    server.close()


@pytest.fixture
def app(start_app: Callable[..., App], litellm: LiteLlmServer) -> App:
    started = start_app({**ENV, "LITELLM_PRICES_URL": litellm.url})
    EventStore(started.db).add_batch([classify(r) for r in FIXED])
    return started


def api(app: App, method: str, path: str, **kwargs: object):
    return call(method, f"{app.base_url}/v0/management/{path}", key=KEY, **kwargs)


def test_manual_prices_roundtrip_and_validation(app: App) -> None:
    body = {"prices": {"gpt-5.4": {"input": 1.25, "output": 10, "cacheRead": 0.125}}}
    saved = api(app, "PUT", "model-prices", json_body=body).json["prices"]["gpt-5.4"]
    assert {k: saved[k] for k in ("input", "output", "cacheRead", "cacheWrite", "prompt", "completion", "cache",
                                  "source")} == {"input": 1.25, "output": 10.0, "cacheRead": 0.125, "cacheWrite": None,
                                                 "prompt": 1.25, "completion": 10.0, "cache": 0.125, "source": "manual"}
    for bad, message in [({"prices": {"m": {"input": -1, "output": 1}}}, "price for 'm': input must be between"),
                         ({"prices": {"m": {"input": 1}}}, "price for 'm': output is required"),
                         ({"prices": {"m": {"input": "x", "output": 1}}}, "price for 'm': input must be a number"),
                         ({}, "prices are required")]:
        assert_error(api(app, "PUT", "model-prices", json_body=bad), 400, message)
    assert list(api(app, "GET", "model-prices").json["prices"]) == ["gpt-5.4"]


def test_litellm_sync_matches_exact_then_provider_prefixed_names(app: App, litellm: LiteLlmServer) -> None:
    reply = api(app, "POST", "model-prices/sync").json
    assert (reply["imported"], reply["unmatched"]) == (3, [])
    prices = reply["prices"]
    assert prices["gpt-5.4"]["sourceModelId"] == "gpt-5.4"
    assert prices["claude-sonnet-4-5-20250929"]["sourceModelId"] == "anthropic/claude-sonnet-4-5-20250929"
    assert (prices["claude-sonnet-4-5-20250929"]["cacheRead"], prices["claude-sonnet-4-5-20250929"]["cacheWrite"]) == (
        0.3, 3.75)
    assert prices["gemini-2.5-pro"]["input"] == 1.25 and litellm.hits == 1
    only = api(app, "POST", "model-prices/sync", json_body={"models": ["no-such-model"]}).json
    assert (only["imported"], only["unmatched"]) == (0, ["no-such-model"])


@pytest.mark.parametrize(("body", "status", "message"), [
    (b"{not json", 200, "The price list is not JSON"),
    (b"[]", 200, "The price list is not a JSON object"),
    (b"{}", 503, "The price list at "),
])
def test_failed_sync_changes_nothing(start_app: Callable[..., App], body: bytes, status: int, message: str) -> None:
    bad = LiteLlmServer(body, status)
    try:
        app = start_app({**ENV, "LITELLM_PRICES_URL": bad.url})
        api(app, "PUT", "model-prices", json_body={"prices": {"keep": {"input": 1, "output": 2}}})
        assert_error(api(app, "POST", "model-prices/sync"), 502, message)
        assert list(api(app, "GET", "model-prices").json["prices"]) == ["keep"]
    finally:
        bad.close()


def test_cost_follows_each_providers_token_semantics(app: App) -> None:
    api(app, "PUT", "model-prices", json_body={"prices": {
        "gpt-5.4": {"input": 1.25, "output": 10, "cacheRead": 0.125},
        "claude-sonnet-4-5-20250929": {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75}}})
    summary = api(app, "GET", "analytics/summary").json
    # Codex: 4,000 uncached + 8,000 cache read (inside the 12,000 input) + 900 output (reasoning inside).
    codex = (4000 * 1.25 + 8000 * 0.125 + 900 * 10) / 1e6
    # Claude: 100 uncached input, 1,000 cache read and 200 cache write are separate buckets.
    claude = (100 * 3 + 1000 * 0.3 + 200 * 3.75 + 50 * 15) / 1e6
    # Gemini has no saved price: the shipped default table prices it (600 uncached, 400 read, 250 output).
    table = default_prices()["gemini-2.5-pro"]
    gemini = (600 * table.input_per_1m + 400 * table.cache_read_per_1m + 250 * table.output_per_1m) / 1e6
    assert summary["costUsd"] == pytest.approx(codex + claude + gemini)
    assert summary["unpriced"] == {"requests": 0, "models": []}
    assert {p["model"]: (p["pricedAs"], p["match"], p["source"]) for p in summary["pricing"]} == {
        "gpt-5.4": ("gpt-5.4", "exact", "manual"), "gemini-2.5-pro": ("gemini-2.5-pro", "exact", "default"),
        "claude-sonnet-4-5-20250929": ("claude-sonnet-4-5-20250929", "exact", "manual")}
    by_model = {i["key"]: i for i in api(app, "GET", "analytics/breakdown?by=model").json["items"]}
    assert by_model["gemini-2.5-pro"]["costUsd"] == pytest.approx(gemini)
    assert by_model["claude-sonnet-4-5-20250929"]["costUsd"] == pytest.approx(claude)
    api(app, "PUT", "model-prices", json_body={"prices": {"gpt-5.4": {"input": 2.5, "output": 20, "cacheRead": 0.25}}})
    # Claude's saved price is gone: the dated name now matches the default table's claude-sonnet-4-5.
    again = api(app, "GET", "analytics/summary").json
    sonnet = default_prices()["claude-sonnet-4-5"]
    claude_default = (100 * sonnet.input_per_1m + 1000 * sonnet.cache_read_per_1m + 200 * sonnet.cache_write_per_1m
                      + 50 * sonnet.output_per_1m) / 1e6
    assert again["costUsd"] == pytest.approx(2 * codex + claude_default + gemini)
    assert ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5", "dated", "default") in {
        (p["model"], p["pricedAs"], p["match"], p["source"]) for p in again["pricing"]}


def test_summary_kpis_for_the_fixed_set(app: App) -> None:
    summary = api(app, "GET", "analytics/summary").json
    assert {k: summary[k] for k in ("requests", "successes", "failures")} == {
        "requests": 5, "successes": 3, "failures": 2}
    # Input = uncached + cache read + cache write and output = output + reasoning for every provider:
    # Codex 4000+8000+0 / 900, Claude 100+1000+200 / 50, Gemini 600+400+0 / 200+50 thoughts.
    assert summary["tokens"] == {"input": 14300, "output": 1200, "reasoning": 370, "outputWithoutReasoning": 830,
                                 "uncachedInput": 4700, "cacheRead": 9400, "cacheWrite": 200, "cacheWrite5m": 200,
                                 "cacheWrite1h": 0, "unclassified": 0, "total": 15500}
    assert summary["inconsistentEvents"] == 0
    assert summary["latencyMs"]["avg"] == pytest.approx((8421 + 300 + 640 + 2000 + 1200) / 5, abs=0.1)
    assert summary["latencyMs"]["samples"] == 5 and 1000 <= summary["latencyMs"]["p50"] <= 1500


def test_filters_change_the_totals(app: App) -> None:
    claude = api(app, "GET", "analytics/summary?model=claude-sonnet-4-5-20250929").json
    assert (claude["requests"], claude["failures"]) == (2, 1)
    failed = api(app, "GET", "analytics/summary?status=failed").json
    assert failed["requests"] == 2
    by_code = api(app, "GET", "analytics/summary?status=429").json
    assert by_code["requests"] == 2
    text = api(app, "GET", "analytics/summary?q=gemini").json
    assert text["requests"] == 1
    account = api(app, "GET", "analytics/summary?account=3f9c1a7be2d04c55").json
    assert account["requests"] == 1
    assert_error(api(app, "GET", "analytics/summary?status=weird"), 400, "status must be success, failed")


def test_timeseries_buckets_in_a_time_zone(app: App) -> None:
    hourly = api(app, "GET", "analytics/timeseries?bucket=hour&tz=UTC&start=2026-08-22T00:00:00Z").json
    assert [(p["label"], p["requests"]) for p in hourly["points"]] == [("2026-08-22 14:00", 3), ("2026-08-22 15:00", 1)]
    # Tokyo (+9, whole hours, from rollups): 15:00Z is already the 23rd.
    tokyo = api(app, "GET", "analytics/timeseries?bucket=day&tz=Asia/Tokyo").json
    assert [(p["label"], p["requests"]) for p in tokyo["points"]] == [("2026-03-01", 1), ("2026-08-22", 3),
                                                                      ("2026-08-23", 1)]
    # +09:30 cuts hours in half, so days are folded from raw quarter-hours: 14:03Z is 23:33 on the 22nd.
    adelaide = api(app, "GET", "analytics/timeseries?bucket=day&tz=%2B09:30").json
    assert [(p["label"], p["requests"]) for p in adelaide["points"]] == [("2026-03-01", 1), ("2026-08-22", 3),
                                                                         ("2026-08-23", 1)]
    kolkata = api(app, "GET", "analytics/timeseries?bucket=day&tz=%2B05:30").json
    assert [(p["label"], p["requests"]) for p in kolkata["points"]] == [("2026-03-01", 1), ("2026-08-22", 4)]
    minutes = api(app, "GET", "analytics/timeseries?bucket=minute&start=2026-08-22T14:00:00Z"
                              "&end=2026-08-22T15:30:00Z&tz=UTC").json
    assert [(p["label"], p["requests"]) for p in minutes["points"]] == [
        ("2026-08-22 14:03", 2), ("2026-08-22 14:05", 1), ("2026-08-22 15:00", 1)]
    assert_error(api(app, "GET", "analytics/timeseries?bucket=minute"), 400, "minute buckets need a window")
    assert_error(api(app, "GET", "analytics/timeseries?tz=Mars/Olympus"), 400, "unknown time zone")


def test_breakdowns_carry_labels(app: App) -> None:
    by_key = api(app, "GET", "analytics/breakdown?by=apiKey").json["items"]
    assert sorted(i["label"] for i in by_key) == ["(no API key)", "sk-c…aaaa", "sk-c…bbbb"]
    by_account = {i["key"]: i["label"] for i in api(app, "GET", "analytics/breakdown?by=account").json["items"]}
    assert by_account["3f9c1a7be2d04c55"] == "ali***@example.com"
    assert_error(api(app, "GET", "analytics/breakdown?by=colour"), 400, "by must be one of")


def test_account_breakdown_says_each_accounts_last_hour(app: App) -> None:
    last_hour_ms: dict[str, int] = {}
    for row in (classify(r) for r in FIXED):
        if isinstance(row, EventRow) and row.auth_index:
            hour_ms = row.ts_ns // 3_600_000_000_000 * 3_600_000
            last_hour_ms[row.auth_index] = max(last_hour_ms.get(row.auth_index, 0), hour_ms)
    items = api(app, "GET", "analytics/breakdown?by=account").json["items"]
    assert {i["key"]: i["lastHourAt"] for i in items if i["key"]} == last_hour_ms
    # A window that ends before an account's last hour reports an earlier hour, never a later one.
    newest = max(last_hour_ms.values())
    earlier = api(app, "GET", f"analytics/breakdown?by=account&end={newest}").json["items"]
    assert all(i["lastHourAt"] is None or i["lastHourAt"] < newest for i in earlier)


def test_filter_options_list_what_the_breakdowns_list(app: App) -> None:
    dimensions = api(app, "GET", "analytics/options").json["dimensions"]
    assert set(dimensions) == {"model", "provider", "account", "apiKey", "endpoint"}
    for by, options in dimensions.items():
        rows = api(app, "GET", f"analytics/breakdown?by={by}").json["items"]
        assert sorted((o["key"], o["label"], o["requests"]) for o in options) == sorted(
            (r["key"], r["label"], r["requests"]) for r in rows), by
    assert sum(o["requests"] for o in dimensions["model"]) == 5
    assert {o["label"] for o in dimensions["apiKey"]} == {"(no API key)", "sk-c…aaaa", "sk-c…bbbb"}
    only_august = api(app, "GET", "analytics/options?start=2026-08-01T00:00:00Z").json["dimensions"]
    assert sum(o["requests"] for o in only_august["model"]) == 4


def test_failure_analysis_groups_by_status_and_reason(app: App) -> None:
    failures = api(app, "GET", "analytics/failures").json
    assert failures["total"] == 2 and failures["byStatus"] == [{"status": 429, "count": 2}]
    reasons = {r["reason"]: r for r in failures["byReason"]}
    assert set(reasons) == {"rate_limit_error", "rate limited"}
    assert all("PROVIDERKEY" not in s for r in failures["byReason"] for s in r["samples"])


def test_event_pages_and_polling_for_new_events(app: App) -> None:
    first = api(app, "GET", "analytics/events?limit=2").json
    assert [e["timestamp"] for e in first["events"]] == ["2026-08-22T15:00:00Z", "2026-08-22T14:05:02.0071Z"]
    second = api(app, "GET", f"analytics/events?limit=2&before={first['nextBefore']}").json
    assert [e["timestamp"] for e in second["events"]] == ["2026-08-22T14:03:11.482913507Z", "2026-08-22T14:03:10.1Z"]
    assert api(app, "GET", f"analytics/events?after={first['newest']}").json["events"] == []
    newer = dict(CLAUDE_CACHED, timestamp="2026-08-22T16:00:00Z", request_id="n1")
    EventStore(app.db).add_batch([classify(newer)])
    fresh = api(app, "GET", f"analytics/events?after={first['newest']}").json
    assert [e["requestId"] for e in fresh["events"]] == ["n1"] and fresh["newest"] != first["newest"]
    assert_error(api(app, "GET", "analytics/events?before=nonsense"), 400, "before must be a cursor")


@pytest.mark.parametrize("group", [["provider"], ["model", "failed"], ["hour"], ["auth_index", "api_key_hash"]])
def test_rollup_and_raw_paths_agree_on_a_large_mixed_set(start_app: Callable[..., App], group: list[str]) -> None:
    app = start_app(ENV)
    recs = records.mixed_records(3000, seed=40)
    EventStore(app.db).add_batch([classify(r) for r in recs])
    rows = [classify(r) for r in recs]
    window = Window(min(r.ts_ns for r in rows) + 1, max(r.ts_ns for r in rows))
    always_raw = Filters(extra_raw=(("1 = 1", ()),))

    def run(filters: Filters) -> list[dict]:
        return sorted(app.db.read(lambda c: aggregate(c, window, group, filters)), key=repr)

    assert run(Filters()) == run(always_raw)
    assert sum(r["requests"] for r in run(Filters())) == 2998


@pytest.mark.parametrize("group", [["model"], ["auth_index", "model"], ["api_key_hash", "model"], []])
def test_daily_rollups_agree_with_raw_rows_over_weeks(start_app: Callable[..., App], group: list[str]) -> None:
    """A window of many days reads whole UTC days from the daily families (store/rollups.py), the hours
    around them from the hourly ones and its edges from raw rows: the sums match reading raw rows only."""
    app = start_app(ENV)
    rows = [classify(r) for r in records.mixed_records(3000, seed=41)]
    base = rows[0].ts_ns
    spread = [row._replace(ts_ns=base + i * 7 * 60 * 1_000_000_000) for i, row in enumerate(rows)]  # ~15 days
    EventStore(app.db).add_batch(spread)
    window = Window(base + 2 * 86_400 * 1_000_000_000 + 1234, spread[-1].ts_ns - 7 * 3_600_000_000_000 - 99)
    always_raw = Filters(extra_raw=(("1 = 1", ()),))

    def run(filters: Filters) -> list[dict]:
        # The measures every family keeps (only the model family keeps latency histograms).
        return sorted(app.db.read(lambda c: aggregate(c, window, group, filters, measures=SUMMARY_MEASURES)),
                      key=repr)

    assert run(Filters()) == run(always_raw)
    assert 2400 < sum(r["requests"] for r in run(Filters())) < 2600


def test_last_hours_read_from_days_match_the_hours(start_app: Callable[..., App]) -> None:
    """last_hours_by_account finds each account's last day first, then its hour: the same answer as
    reading every hour, also when the window ends inside a day the account was busy later in."""
    app = start_app(ENV)
    rows = [classify(r) for r in records.mixed_records(1500, seed=42)]
    base = rows[0].ts_ns
    EventStore(app.db).add_batch([row._replace(ts_ns=base + i * 11 * 60 * 1_000_000_000)
                                  for i, row in enumerate(rows)])
    accounts = [a for (a,) in app.db.read(lambda c: c.execute("SELECT DISTINCT auth_index FROM rollup_account"))]
    hour_ns = 3_600_000_000_000
    for start_h, end_h in ((0, 300), (5, 29), (30, 61), (100, 101), (-10, 5), (48, 72)):
        window = Window(base + start_h * hour_ns + 77, base + end_h * hour_ns - 5)
        first, last = window.start_ns // hour_ns, (window.end_ns - 1) // hour_ns
        expected = dict(app.db.read(lambda c, f=first, last_=last: c.execute(
            "SELECT auth_index, MAX(hour) FROM rollup_account WHERE hour >= ? AND hour <= ? GROUP BY auth_index",
            (f, last_)).fetchall()))
        got = app.db.read(lambda c, w=window: last_hours_by_account(c, w, accounts))
        assert got == {k: v for k, v in expected.items() if k in accounts}
        assert got or end_h <= 5


@pytest.mark.parametrize("group", [["model"], ["auth_index", "api_key_hash"], ["slot", "endpoint"], ["status_code"]])
def test_raw_rows_read_packed_agree_with_the_view(start_app: Callable[..., App], group: list[str]) -> None:
    """Raw rows are summed straight from the packed table by text id (store/queries.py): the same sums as
    through the usage_events view, with filters on a text, on '' (no value), and with none."""
    app = start_app(ENV)
    recs = records.mixed_records(3000, seed=43)
    EventStore(app.db).add_batch([classify(r) for r in recs])
    rows = [classify(r) for r in recs]
    window = Window(min(r.ts_ns for r in rows), max(r.ts_ns for r in rows) + 1)
    model = rows[5].model
    for filters in (Filters(), Filters(models=(model,)), Filters(api_key_hashes=("", rows[3].api_key_hash or "")),
                    Filters(auth_indexes=("", rows[7].auth_index or ""), failed=True)):
        def run(f: Filters) -> list[dict]:
            return sorted(app.db.read(lambda c: aggregate(c, window, group, f, slot_ns=600_000_000_000,
                                                          measures=SUMMARY_MEASURES)), key=repr)

        through_view = Filters(**{**filters.__dict__, "extra_raw": (("1 = 1", ()),)})
        assert run(filters) == run(through_view)
        assert run(filters)
