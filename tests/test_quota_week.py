"""A simulated week on a fake clock: the quota collector polls the CPA double every ~15 min, the store
keeps a row only on change or hourly, and the app's /quota/history answers the right windows and the
resets in them."""

from __future__ import annotations

import json
import random
from collections.abc import Callable

from cpa_manager_desktop.app import App
from cpa_manager_desktop.quota.schedule import Schedule
from cpa_manager_desktop.quota.worker import QuotaCollector
from cpa_manager_desktop.store.quota import HEARTBEAT_S, QuotaStore
from tests.client import call
from tests.quota_helpers import StepClock, quota_source

T0 = 1_800_000_000  # a Monday in 2027, far from the real clock
DAY, FIVE_H, WEEK = 86_400, 18_000, 604_800
INTERVAL = 900


def codex_at(now: int) -> tuple[int, dict, str]:
    """A busy Codex account: the 5-hour window fills linearly and resets every 5 h; the weekly one fills
    over the week."""
    five_used = (now - T0) % FIVE_H * 100 // FIVE_H
    body = {"plan_type": "plus", "rate_limit": {
        "primary_window": {"used_percent": five_used, "limit_window_seconds": FIVE_H,
                           "reset_at": T0 + ((now - T0) // FIVE_H + 1) * FIVE_H},
        "secondary_window": {"used_percent": (now - T0) * 100 // WEEK, "limit_window_seconds": WEEK,
                             "reset_at": T0 + WEEK}}}
    return 200, {"Content-Type": "application/json"}, json.dumps(body)


def run_week(app: App, cpa, clock: StepClock) -> None:
    source = quota_source(cpa)
    worker = QuotaCollector(QuotaStore(app.db).record, lambda: source, interval_s=INTERVAL, clock=clock,
                            schedule=Schedule(INTERVAL, random.Random(3)))
    while clock.now() < T0 + WEEK:
        clock.advance(worker.tick())


def history(app: App, auth_index: str, start_s: int, end_s: int) -> dict:
    reply = call("GET", f"{app.base_url}/quota/history?auth_index={auth_index}&start={start_s * 1000}"
                        f"&end={end_s * 1000}")
    assert reply.status == 200
    return reply.json


def test_a_week_of_quota(start_app: Callable[..., App], cpa) -> None:
    busy = cpa.quota_accounts.add("codex", "busy@example.com")
    steady = cpa.quota_accounts.add("kimi", "steady@example.com")
    dying = cpa.quota_accounts.add("claude", "dying@example.com")
    clock = StepClock(T0)
    cpa.quota_accounts.scripted[busy] = lambda provider, second: codex_at(int(clock.now()))

    def claude(provider: str, second: str | None) -> tuple[int, dict, str]:
        from tests.cpa_double.quota_upstream import recorded
        case = "expired" if clock.now() >= T0 + 3 * DAY else (second or "normal")
        return recorded("claude", case)

    cpa.quota_accounts.scripted[dying] = claude
    app = start_app()  # not set up: its own quota collector waits, this test drives one on the fake clock
    run_week(app, cpa, clock)

    whole = {i: history(app, i, T0, T0 + WEEK + DAY)["snapshots"] for i in (busy, steady, dying)}
    # Steady: nothing changes, so a row an hour (the first poll at or after the hour), never more.
    gaps = [b["at"] - a["at"] for a, b in zip(whole[steady], whole[steady][1:], strict=False)]
    assert gaps and all(HEARTBEAT_S <= gap < HEARTBEAT_S + 1.1 * INTERVAL for gap in gaps)
    assert 7 * 24 * HEARTBEAT_S / (HEARTBEAT_S + 1.1 * INTERVAL) <= len(whole[steady]) <= 7 * 24 + 1
    # Busy: every poll changes the 5-hour window, so every poll is a row (~4 an hour).
    assert len(whole[busy]) > 7 * 24 * 3
    # Dying: hourly while healthy, one row when it expired, then never polled again.
    states = [s["state"] for s in whole[dying]]
    assert states[-1] == "expired" and states.count("expired") == 1
    assert whole[dying][-1]["at"] - (T0 + 3 * DAY) < 1.1 * INTERVAL + 5
    assert states[:-1] == ["ok"] * (len(states) - 1) and len(states) <= 3 * 24 + 2

    # One day of the busy account: the value in force at the start, then that day's rows, the windows
    # exactly as the provider answered at each row's time, and every 5-hour reset of the day.
    start, end = T0 + 2 * DAY, T0 + 3 * DAY
    day = history(app, busy, start, end)
    snapshots = day["snapshots"]
    assert snapshots[0]["at"] < start <= snapshots[1]["at"] and all(s["at"] < end for s in snapshots)
    for snapshot in snapshots:
        expected = json.loads(codex_at(snapshot["at"])[2])["rate_limit"]
        assert [(w["key"], w["used_percent"], w["resets_at"]) for w in snapshot["windows"]] == [
            ("five_hour", float(expected["primary_window"]["used_percent"]), expected["primary_window"]["reset_at"]),
            ("weekly", float(expected["secondary_window"]["used_percent"]), WEEK + T0)]
    boundaries = [T0 + k * FIVE_H for k in range(1, WEEK // FIVE_H + 1) if start < T0 + k * FIVE_H < end]
    first_after = [min(s["at"] for s in snapshots if s["at"] >= b) for b in boundaries]
    assert len(boundaries) in (4, 5)
    assert day["resets"] == [{"window": "five_hour", "at": at} for at in first_after]
