"""The real entry point in a subprocess: flags, one-line errors, exit codes, clean SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from cpa_manager_desktop import __version__
from tests.conftest import wait_until
from tests.processes import free_port, healthy


def run_cli(*args: str, env: dict[str, str] | None = None, timeout_s: float = 20) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpa_manager_desktop", *args], capture_output=True, text=True,
                          timeout=timeout_s, env={**os.environ, **(env or {})})


def test_version_and_help() -> None:
    version = run_cli("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"cpa-manager {__version__}")
    help_text = run_cli("--help", env={"XDG_CONFIG_HOME": "/nonexistent/xdg"}).stdout
    for flag in ("--headless", "--config PATH", "--data-dir DIR", "--addr HOST:PORT", "--version"):
        assert flag in help_text
    # Run from source, config.json is looked for in the user's config folder, not next to the app.
    assert "/nonexistent/xdg/cpa-manager/config.json" in " ".join(help_text.split())


def test_bad_flag_is_one_line_error() -> None:
    result = run_cli("--bogus")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["cpa-manager: error: unrecognized arguments: --bogus (see --help)"]


def test_bad_addr_flag() -> None:
    result = run_cli("--addr", "nonsense")
    assert result.returncode == 2
    assert "invalid address 'nonsense': expected HOST:PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_env_value_is_one_line_without_traceback(tmp_path: Path) -> None:
    result = run_cli("--headless", "--config", str(tmp_path / "c.json"), env={"USAGE_BATCH_SIZE": "-3"})
    assert result.returncode == 2
    assert "Invalid environment variable USAGE_BATCH_SIZE: must be between 1 and 10000" in result.stderr
    assert "Traceback" not in result.stderr


def test_address_in_use_exits_nonzero_with_a_plain_sentence(tmp_path: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        result = run_cli("--headless", "--config", str(tmp_path / "c.json"), "--addr", f"127.0.0.1:{port}")
    assert result.returncode == 1
    # Logged once: the same sentence twice in the log reads like two failures.
    assert result.stderr.count(f"Port {port} on 127.0.0.1 is already in use by another program") == 1
    assert "--addr HOST:PORT" in result.stderr and "Traceback" not in result.stderr


def test_headless_serves_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cpa_manager_desktop", "--headless", "--config", str(tmp_path / "c.json"),
         "--addr", f"127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: healthy(port), 15, "the server to answer /health")
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert "stopped" in stderr
    assert (tmp_path / "c.json").exists() and (tmp_path / "data" / "usage.sqlite").exists()
    assert (tmp_path / "data" / "logs" / "cpa-manager.log").read_text().count("starting") == 1
