"""Start-up time to a working /health and idle memory. Prints figures; asserts nothing.

    python bench/startup.py [--runs 5] [--idle 30] [--binary dist/…/cpa-manager] [--tray]

Without --binary it starts from source (`python -m cpa_manager_desktop`); with it, a frozen build.
--tray starts the desktop shell under a private Xvfb display instead of --headless.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import urllib3

TARGETS = {"source": (1.5, 80.0), "frozen": (2.0, 80.0)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def command(binary: str | None, config: Path, port: int, tray: bool) -> list[str]:
    base = [binary] if binary else [sys.executable, "-m", "cpa_manager_desktop"]
    args = [*base, "--config", str(config), "--addr", f"127.0.0.1:{port}"]
    return args if tray else [*args, "--headless"]


def wait_for_health(pool: urllib3.PoolManager, port: int, process: subprocess.Popen, limit_s: float = 30) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit_s:
        if process.poll() is not None:
            raise SystemExit(f"the app exited with code {process.returncode} before answering")
        try:
            if pool.request("GET", f"http://127.0.0.1:{port}/health", retries=False, timeout=1).status == 200:
                return time.perf_counter()
        except urllib3.exceptions.HTTPError:
            pass
        time.sleep(0.005)  # a benchmark's own polling granularity, not synchronisation in a test
    raise SystemExit("no /health answer within 30 s")


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_run(binary: str | None, tray: bool, env: dict[str, str], idle_s: float) -> tuple[float, float | None]:
    pool = urllib3.PoolManager()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        started = time.perf_counter()
        process = subprocess.Popen(command(binary, Path(tmp) / "config.json", port, tray), env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            ready = wait_for_health(pool, port, process)
            idle = None
            if idle_s:
                time.sleep(idle_s)
                idle = rss_mb(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(20)
    return ready - started, idle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds to idle before reading RSS (0: skip)")
    parser.add_argument("--binary", help="a frozen cpa-manager executable")
    parser.add_argument("--tray", action="store_true", help="desktop mode on a private Xvfb display")
    args = parser.parse_args()
    env = dict(os.environ)
    xvfb = None
    if args.tray:
        if not shutil.which("Xvfb"):
            raise SystemExit("--tray needs Xvfb")
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-nolisten", "tcp"], stdout=subprocess.PIPE, text=True)
        env.update(DISPLAY=f":{xvfb.stdout.readline().strip()}", PYSTRAY_BACKEND="xorg")
    try:
        times, idles = [], []
        for run in range(args.runs):
            elapsed, idle = one_run(args.binary, args.tray, env, args.idle if run == 0 else 0)
            times.append(elapsed)
            if idle is not None:
                idles.append(idle)
    finally:
        if xvfb:
            xvfb.terminate()
    kind = "frozen" if args.binary else "source"
    start_target, rss_target = TARGETS[kind]
    mode = "tray" if args.tray else "headless"
    print(f"build                    {kind} ({mode})")
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"start → /health  median  {statistics.median(times):8.3f} s   (runs: {runs})")
    print(f"                 target  {start_target:8.1f} s")
    if idles:
        print(f"idle RSS after {args.idle:.0f} s      {idles[0]:8.1f} MB  (target {rss_target:.0f} MB)")
    if args.binary:
        folder = Path(args.binary).resolve().parent
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        print(f"bundle folder size       {size / 2**20:8.1f} MB")


if __name__ == "__main__":
    main()
