"""Running the real entry point in a subprocess, as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.client import call


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch(config: Path, port: int, *, env: dict[str, str] | None = None, headless: bool = True,
           drop: tuple[str, ...] = (), stdout: int | None = subprocess.DEVNULL) -> subprocess.Popen:
    """Start `python -m cpa_manager_desktop` with this config on 127.0.0.1:port."""
    environment = {k: v for k, v in os.environ.items() if k not in drop}
    environment.update(env or {})
    args = [sys.executable, "-m", "cpa_manager_desktop", "--config", str(config), "--addr", f"127.0.0.1:{port}"]
    if headless:
        args.insert(3, "--headless")
    return subprocess.Popen(args, env=environment, stdout=stdout, stderr=subprocess.PIPE, text=True)


def healthy(port: int) -> bool:
    try:
        return call("GET", f"http://127.0.0.1:{port}/health").status == 200
    except Exception:
        return False


def log_text(config: Path) -> str:
    log_file = config.parent / "data" / "logs" / "cpa-manager.log"
    return log_file.read_text() if log_file.exists() else ""
