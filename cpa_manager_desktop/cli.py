"""Command line entry point: `cpa-manager` and `python -m cpa_manager_desktop`.

Startup order: arguments, stdio, settings, logging, store, bind, serve, collect, then wait for a quit
signal. Every failure before serving ends with one plain line and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from cpa_manager_desktop import __version__, paths
from cpa_manager_desktop.config import Overrides, Settings, load_settings, parse_addr
from cpa_manager_desktop.desktop import system
from cpa_manager_desktop.desktop.actions import DesktopLoop
from cpa_manager_desktop.desktop.menu import TrayState
from cpa_manager_desktop.desktop.tray import TrayIcon, TrayUnavailable, load_pystray
from cpa_manager_desktop.errors import AppError
from cpa_manager_desktop.instance import InstanceLock
from cpa_manager_desktop.logs import install_excepthooks, replace_missing_stdio, setup_logging
from cpa_manager_desktop.memory import limit_malloc_arenas

if TYPE_CHECKING:
    from cpa_manager_desktop.app import App

log = logging.getLogger("cpa_manager_desktop")
EXIT_CONFIG = 2
EXIT_START = 1
SHUTDOWN_WATCHDOG_S = 20.0
TRAY_STOP_GRACE_S = 3.0
STARTUP_ERROR_SHOWN_S = 600.0
# The owner may be between taking the lock and answering /health (it is starting right now).
HAND_OVER_WAIT_S = 5.0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_CONFIG, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cpa-manager",
        description="Collects CLIProxyAPI usage into SQLite and serves the management panel.",
    )
    parser.add_argument("--headless", action="store_true", help="run without the tray icon (servers, containers)")
    parser.add_argument("--config", metavar="PATH", help="config.json to use (default: next to the app)")
    parser.add_argument("--data-dir", metavar="DIR", help="folder for usage.sqlite (overrides USAGE_DATA_DIR)")
    parser.add_argument("--addr", metavar="HOST:PORT", type=_checked_addr,
                        help="listen address (overrides HTTP_ADDR; default 127.0.0.1:18317)")
    parser.add_argument("--version", action="version", version=f"cpa-manager {__version__}")
    return parser


def _checked_addr(text: str) -> str:
    try:
        parse_addr(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"invalid address {text!r}: {exc}") from None
    return text


def _fail(message: str, code: int) -> int:
    log.error("%s", message)
    if not logging.getLogger().handlers and sys.stderr is not None:
        sys.stderr.write(f"cpa-manager: {message}\n")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    replace_missing_stdio()
    limit_malloc_arenas()
    args = build_parser().parse_args(argv)
    setup_logging(None)
    try:
        settings = load_settings(Overrides(config_path=args.config, data_dir=args.data_dir, http_addr=args.addr))
        paths.make_private_dir(settings.data_dir)
    except AppError as exc:
        return _fail(exc.message, EXIT_CONFIG)
    except OSError as exc:
        return _fail(f"Cannot create the data folder: {exc.strerror or exc}", EXIT_CONFIG)
    log_file = setup_logging(settings.log_dir, settings.log_level)
    install_excepthooks()
    log.info("cpa-manager %s starting pid=%d", __version__, os.getpid())
    log.info("paths config=%s database=%s logs=%s portable=%s",
             settings.config_path, settings.db_path, log_file or "(stderr only)", settings.is_portable)
    for warning in settings.warnings:
        log.warning("%s", warning)
    lock = InstanceLock(settings.data_dir)
    if not lock.acquire():
        return _hand_over(lock, open_browser=not args.headless)
    try:
        return run(settings, lock, want_tray=not args.headless)
    finally:
        lock.release()


def _hand_over(lock: InstanceLock, *, open_browser: bool) -> int:
    """Another process owns this data folder: show its panel instead of starting a second collector."""
    url = lock.running_url(wait_s=HAND_OVER_WAIT_S)
    if url is None:
        return _fail("Another CPA Manager process holds this data folder but does not answer; "
                     "stop it or use another --data-dir", EXIT_START)
    log.info("already running at %s; not starting a second instance", url)
    if open_browser:
        system.open_url(f"{url}/management.html")
    return 0


def run(settings: Settings, lock: InstanceLock, *, want_tray: bool) -> int:
    from cpa_manager_desktop.app import build_app

    pystray = _load_tray() if want_tray else None
    try:
        app = build_app(settings, desktop_shell=pystray is not None)
    except AppError as exc:
        return _fail(exc.message, EXIT_START)
    _install_signal_handlers(app.quit_requested)
    try:
        app.start()
    except AppError as exc:
        app.stop()
        log.error("%s", exc.message)
        if pystray is not None:
            _show_startup_error(pystray, exc.message, app.quit_requested)
        return _fail(exc.message, EXIT_START)
    lock.publish(app.base_url)
    if pystray is not None:
        _run_tray(app, pystray)
    # A timeout, because an untimed wait cannot be interrupted by Ctrl+C on Windows (cpython #80116).
    while not app.quit_requested.wait(0.5):
        pass
    log.info("shutting down")
    _start_watchdog()
    app.stop()
    log.info("stopped")
    return 0


def _load_tray() -> object | None:
    try:
        return load_pystray()
    except TrayUnavailable as exc:
        log.info("no tray icon (%s); running headless", exc)
        return None


def _run_tray(app: App, pystray: object) -> None:
    """The tray owns the main thread until Quit; a tray that dies early leaves the app running headless."""
    assert app.desktop is not None
    tray = TrayIcon(pystray, post=lambda command: loop.post(command))
    loop = DesktopLoop(app.desktop, on_state=tray.show, notify=tray.notify)
    tray_returned = threading.Event()

    def stop_tray_on_quit() -> None:
        app.quit_requested.wait()
        # Stop popping first: whatever the tray does next, no record is taken from CPA after Quit.
        app.collector.stop(timeout_s=15.0)
        # icon.stop() from another thread sometimes never returns on xorg (pystray #94/#143), so it gets
        # its own thread, and Quit finishes without the tray if its loop does not end soon.
        threading.Thread(target=tray.stop, name="tray-stop", daemon=True).start()
        if tray_returned.wait(TRAY_STOP_GRACE_S):
            return
        log.warning("the tray loop did not end within %.0f s; shutting down without it", TRAY_STOP_GRACE_S)
        _start_watchdog()
        loop.stop()
        app.stop()
        log.info("stopped")
        logging.shutdown()
        os._exit(0)

    threading.Thread(target=stop_tray_on_quit, name="tray-quit", daemon=True).start()
    tray.run(on_ready=loop.start)
    tray_returned.set()
    loop.stop()
    if not app.quit_requested.is_set():
        log.warning("the tray icon ended unexpectedly; still running headless at %s", app.base_url)


def _show_startup_error(pystray: object, message: str, quit_requested: threading.Event) -> None:
    """A double-clicked app has no console: show why it cannot start in the tray until the user quits.
    Any item (or a click, where the tray has no menu) quits, as does a quit signal."""
    state = TrayState(collector_state="error", configured=True, last_error=f"{message} Click to quit.")
    tray = TrayIcon(pystray, post=lambda _command: quit_requested.set())
    tray_returned = threading.Event()

    def ready() -> None:
        tray.show(state)
        tray.notify("CPA Manager cannot start", message)

    def stop_on_quit() -> None:
        quit_requested.wait(STARTUP_ERROR_SHOWN_S)
        threading.Thread(target=tray.stop, name="tray-stop", daemon=True).start()
        if not tray_returned.wait(TRAY_STOP_GRACE_S):
            logging.shutdown()
            os._exit(EXIT_START)

    threading.Thread(target=stop_on_quit, name="tray-quit", daemon=True).start()
    tray.run(on_ready=ready)
    tray_returned.set()


def _install_signal_handlers(quit_event: threading.Event) -> None:
    def request_quit(signum: int, _frame: object) -> None:
        log.info("signal %s received", signal.Signals(signum).name)
        quit_event.set()

    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"):
        sig = getattr(signal, name, None)
        if sig is not None:
            signal.signal(sig, request_quit)


def _start_watchdog() -> None:
    """Exit anyway if an orderly shutdown hangs (a stuck socket, a wedged thread)."""

    def bite() -> None:
        log.error("shutdown took longer than %.0f s; exiting", SHUTDOWN_WATCHDOG_S)
        logging.shutdown()
        os._exit(EXIT_START)

    timer = threading.Timer(SHUTDOWN_WATCHDOG_S, bite)
    timer.daemon = True
    timer.start()
