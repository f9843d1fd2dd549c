"""Desktop shell: every tray action through the functions the menu calls, against the CPA double."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from cpa_manager_desktop.app import App
from cpa_manager_desktop.desktop import icons
from cpa_manager_desktop.desktop.loop import DesktopLoop
from cpa_manager_desktop.desktop.menu import Command, TrayState, build_menu
from cpa_manager_desktop.service.glance import Glance, Notice, Tint
from tests.client import assert_error, call
from tests.conftest import CPA_KEY, wait_until
from tests.cpa_double import CpaDouble, records

GOLDEN = Path(__file__).parent / "golden"


class Recorder:
    def __init__(self) -> None:
        self.urls: list[str] = []
        self.folders: list[Path] = []
        self.notes: list[tuple[str, str]] = []
        self.states: list[TrayState] = []

    def notify(self, title: str, message: str) -> None:
        self.notes.append((title, message))


@pytest.fixture
def desktop(start_app: Callable[..., App], cpa: CpaDouble, tmp_path: Path):
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY, "USAGE_POLL_INTERVAL_MS": "50"},
                    desktop_shell=True)
    recorder = Recorder()
    actions = app.desktop
    assert actions is not None
    downloads = tmp_path / "Downloads"
    actions._downloads = lambda: downloads
    actions._open_url = recorder.urls.append
    actions._open_folder = recorder.folders.append
    actions._notify = recorder.notify
    loop = DesktopLoop(actions, on_state=recorder.states.append, notify=recorder.notify)
    return app, loop, recorder, downloads


def test_pause_stops_pops_and_resume_restarts_them(desktop, cpa: CpaDouble) -> None:
    app, loop, _, _ = desktop
    assert app.collector.wait_for(lambda s: s.state == "running", 10)
    loop.handlers[Command.PAUSE]()
    assert app.collector.status().state == "paused"
    pops = cpa.pop_calls["http"]
    cpa.enqueue(*records.mixed_records(25, seed=50))
    assert not app.collector.wait_for(lambda s: cpa.pop_calls["http"] > pops, 0.5)
    loop.handlers[Command.RESUME]()
    assert app.collector.wait_for(lambda s: s.total_inserted == 25, 10)


def test_restart_reconnects(desktop, cpa: CpaDouble) -> None:
    app, loop, _, _ = desktop

    def health_checks() -> int:
        return sum(1 for r in cpa.recorded() if r.path == "/v0/management/usage-statistics-enabled")

    assert app.collector.wait_for(lambda s: s.state == "running" and health_checks() == 1, 10)
    loop.handlers[Command.RESTART]()
    assert app.collector.wait_for(lambda s: s.state == "running" and health_checks() == 2, 10)


def test_export_writes_the_full_history_and_notifies(desktop, cpa: CpaDouble) -> None:
    app, loop, recorder, downloads = desktop
    cpa.enqueue(*records.mixed_records(1200, seed=51))
    assert app.collector.wait_for(lambda s: s.total_inserted == 1200, 20)
    path = app.desktop.export_usage()
    assert path.parent == downloads and path.name.startswith("cpa-usage-") and path.suffix == ".jsonl"
    lines = path.read_text().splitlines()
    assert len(lines) == 1200 and all(json.loads(line)["format"] == "cpa-manager-event-v2" for line in lines)
    assert recorder.notes == [("Export finished", f"Usage history saved to {path}")]
    assert not list(downloads.glob("*.part"))
    loop.handlers[Command.OPEN_EXPORT_FOLDER]()
    assert recorder.folders == [downloads]


def test_open_panel_and_data_folder(desktop) -> None:
    app, loop, recorder, _ = desktop
    loop.handlers[Command.OPEN_PANEL]()
    loop.handlers[Command.OPEN_DATA_FOLDER]()
    assert recorder.urls == [f"{app.base_url}/management.html"]
    assert recorder.folders == [app.settings.data_dir]


def test_autostart_toggle_reflects_the_real_state(desktop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, loop, _, _ = desktop
    entry = Path(app.desktop.autostart_state().where).expanduser()
    assert app.desktop.autostart_state().is_enabled is False
    loop.handlers[Command.TOGGLE_AUTOSTART]()
    assert app.desktop.autostart_state().is_enabled is True and entry.exists()
    entry.unlink()  # the user removes it elsewhere: the menu must follow the real state
    assert loop.snapshot().autostart_enabled is False


def test_snapshot_counts_todays_events(desktop, cpa: CpaDouble) -> None:
    app, loop, _, _ = desktop
    from datetime import UTC, datetime, timedelta

    moment = datetime.now(UTC) - timedelta(seconds=5)
    if moment.astimezone().date() != datetime.now().astimezone().date():
        pytest.skip("too close to local midnight for a same-day count")
    cpa.enqueue(*(records.make_record(timestamp=moment, seq=i, request_id=f"t{i:05d}") for i in range(30)))
    assert app.collector.wait_for(lambda s: s.total_inserted == 30, 10)
    state = loop.snapshot()
    assert (state.collector_state, state.configured, state.events_today) == ("running", True, 30)


def test_loop_refreshes_the_tray_and_shows_the_alert_once(desktop, cpa: CpaDouble) -> None:
    app, _, recorder, _ = desktop
    loop = DesktopLoop(app.desktop, on_state=recorder.states.append, notify=recorder.notify, watchers=app.watchers)
    cpa.management_key = "rotated-elsewhere"
    assert app.collector.wait_for(lambda s: s.state == "error", 10)
    assert app.watch is not None
    app.watch.tick_once()
    loop.start()
    try:
        wait_until(lambda: any(s.tint == Tint.ALERT for s in recorder.states), 5, "the alert tint")
        loop.post(Command.PAUSE)
        assert app.collector.wait_for(lambda s: s.state == "paused", 5)
    finally:
        loop.stop()
    assert any(s.collector_state == "error" for s in recorder.states)
    assert [t for t, _ in recorder.notes] == ["Usage collection stopped"]


def test_a_tray_that_cannot_draw_does_not_stop_commands(desktop) -> None:
    app, _, recorder, _ = desktop
    draws: list[TrayState] = []

    def broken_draw(state: TrayState) -> None:
        draws.append(state)
        raise OSError("the tray went away")

    loop = DesktopLoop(app.desktop, on_state=broken_draw, notify=recorder.notify)
    loop.start()
    try:
        loop.post(Command.PAUSE)
        assert app.collector.wait_for(lambda s: s.state == "paused", 5)
        loop.post(Command.OPEN_PANEL)
        wait_until(lambda: recorder.urls, 5, "the panel to be opened")
    finally:
        loop.stop()
    assert draws, "the loop never tried to draw"
    assert recorder.urls == [app.desktop.panel_url]


def test_desktop_routes_call_the_same_actions(desktop) -> None:
    app, _, _, downloads = desktop
    auto = call("GET", f"{app.base_url}/desktop/autostart", key=CPA_KEY).json
    assert auto["available"] is True and auto["enabled"] is False
    assert call("PUT", f"{app.base_url}/desktop/autostart", key=CPA_KEY, json_body={"enabled": True}).json["enabled"]
    assert_error(call("PUT", f"{app.base_url}/desktop/autostart", key=CPA_KEY, json_body={"enabled": "yes"}), 400,
                 "expected")
    exported = call("POST", f"{app.base_url}/desktop/export", key=CPA_KEY).json
    assert Path(exported["path"]).parent == downloads
    assert_error(call("POST", f"{app.base_url}/desktop/quit"), 401, "invalid management key")
    assert call("POST", f"{app.base_url}/desktop/quit", key=CPA_KEY).status == 202
    assert app.quit_requested.is_set()


@pytest.mark.parametrize("state", icons.STATES)
def test_icon_for_each_state_matches_its_reference(state: str) -> None:
    rendered = icons.render(state, 64)
    with Image.open(GOLDEN / f"icon-{state}-64.png") as reference:
        difference = ImageChops.difference(rendered, reference.convert("RGBA"))
    assert max(ImageStat.Stat(difference).mean) < 2.0


def test_states_differ_without_colour() -> None:
    gray = {s: icons.render(s, 64).convert("L") for s in icons.STATES}
    for a, b in (("normal", "paused"), ("normal", "error"), ("paused", "error")):
        assert ImageStat.Stat(ImageChops.difference(gray[a], gray[b])).mean[0] > 3.0, (a, b)


def test_loop_stop_before_start_is_harmless(desktop) -> None:
    # The tray can fail before it is ready; shutdown then stops a loop that never started.
    _, loop, _, _ = desktop
    loop.stop()
    loop.stop()


def test_stop_runs_tray_then_server_then_watch_then_collector_then_store(start_app) -> None:
    app = start_app()
    calls: list[str] = []
    tray_stopped = threading.Event()

    class Tray:
        def stop(self) -> None:
            calls.append("tray")
            tray_stopped.set()

    server_stop, collector_stop, db_close = app.server.stop, app.collector.stop, app.db.close
    assert app.watch is not None
    watch_stop = app.watch.stop

    def stop_watch(timeout_s: float) -> bool:
        calls.append("watch")
        return watch_stop(timeout_s=timeout_s)

    def stop_server() -> None:
        assert tray_stopped.wait(5), "the tray was not asked to stop first"
        calls.append("server")
        server_stop()

    def stop_collector(timeout_s: float) -> bool:
        calls.append("collector")
        return collector_stop(timeout_s=timeout_s)

    def close_store() -> None:
        calls.append("store")
        db_close()

    app.tray = Tray()  # type: ignore[assignment]
    app.server.stop, app.collector.stop, app.db.close = stop_server, stop_collector, close_store  # type: ignore[method-assign]
    app.watch.stop = stop_watch  # type: ignore[method-assign]
    app.stop()
    assert calls == ["tray", "server", "watch", "collector", "store"]


def test_watchers_add_lines_tint_and_each_notice_once(desktop) -> None:
    app, _, recorder, _ = desktop
    pending = [Notice("budget:daily:80", "Daily budget at 80 %", "$8.00 of $10.00 spent today")]
    glances: list[float] = []

    class Budget:
        def glance(self, now_s: float) -> Glance:
            glances.append(now_s)
            raised, pending[:] = tuple(pending), []
            return Glance(("Budget: $8.00 of $10.00 today",), Tint.WARNING, raised)

    class Broken:
        def glance(self, now_s: float) -> Glance:
            raise RuntimeError("a watcher bug")

    loop = DesktopLoop(app.desktop, on_state=recorder.states.append, notify=recorder.notify,
                       watchers=(Broken(), Budget()), refresh_s=0.02)
    loop.start()
    try:
        wait_until(lambda: len(glances) >= 5, 10, "five refreshes")
    finally:
        loop.stop()
    state = recorder.states[-1]
    assert state.glance_lines == ("Budget: $8.00 of $10.00 today",)
    assert state.tint == Tint.WARNING
    assert icons.state_for(state.collector_state, state.tint) == icons.WARNING
    assert "Budget: $8.00 of $10.00 today" in [e.text for e in build_menu(state)]
    assert recorder.notes.count(("Daily budget at 80 %", "$8.00 of $10.00 spent today")) == 1
