from __future__ import annotations

from cpa_manager_desktop.desktop.menu import Command, TrayState, build_menu, status_line

RUNNING = TrayState(collector_state="running", configured=True, events_today=1234, cost_today_usd=3.2)


def texts(state: TrayState) -> list[str]:
    return [e.text for e in build_menu(state) if not e.separator]


def entry(state: TrayState, command: Command):
    return next(e for e in build_menu(state) if e.command is command)


def test_running_menu() -> None:
    assert texts(RUNNING) == ["Collecting · 1,234 events today · $3.20", "Open panel",
                              "Pause collection (CPA drops usage after ~60 s)", "Restart collection",
                              "Export usage (JSONL)…", "Open data folder", "Start at login", "Quit"]
    assert entry(RUNNING, Command.OPEN_PANEL).default
    assert entry(RUNNING, Command.TOGGLE_AUTOSTART).checked is False


def test_pause_item_follows_the_state_and_shows_how_long() -> None:
    paused = TrayState(collector_state="paused", configured=True, paused_since_ms=0, now_ms=125 * 60_000,
                       events_today=5)
    assert status_line(paused) == "Paused for 2 h 5 min · 5 events today · $0.00"
    assert entry(paused, Command.RESUME).text == "Resume collection"
    assert not entry(paused, Command.RESTART).enabled
    assert not any(e.command is Command.PAUSE for e in build_menu(paused))


def test_error_and_unconfigured_lines() -> None:
    error = TrayState(collector_state="error", configured=True, last_error="CPA rejected the Management Key")
    assert status_line(error) == "Error: CPA rejected the Management Key"
    assert status_line(TrayState()) == "Not set up: open the panel to connect to CPA"
    assert not entry(TrayState(), Command.PAUSE).enabled


def test_export_states_and_autostart_checkbox() -> None:
    busy = TrayState(configured=True, exporting=True, last_export="/tmp/x.jsonl", autostart_enabled=True)
    assert not entry(busy, Command.EXPORT).enabled and entry(busy, Command.EXPORT).text == "Exporting usage…"
    assert entry(busy, Command.OPEN_EXPORT_FOLDER).text == "Open export folder"
    assert entry(busy, Command.TOGGLE_AUTOSTART).checked is True
    assert "some unpriced" in status_line(TrayState(collector_state="running", configured=True, unpriced_today=2))


def test_every_command_is_reachable_from_some_menu() -> None:
    states = [RUNNING, TrayState(collector_state="paused", configured=True), TrayState(last_export="x")]
    reachable = {e.command for s in states for e in build_menu(s) if e.command}
    assert reachable == set(Command)
