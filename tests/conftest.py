"""Shared fixtures: an isolated environment, real SQLite files, the real server on loopback."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cpa_manager_desktop import paths
from cpa_manager_desktop.config import SETTINGS, Overrides, Settings, load_settings

CPA_KEY = "test-management-key"
APP_ENV_VARS = [s.env for s in SETTINGS if s.env] + ["CPA_MANAGER_CONFIG"]


def wait_until(predicate: Callable[[], object], timeout_s: float = 10.0, message: str = "condition") -> object:
    """Poll an outside process or server until predicate() is truthy; fail with a message on timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {message}")
        time.sleep(0.02)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own config, env or home folders."""
    for name in APP_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    # Never the developer's own keychain: tests that need a credential store install one in memory.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves collector or server threads running."""
    before = {t.ident for t in threading.enumerate()}
    yield
    def leaked() -> list[str]:
        return [t.name for t in threading.enumerate()
                if t.ident not in before and t.is_alive() and t.name in ("collector", "http")]
    deadline = time.monotonic() + 5
    while leaked() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not leaked(), f"threads left running: {leaked()}"


@pytest.fixture
def base_dirs(tmp_path: Path) -> paths.BaseDirs:
    return paths.BaseDirs(config_dir=tmp_path / "app", default_data_dir=tmp_path / "app" / "data", is_portable=True)


@pytest.fixture
def make_settings(tmp_path: Path, base_dirs: paths.BaseDirs) -> Callable[..., Settings]:
    def make(env: dict[str, str] | None = None, **overrides: str) -> Settings:
        values = {"http_addr": "127.0.0.1:0", **overrides}
        return load_settings(Overrides(**values), env=env or {}, base=base_dirs)

    return make


@pytest.fixture
def start_app(make_settings: Callable[..., Settings]) -> Iterator[Callable[..., object]]:
    """Start the real app (Waitress on 127.0.0.1, ephemeral port); every app is stopped at teardown."""
    from cpa_manager_desktop.app import App, build_app

    started: list[App] = []

    def start(env: dict[str, str] | None = None, *, desktop_shell: bool = False, **overrides: str) -> App:
        app = build_app(make_settings(env, **overrides), desktop_shell=desktop_shell)
        started.append(app)
        app.start()
        return app

    yield start
    for app in started:
        app.stop()


@pytest.fixture
def cpa() -> Iterator[object]:
    """A running CPA double with the test Management Key."""
    from tests.cpa_double import CpaDouble

    double = CpaDouble(CPA_KEY).start()
    yield double
    double.stop()


# The browser fixtures (browser, page) live in tests/browser.py, registered here once so every test module
# shares one session-scoped Playwright and Chromium. Imported last: tests.browser uses wait_until from above.
from tests.browser import browser_fixture, page_fixture, playwright_fixture  # noqa: E402, F401
