"""Retake the README's Quota, Budgets, Alerts, Codex inspection and monitoring-gap screenshots from a real stack.
Run from the repository root after building the panel:

    python build_scripts/screenshots_watch.py [--out docs/screenshots]

Starts the CPA double (v8) with twelve credentials over codex, claude, gemini-cli, antigravity and kimi whose
quota endpoints answer in several states (plenty left, nearly exhausted, exhausted, rejected, unrecognised),
delivers eight days of usage on them, and runs the app in this process until every record is stored and every
credential's quota read. Then it records a three-hour collection pause six hours ago (the coverage ledger on a
fake clock, as tests/test_panel_coverage.py does), creates three budgets sized to the real spend, and turns
usage publishing off at the double, so the alerts page holds a data gap, a failure spike and publishing off.
Saves quota.png, budgets.png, alerts.png, inspection.png (a finished dry run) and monitoring-gap.png.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from screenshot_kit import KEY, app_in_process, out_dir, signed_in  # first: it puts the repository on sys.path

# isort: split
from playwright.sync_api import Locator, Page, expect

from cpa_manager_desktop.app import App
from tests.browser import go_to, wait_stored
from tests.client import call
from tests.conftest import wait_until
from tests.cpa_double import CpaDouble, make_record
from tests.cpa_double.quota_upstream import Answer, recorded
from tests.test_panel_coverage import record_pause

DAY = timedelta(hours=24)
PAUSE_AGO = timedelta(hours=6)
PAUSE = timedelta(hours=3)
HISTORY_DAYS = 8        # a week before today gives the failure and spend rules their 7-day baselines
CLIENT_KEYS = ("sk-client-alpha-0001", "sk-client-bravo-0002", "sk-client-charlie-0003", "sk-client-delta-0004")
JSON = {"Content-Type": ["application/json"]}
MODELS = {"codex": "gpt-5.4", "claude": "claude-sonnet-4-5-20250929", "gemini-cli": "gemini-2.5-pro",
          "antigravity": "gemini-3-pro-high", "kimi": "kimi-k2"}
# USD per 1M tokens: input, output, cache read. Round, plausible figures, so budgets and windows show money.
PRICES = {"gpt-5.4": (1.25, 10, 0.125), "claude-sonnet-4-5-20250929": (3, 15, 0.3), "gemini-2.5-pro": (1.25, 10, 0.125),
          "gemini-3-pro-high": (2, 12, 0.2), "kimi-k2": (0.6, 2.5, 0.15)}


@dataclass(frozen=True)
class Account:
    provider: str
    email: str
    used: tuple[float, float] | None    # percent used in the short and the long window; None: a recorded case
    case: str = "normal"                # the recorded case when `used` is None
    requests: int = 30                  # over the last day


ACCOUNTS = (
    Account("codex", "ana@example.com", (23, 41.5), requests=48),
    Account("codex", "ben@example.com", (94, 88), requests=70),
    Account("codex", "chen@example.com", (100, 100), requests=64),
    Account("codex", "dara@example.com", None, "expired", requests=6),
    Account("claude", "eli@example.com", None, "unknown", requests=12),
    Account("claude", "fay@example.com", (91, 76), requests=55),
    Account("claude", "gus@example.com", (100, 97), requests=40),
    Account("gemini-cli", "hana@example.com", (18, 3)),
    Account("gemini-cli", "ivo@example.com", (96, 40)),
    Account("antigravity", "jun@example.com", (40, 0)),
    Account("antigravity", "kai@example.com", (55, 10)),
    Account("kimi", "lea@example.com", (15, 25)),
)
SPIKING = "fay@example.com"    # fails half its requests in the last hour: a failure-spike alert


def iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def codex_body(short: float, long: float, soon: float, later: float, now: float) -> dict[str, Any]:
    full = short >= 100 or long >= 100
    windows = {"primary_window": {"used_percent": short, "limit_window_seconds": 18_000,
                                  "reset_after_seconds": int(soon - now), "reset_at": int(soon)},
               "secondary_window": {"used_percent": long, "limit_window_seconds": 604_800,
                                    "reset_after_seconds": int(later - now), "reset_at": int(later)}}
    return {"plan_type": "plus", "rate_limit": {"allowed": not full, "limit_reached": full, **windows},
            "credits": {"has_credits": False, "unlimited": False, "balance": "0"}, "code_review_rate_limit": None}


def claude_body(short: float, long: float, soon: float, later: float, now: float) -> dict[str, Any]:
    sonnet = {"utilization": round(long * 0.6, 1), "resets_at": iso(later)}
    return {"five_hour": {"utilization": short, "resets_at": iso(soon)},
            "seven_day": {"utilization": long, "resets_at": iso(later)}, "seven_day_oauth_apps": None,
            "seven_day_opus": None, "seven_day_sonnet": sonnet,
            "extra_usage": {"is_enabled": False, "monthly_limit": None, "used_credits": None, "utilization": None}}


def gemini_body(short: float, long: float, soon: float, later: float, now: float) -> dict[str, Any]:
    def bucket(model: str, size: int, used: float) -> dict[str, Any]:
        return {"remainingAmount": str(round(size * (1 - used / 100))), "remainingFraction": 1 - used / 100,
                "resetTime": iso(soon), "tokenType": "REQUESTS", "modelId": model}
    return {"buckets": [bucket("gemini-2.5-pro", 1000, short), bucket("gemini-2.5-flash", 1500, long)]}


def antigravity_body(short: float, long: float, soon: float, later: float, now: float) -> dict[str, Any]:
    def model(name: str, used: float) -> dict[str, Any]:
        return {"displayName": name, "quotaInfo": {"remainingFraction": 1 - used / 100, "resetTime": iso(soon)}}
    return {"models": {"gemini-3-pro-high": model("Gemini 3 Pro (High)", short),
                       "claude-sonnet-4-5": model("Claude Sonnet 4.5", long)}}


def kimi_body(short: float, long: float, soon: float, later: float, now: float) -> dict[str, Any]:
    week_used, window_used = round(2048 * long / 100), round(200 * short / 100)
    return {"user": {"userId": "d3f0c1", "region": "REGION_OVERSEA", "membership": {"level": "LEVEL_INTERMEDIATE"}},
            "usage": {"limit": "2048", "used": str(week_used), "remaining": str(2048 - week_used),
                      "resetTime": iso(later)},
            "limits": [{"window": {"duration": 300, "timeUnit": "TIME_UNIT_MINUTE"},
                        "detail": {"limit": "200", "used": str(window_used), "remaining": str(200 - window_used),
                                   "resetTime": iso(soon)}}]}


# The providers' quota answers (the recorded shapes in tests/fixtures/quota/) with chosen used percents in
# their short and long windows.
QUOTA_BODIES = {"codex": codex_body, "claude": claude_body, "gemini-cli": gemini_body,
                "antigravity": antigravity_body, "kimi": kimi_body}


def scripted(short: float, long: float) -> Callable[[str, str | None], Answer]:
    def answer(provider: str, second: str | None) -> Answer:
        if second is not None:      # claude's profile, gemini's loadCodeAssist: the recorded answers do
            return recorded(provider, second)
        # Windows that reset in the next hours, so the cards count down instead of showing a stale reset.
        now = time.time()
        body = QUOTA_BODIES[provider](short, long, now + 2 * 3600 + 1260, now + 3 * 86_400 + 7200, now)
        return 200, JSON, json.dumps(body)
    return answer


def add_accounts(cpa: CpaDouble) -> dict[str, str]:
    """The accounts into the double; returns email → auth index."""
    cpa.credentials.clear()
    made = {}
    for account in ACCOUNTS:
        made[account.email] = cpa.quota_accounts.add(account.provider, account.email, account.case)
        if account.used is not None:
            cpa.quota_accounts.scripted[made[account.email]] = scripted(*account.used)
    return made


def day_of_usage(made: dict[str, str], now: datetime) -> list[dict[str, Any]]:
    """Each account's requests per day over the last HISTORY_DAYS, none in the paused interval (collection could
    not see it), a few failed, over four client keys, and the spiking account failing half of its last hour."""
    rng = random.Random(7)
    pause_from, pause_to = now - PAUSE_AGO, now - PAUSE_AGO + PAUSE
    records: list[dict[str, Any]] = []
    for account in ACCOUNTS:
        moments = []
        while len(moments) < account.requests * HISTORY_DAYS:
            moment = now - timedelta(seconds=rng.uniform(60, HISTORY_DAYS * DAY.total_seconds()))
            if not pause_from <= moment < pause_to:
                moments.append(moment)
        if account.email == SPIKING:
            moments += [now - timedelta(minutes=2 + 2 * n) for n in range(24)]
        for moment in sorted(moments):
            seq = len(records)
            recent_spike = account.email == SPIKING and now - moment < timedelta(hours=1)
            failed = (recent_spike and seq % 2 == 0) or (not recent_spike and rng.random() < 0.03)
            record = make_record(provider=account.provider, model=MODELS[account.provider], failed=failed,
                                 status_code=429, seq=seq, request_id=f"shot-{seq:05d}", source=account.email,
                                 api_key=CLIENT_KEYS[seq % len(CLIENT_KEYS)], timestamp=moment.replace(microsecond=0))
            record["auth_index"] = made[account.email]
            records.append(record)
    return records


def put_prices(app: App) -> None:
    table = {model: {"input": i, "output": o, "cacheRead": c} for model, (i, o, c) in PRICES.items()}
    assert call("PUT", f"{app.base_url}/v0/management/model-prices", key=KEY,
                json_body={"prices": table}).status == 200


def wait_quota_read(app: App, made: dict[str, str]) -> None:
    def read() -> bool:
        found = call("GET", f"{app.base_url}/quota/latest", key=KEY).json["credentials"]
        return sorted(c["auth_index"] for c in found if c["snapshot"]) == sorted(made.values())
    wait_until(read, 60.0, "every credential's first quota reading")


def make_budget(app: App, period: str, scope: dict[str, str] | None, percent: float) -> None:
    """A budget whose limit puts its real spend at about `percent` % (a round dollar figure)."""
    body: dict[str, Any] = {"period": period, "limitUsd": 1000}
    if scope is not None:
        body["scope"] = scope
    created = call("POST", f"{app.base_url}/budgets", key=KEY, json_body=body)
    assert created.status == 201, created
    budget = created.json["budget"]
    body["limitUsd"] = max(1, math.ceil(budget["spendUsd"] * 100 / percent))
    assert call("PUT", f"{app.base_url}/budgets/{budget['id']}", key=KEY, json_body=body).status == 200


def raise_alerts(app: App, cpa: CpaDouble) -> None:
    """Publishing off at the double, seen by the collector; the paused interval recorded before this; then one
    watch pass, which opens publishing off and the data gap; the failure spike follows on the watch thread."""
    assert call("PUT", f"{cpa.base_url}/v0/management/usage-statistics-enabled", key=KEY,
                json_body={"value": False}).status == 200
    app.controller.restart()    # CPA's health is read every five minutes, and at once when collection restarts
    assert app.collector.wait_for(lambda s: s.health.usage_statistics_enabled is False, 60), "publishing off unseen"
    assert app.watch is not None
    app.watch.tick_once()

    def raised() -> bool:
        kinds = {a["kind"] for a in call("GET", f"{app.base_url}/alerts", key=KEY).json["alerts"]}
        return {"publishing_off", "data_gap", "failure_spike"} <= kinds
    # Spikes are judged once a watched minute, on the watch thread's own 15-second ticks.
    wait_until(raised, 120.0, "publishing off, the data gap and the failure spike in /alerts")


def to_top(page: Page, element: Locator) -> None:
    """Scroll the page so this element is near the top of the window, and the pointer off the sidebar links
    (it rests where the last link was clicked, which would show as hovered)."""
    element.evaluate("(el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 72)")
    page.mouse.move(4, 890)


def shoot(page: Page, out: Path) -> None:
    go_to(page, "Quota", "Quota")
    expect(page.get_by_role("article").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out / "quota.png"))

    go_to(page, "Budgets", "Budgets")
    expect(page.get_by_role("progressbar")).to_have_count(3)
    page.screenshot(path=str(out / "budgets.png"))

    go_to(page, "Alerts", "Alerts")
    expect(page.get_by_role("article", name="CPA is not publishing usage")).to_be_visible()
    page.screenshot(path=str(out / "alerts.png"))

    go_to(page, "Codex inspection", "Codex inspection")
    page.get_by_label("Workers").fill("2")
    page.get_by_role("button", name="Run (dry run)").click()
    codex = sum(a.provider == "codex" for a in ACCOUNTS)
    expect(page.get_by_text(f"{codex} of {codex} checked")).to_be_visible()
    page.wait_for_load_state("networkidle")
    to_top(page, page.get_by_role("heading", name="Run 1"))   # the run and its suggestions, not the settings
    page.screenshot(path=str(out / "inspection.png"))

    go_to(page, "Monitoring", "Request monitoring")
    expect(page.get_by_role("list", name="Intervals not collected")).to_have_count(3)
    page.wait_for_load_state("networkidle")
    to_top(page, page.get_by_role("region", name="Key figures"))   # the charts and their bands in view
    page.screenshot(path=str(out / "monitoring-gap.png"))


def main() -> None:
    out = out_dir(__doc__)
    now = datetime.now(UTC).replace(microsecond=0)
    with CpaDouble(KEY, version="v8.0.47") as cpa:
        made = add_accounts(cpa)
        records = day_of_usage(made, now)
        with app_in_process(cpa) as app:
            put_prices(app)
            cpa.enqueue(*records)
            wait_stored(app.base_url, KEY, len(records), timeout_s=60)
            wait_quota_read(app, made)
            paused_at_s = (now - PAUSE_AGO).timestamp() // 60 * 60
            record_pause(app, paused_at_s, PAUSE.total_seconds())
            make_budget(app, "monthly", None, 46)
            make_budget(app, "weekly", {"kind": "provider", "value": "claude"}, 87)
            make_budget(app, "daily", {"kind": "provider", "value": "codex"}, 31)
            raise_alerts(app, cpa)
            with signed_in(app.base_url, height=900, locale="en-US", timezone_id="UTC") as page:
                shoot(page, out)
    names = ", ".join(f"{n}.png" for n in ("quota", "budgets", "alerts", "inspection", "monitoring-gap"))
    print(f"wrote {names} in {out}")


if __name__ == "__main__":
    main()
