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
from typing import NoReturn

from cpa_manager_desktop import __version__
from cpa_manager_desktop.config import Overrides, load_settings, parse_addr
from cpa_manager_desktop.errors import AppError
from cpa_manager_desktop.logs import install_excepthooks, replace_missing_stdio, setup_logging

log = logging.getLogger("cpa_manager_desktop")
EXIT_CONFIG = 2
EXIT_START = 1
SHUTDOWN_WATCHDOG_S = 20.0


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
    args = build_parser().parse_args(argv)
    setup_logging(None)
    try:
        settings = load_settings(Overrides(config_path=args.config, data_dir=args.data_dir, http_addr=args.addr))
    except AppError as exc:
        return _fail(exc.message, EXIT_CONFIG)
    log_file = setup_logging(settings.log_dir, settings.log_level)
    install_excepthooks()
    log.info("cpa-manager %s starting pid=%d", __version__, os.getpid())
    log.info("paths config=%s database=%s logs=%s portable=%s",
             settings.config_path, settings.db_path, log_file or "(stderr only)", settings.is_portable)
    for warning in settings.warnings:
        log.warning("%s", warning)
    if not args.headless:
        log.info("the tray icon is not part of this build yet; running headless")
    return run_headless(settings)


def run_headless(settings) -> int:  # type: ignore[no-untyped-def]
    from cpa_manager_desktop.app import build_app

    try:
        app = build_app(settings)
    except AppError as exc:
        return _fail(exc.message, EXIT_START)
    quit_event = threading.Event()
    _install_signal_handlers(quit_event)
    try:
        app.start()
    except AppError as exc:
        app.stop()
        return _fail(exc.message, EXIT_START)
    quit_event.wait()
    log.info("shutting down")
    _start_watchdog()
    app.stop()
    log.info("stopped")
    return 0


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
