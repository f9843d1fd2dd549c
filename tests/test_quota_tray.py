"""The tray's quota watcher on a real SQLite file and a fake clock: the lowest-quota menu line, and the two
opt-in notifications (a reset; every credential of a provider exhausted), each once, not again after a
restart, never for readings older than the start; the switches over HTTP."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cpa_manager_desktop.app import App, build_app
from cpa_manager_desktop.desktop.loop import DesktopLoop
from cpa_manager_desktop.desktop.menu import build_menu
from cpa_manager_desktop.quota.providers import Credential
from cpa_manager_desktop.quota.reading import CredentialProblem, CredentialState, QuotaReading, Window
from cpa_manager_desktop.quota.snapshot import to_row
from cpa_manager_desktop.service.glance import Glance
from cpa_manager_desktop.service.quota_feed import QuotaFeed
from cpa_manager_desktop.service.quota_glance import QuotaGlance
from cpa_manager_desktop.service.quota_notices import MARKS_KEY, QuotaNotices
from cpa_manager_desktop.service.quota_notify_settings import QuotaNotifySettings
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.quota import QuotaStore
from cpa_manager_desktop.store.settings import SettingsStore
from tests.client import call
from tests.conftest import CPA_KEY, wait_until

T0 = 1_796_000_000
HOUR = 3600
ALICE = Credential("a1b2c3d4e5", "codex-alice.json", "codex", label="alice@example.com")
BOB = Credential("b2c3d4e5f6", "codex-bob.json", "codex", label="bob@example.com")
CAROL = Credential("c3d4e5f6a7", "claude-carol.json", "claude", label="carol@example.com")


def reading(provider: str, five_hour: float, weekly: float = 10.0, *, resets_in_s: int = 2 * HOUR + 600,
            at: int = T0) -> QuotaReading:
    return QuotaReading(provider, "plus", (
        Window("five_hour", five_hour, (at + resets_in_s) * 1000, 18_000),
        Window("weekly", weekly, (at + 5 * 86_400) * 1000, 604_800)))


class Tray:
    """One run of the app, as far as quota in the tray goes: its feed, switches and watcher on the database."""

    def __init__(self, db: Database, started_s: float, credentials: list[Credential]) -> None:
        self.feed = QuotaFeed(QuotaStore(db))
        self.switches = QuotaNotifySettings(SettingsStore(db))
        self.credentials = credentials
        notices = QuotaNotices(self.feed, self.switches, SettingsStore(db), started_s=started_s)
        self.watcher = QuotaGlance(self.feed, notices, lambda: self.credentials)

    def read(self, credential: Credential, at: int, result: QuotaReading | CredentialProblem) -> None:
        """What the quota collector's sink gets for one reading."""
        self.feed.record([to_row(credential.auth_index, credential.provider, at, result)])

    def glance(self, now_s: float) -> Glance:
        return self.watcher.glance(now_s)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "usage.sqlite")
    yield database
    database.close()


def notice_keys(glance: Glance) -> list[str]:
    return [n.key for n in glance.notices]


# ---- the menu line ----

def test_no_line_without_quota_data(db: Database) -> None:
    tray = Tray(db, T0, [ALICE])
    assert tray.glance(T0).lines == ()
    tray.read(ALICE, T0, CredentialProblem(CredentialState.EXPIRED, 401))
    assert tray.glance(T0 + 1).lines == ()


def test_line_names_the_lowest_window_masked_with_its_countdown(db: Database) -> None:
    tray = Tray(db, T0, [ALICE, BOB, CAROL])
    tray.read(ALICE, T0, reading("codex", 40.0, weekly=97.0, at=T0))
    tray.read(BOB, T0, reading("codex", 10.0, at=T0))
    tray.read(CAROL, T0, reading("claude", 60.0, at=T0))
    assert tray.glance(T0).lines == ("Lowest quota: ali***@example.com (codex) 3 % left · resets in 5 d 0 h",)
    # The countdown follows the clock; the line is rebuilt without a new reading.
    assert tray.glance(T0 + 86_400 + 3 * HOUR).lines[0].endswith("resets in 3 d 21 h")
    # A sliver left is not shown as 0 %.
    tray.read(BOB, T0 + 60, reading("codex", 99.5, at=T0 + 60))
    assert tray.glance(T0 + 60).lines == ("Lowest quota: bob***@example.com (codex) <1 % left · resets in 2 h 10 min",)


def test_a_window_past_its_reset_time_is_back_and_a_gone_credential_does_not_count(db: Database) -> None:
    tray = Tray(db, T0, [ALICE, CAROL])
    tray.read(ALICE, T0, reading("codex", 100.0, resets_in_s=600, at=T0))
    tray.read(CAROL, T0, reading("claude", 50.0, at=T0))
    assert tray.glance(T0).lines == ("Lowest quota: ali***@example.com (codex) 0 % left · resets in 10 min",)
    assert tray.glance(T0 + 601).lines == ("Lowest quota: car***@example.com (claude) 50 % left · "
                                           "resets in 1 h 59 min",)
    tray.credentials = [ALICE]  # CPA no longer lists carol (deleted or disabled)
    assert tray.glance(T0 + 602).lines == ("Lowest quota: ali***@example.com (codex) 90 % left · "
                                           "resets in 4 d 23 h",)


def test_the_line_comes_from_memory_not_a_store_scan_each_glance(db: Database) -> None:
    tray = Tray(db, T0, [ALICE])
    tray.read(ALICE, T0, reading("codex", 40.0, at=T0))
    tray.glance(T0)
    scans: list[int] = []
    store_latest = QuotaStore.latest
    QuotaStore.latest = lambda self: scans.append(1) or store_latest(self)  # type: ignore[method-assign]
    try:
        for second in range(30):
            tray.glance(T0 + second)
    finally:
        QuotaStore.latest = store_latest  # type: ignore[method-assign]
    assert scans == []


def test_the_line_in_the_tray_menu_and_a_notice_once_through_the_desktop_loop(
        start_app: Callable[..., App], cpa: object) -> None:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY},  # type: ignore[attr-defined]
                    desktop_shell=True)
    tray = Tray(app.db, T0, [ALICE])
    tray.switches.update(on_provider_exhausted=True)
    tray.read(ALICE, T0, reading("codex", 100.0, at=T0))
    states, notes = [], []
    assert app.desktop is not None
    glances: list[float] = []

    class Counting:
        def glance(self, now_s: float) -> Glance:
            glances.append(now_s)
            return tray.watcher.glance(now_s)

    loop = DesktopLoop(app.desktop, on_state=states.append, notify=lambda t, m: notes.append((t, m)),
                       watchers=[Counting()], refresh_s=0.02, clock=lambda: T0 + 60)
    loop.start()
    try:
        wait_until(lambda: len(glances) >= 5, message="five refreshes")
    finally:
        loop.stop()
    line = "Lowest quota: ali***@example.com (codex) 0 % left · resets in 2 h 9 min"
    assert line in [e.text for e in build_menu(states[-1])]
    assert notes == [("Every codex credential is out of quota",
                      "1 credential out of quota; the first is back in 2 h 9 min")]


# ---- notifications: a reset ----

def test_a_reset_is_notified_once_and_not_again_after_a_restart(db: Database) -> None:
    tray = Tray(db, T0, [ALICE, BOB])
    tray.switches.update(on_reset=True)
    tray.read(ALICE, T0 + 10, reading("codex", 100.0, at=T0 + 10))
    tray.read(BOB, T0 + 10, reading("codex", 50.0, at=T0 + 10))
    assert notice_keys(tray.glance(T0 + 10)) == []
    later = T0 + 3 * HOUR
    tray.read(ALICE, later, reading("codex", 0.0, at=later))
    tray.read(BOB, later, reading("codex", 0.0, at=later))  # a reset too, but of a window half used: no notice
    first = tray.glance(later)
    assert [(n.key, n.title, n.message) for n in first.notices] == [
        (f"quota:reset:{ALICE.auth_index}:{later}", "Quota is back (codex)", "ali***@example.com: 5-hour window reset")]
    assert tray.glance(later + 2).notices == ()
    tray.read(ALICE, later + 900, reading("codex", 0.0, at=later + 900))
    assert tray.glance(later + 900).notices == ()

    restarted = Tray(db, later + 1000, [ALICE, BOB])
    restarted.read(ALICE, later + 1100, reading("codex", 0.0, at=later + 1100))
    assert restarted.glance(later + 1100).notices == ()
    assert restarted.glance(later + 1100).lines  # the restarted run still shows its line


def test_a_reset_in_history_older_than_the_start_is_never_notified(db: Database) -> None:
    before = Tray(db, T0, [ALICE])
    before.read(ALICE, T0, reading("codex", 100.0, at=T0))
    before.read(ALICE, T0 + 3 * HOUR, reading("codex", 0.0, at=T0 + 3 * HOUR))  # never glanced: the app stopped
    start = T0 + 4 * HOUR
    tray = Tray(db, start, [ALICE])
    tray.switches.update(on_reset=True)
    assert tray.glance(start).notices == ()
    # A reading stamped before the start (a collector clock behind ours) is history too.
    tray.read(ALICE, start - 60, reading("codex", 100.0, at=start - 60))
    assert tray.glance(start).notices == ()
    tray.read(ALICE, start + 900, reading("codex", 5.0, at=start + 900))
    assert notice_keys(tray.glance(start + 900)) == [f"quota:reset:{ALICE.auth_index}:{start + 900}"]


def test_many_resets_at_once_make_one_summary_notice(db: Database) -> None:
    people = [Credential(f"idx{n:07d}", f"codex-{n}.json", "codex", label=f"user{n}@example.com") for n in range(5)]
    tray = Tray(db, T0, people)
    tray.switches.update(on_reset=True)
    for person in people:
        tray.read(person, T0, reading("codex", 95.0, at=T0))
    tray.glance(T0)
    for person in people:
        tray.read(person, T0 + 3 * HOUR, reading("codex", 0.0, at=T0 + 3 * HOUR))
    assert [(n.title, n.message) for n in tray.glance(T0 + 3 * HOUR).notices] == [
        ("Quota is back for 5 credentials", "codex: 5")]


# ---- notifications: every credential of a provider exhausted ----

def test_an_exhausted_provider_is_notified_once_per_episode_across_restarts(db: Database) -> None:
    tray = Tray(db, T0, [ALICE, BOB, CAROL])
    tray.switches.update(on_provider_exhausted=True)
    tray.read(ALICE, T0, reading("codex", 100.0, at=T0))
    tray.read(BOB, T0, reading("codex", 60.0, at=T0))
    tray.read(CAROL, T0, reading("claude", 100.0, at=T0))
    assert notice_keys(tray.glance(T0)) == ["quota:exhausted:claude"]
    tray.read(BOB, T0 + 900, reading("codex", 100.0, resets_in_s=HOUR, at=T0 + 900))
    (notice,) = tray.glance(T0 + 900).notices
    assert (notice.key, notice.title, notice.message) == (
        "quota:exhausted:codex", "Every codex credential is out of quota",
        "2 credentials out of quota; the first is back in 1 h 0 min")
    # Still exhausted on the next readings: said once.
    tray.read(ALICE, T0 + 1800, reading("codex", 100.0, at=T0 + 1800))
    tray.read(BOB, T0 + 1800, reading("codex", 100.0, at=T0 + 1800))
    assert tray.glance(T0 + 1800).notices == ()

    # A restart in the middle of the episode: not again.
    restarted = Tray(db, T0 + 2000, [ALICE, BOB, CAROL])
    restarted.read(ALICE, T0 + 2700, reading("codex", 100.0, at=T0 + 2700))
    restarted.read(BOB, T0 + 2700, reading("codex", 100.0, at=T0 + 2700))
    assert restarted.glance(T0 + 2700).notices == ()
    # One credential recovers: the episode ends (no notice for that); exhausted anew: notified again.
    restarted.read(BOB, T0 + 4 * HOUR, reading("codex", 0.0, at=T0 + 4 * HOUR))
    assert restarted.glance(T0 + 4 * HOUR).notices == ()
    restarted.read(BOB, T0 + 5 * HOUR, reading("codex", 100.0, at=T0 + 5 * HOUR))
    assert notice_keys(restarted.glance(T0 + 5 * HOUR)) == ["quota:exhausted:codex"]
    assert SettingsStore(db).get(MARKS_KEY)["exhausted"] == ["claude", "codex"]


def test_a_credential_without_a_reading_or_no_longer_listed_does_not_hold_off_the_notice(db: Database) -> None:
    tray = Tray(db, T0, [ALICE, BOB])
    tray.switches.update(on_provider_exhausted=True)
    tray.read(ALICE, T0, reading("codex", 100.0, at=T0))
    tray.read(BOB, T0, CredentialProblem(CredentialState.EXPIRED, 401))  # no quota to speak of
    assert notice_keys(tray.glance(T0)) == ["quota:exhausted:codex"]


def test_both_switches_are_off_by_default_and_turning_one_on_does_not_replay(db: Database) -> None:
    tray = Tray(db, T0, [ALICE])
    assert (tray.switches.get().on_reset, tray.switches.get().on_provider_exhausted) == (False, False)
    tray.read(ALICE, T0, reading("codex", 100.0, at=T0))
    assert tray.glance(T0).notices == ()
    tray.switches.update(on_provider_exhausted=True, on_reset=True)
    tray.read(ALICE, T0 + 900, reading("codex", 100.0, resets_in_s=2 * HOUR + 600 - 900, at=T0 + 900))
    assert tray.glance(T0 + 900).notices == ()  # the episode began while the switch was off
    tray.read(ALICE, T0 + 3 * HOUR, reading("codex", 0.0, at=T0 + 3 * HOUR))
    assert notice_keys(tray.glance(T0 + 3 * HOUR)) == [f"quota:reset:{ALICE.auth_index}:{T0 + 3 * HOUR}"]


# ---- the switches over HTTP ----

def test_notification_switches_over_http_persist(start_app: Callable[..., App], cpa: object) -> None:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY})  # type: ignore[attr-defined]
    url = f"{app.base_url}/quota/notifications"
    assert call("GET", url, key=CPA_KEY).json == {"on_reset": False, "on_provider_exhausted": False}
    reply = call("PUT", url, key=CPA_KEY, json_body={"on_provider_exhausted": True})
    assert reply.status == 200 and reply.json == {"on_reset": False, "on_provider_exhausted": True}
    assert call("PUT", url, key=CPA_KEY, json_body={"on_reset": "yes"}).status == 400
    assert call("PUT", url, key=CPA_KEY, json_body={}).status == 400
    assert call("GET", url).status == 401
    assert QuotaNotifySettings(SettingsStore(app.db)).get().on_provider_exhausted is True


def test_the_app_feeds_the_collector_s_readings_to_its_tray_watcher(make_settings: Callable[..., object],
                                                                    cpa: object) -> None:
    """build_app's wiring: the quota collector's sink is the feed the tray's watcher reads."""
    accounts = cpa.quota_accounts  # type: ignore[attr-defined]
    index = accounts.add("kimi", "kim.quota@example.com")
    resets = datetime.fromtimestamp(time.time() + 3 * HOUR + 300, UTC).isoformat()
    spent = {"limit": "100", "used": "100", "remaining": "0", "resetTime": resets}
    accounts.scripted[index] = lambda provider, second: (200, {"Content-Type": ["application/json"]},
                                                         json.dumps({"usage": spent}))
    app = build_app(make_settings({"CPA_UPSTREAM_URL": cpa.base_url,  # type: ignore[attr-defined]
                                   "CPA_MANAGEMENT_KEY": CPA_KEY, "USAGE_POLL_INTERVAL_MS": "50"}),
                    pystray=object())  # a tray that is never run: the loop and its watchers exist
    assert app.desktop_loop is not None
    notices: list[str] = []

    def glance() -> tuple[str, ...]:
        found = app.desktop_loop._glance()  # type: ignore[union-attr]
        notices.extend(n.key for n in found.notices)
        return found.lines

    try:
        app.start()
        assert call("PUT", f"{app.base_url}/quota/notifications", key=CPA_KEY,
                    json_body={"on_provider_exhausted": True}).status == 200
        wait_until(lambda: app.controller.collector_status().state == "running", message="the usage collector")
        call("POST", f"{app.base_url}/quota/refresh", key=CPA_KEY, json_body={})  # no wait for its next look
        (line,) = wait_until(glance, message="the quota line")  # type: ignore[misc]
        assert line.startswith("Lowest quota: kim***@example.com (kimi) 0 % left · resets in 3 h")
        glance()
        assert notices == ["quota:exhausted:kimi"]
    finally:
        app.stop()
