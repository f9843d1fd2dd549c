"""Command line entry point: `cpa-manager` and `python -m cpa_manager_desktop`.

Parses the flags and hands over to the composition root (app.main); nothing else lives here.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from cpa_manager_desktop import __version__, paths
from cpa_manager_desktop.app import EXIT_CONFIG, LaunchOptions
from cpa_manager_desktop.app import main as run_app
from cpa_manager_desktop.config import parse_addr
from cpa_manager_desktop.logs import replace_missing_stdio
from cpa_manager_desktop.memory import limit_malloc_arenas


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_CONFIG, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cpa-manager",
        description="Collects CLIProxyAPI usage into SQLite and serves the management panel.",
    )
    parser.add_argument("--headless", action="store_true", help="run without the tray icon (servers, containers)")
    parser.add_argument("--config", metavar="PATH",
                        help=f"config.json to use (default: $CPA_MANAGER_CONFIG, else {default_config_text()})")
    parser.add_argument("--data-dir", metavar="DIR", help="folder for usage.sqlite (overrides USAGE_DATA_DIR)")
    parser.add_argument("--addr", metavar="HOST:PORT", type=_checked_addr,
                        help="listen address (overrides HTTP_ADDR; default 127.0.0.1:18317)")
    parser.add_argument("--version", action="version", version=f"cpa-manager {__version__}")
    return parser


def default_config_text() -> str:
    """Where config.json is looked for, as paths.choose_base_dirs decides, without touching the disk."""
    user_config = paths.user_dirs().config_dir / paths.CONFIG_FILE_NAME
    if not paths.is_frozen():
        return str(user_config)
    return f"{paths.CONFIG_FILE_NAME} next to the app, or {user_config} when the app's folder is not writable"


def _checked_addr(text: str) -> str:
    try:
        parse_addr(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"invalid address {text!r}: {exc}") from None
    return text


def main(argv: Sequence[str] | None = None) -> int:
    replace_missing_stdio()
    limit_malloc_arenas()
    args = build_parser().parse_args(argv)
    return run_app(LaunchOptions(config_path=args.config, data_dir=args.data_dir, http_addr=args.addr,
                                 want_tray=not args.headless))
