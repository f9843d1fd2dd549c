"""Smoke-test a release archive: extract it, run the frozen binary against a CPA double, check it works.

    python build_scripts/smoke_test.py dist/cpa-manager_<version>_<os>_<arch>.tar.gz [--tray] [--keep]

Checks, each printed as PASS/FAIL (exit 1 on the first failure):
  layout       one top-level folder named after the archive, holding an executable binary
  health       `<binary> --headless --addr 127.0.0.1:<free port>` answers GET /health
  panel        GET /management.html is byte-identical to assets/management.html in this repo
  collect      the 500 records queued on the CPA double reach the database (/status events == 500)
  portable     config.json and data/usage.sqlite were created in the extracted folder (beside the .app on macOS)
  log          the log file exists and holds no ERROR/CRITICAL line or traceback
  sigterm      SIGTERM ends it with exit code 0 within 10 s (Windows: Ctrl+Break to cpa-manager-console.exe)
  windowed     Windows only: the windowed cpa-manager.exe starts and serves the panel (then is killed: a
               windowed process has no console to receive Ctrl+Break)
  tray         with --tray: started without --headless on a display (Linux: $DISPLAY or a private Xvfb), the
               bundled pystray backend loads; then SIGTERM exits 0 within 10 s

Needs the repo checkout (for tests/cpa_double and assets/management.html); the frozen binary needs nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

KEY = "key"
EVENTS = 500
START_DEADLINE_S = 60.0
COLLECT_DEADLINE_S = 90.0
EXIT_DEADLINE_S = 10.0
TRAY_DEADLINE_S = 30.0
TRAY_EXIT_DEADLINE_S = 20.0  # xorg's icon.stop() can take seconds (pystray #94/#143)
IS_WIN = sys.platform == "win32"
# Settings the app reads from the environment: none may leak in from the caller's shell.
APP_ENV_PREFIXES = ("CPA_", "USAGE_", "HTTP_ADDR", "PANEL_PATH", "LITELLM_", "PYSTRAY_BACKEND")
HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an http_proxy


class CheckFailed(Exception):
    pass


def passed(name: str, detail: str = "") -> None:
    print(f"PASS  {name:<9} {detail}".rstrip(), flush=True)


def failed(name: str, detail: str) -> CheckFailed:
    return CheckFailed(f"FAIL  {name:<9} {detail}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, *, key: str | None = None, timeout: float = 5.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"} if key else {})
    try:
        with HTTP.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def poll(predicate: Callable[[], Any], deadline_s: float, what: str, process: subprocess.Popen | None = None) -> Any:
    """Poll an outside process until predicate() is truthy; fails on its exit or on the deadline."""
    deadline = time.monotonic() + deadline_s
    while True:
        if process is not None and process.poll() is not None:
            raise CheckFailed(f"the app exited with code {process.returncode} while waiting for {what}")
        try:
            value = predicate()
        except (OSError, urllib.error.URLError, ValueError):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise CheckFailed(f"timed out after {deadline_s:.0f} s waiting for {what}")
        time.sleep(0.05)


# ---- extraction and layout --------------------------------------------------------------------------------


def extract(archive: Path, into: Path) -> Path:
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(into)
            for info in zipped.infolist():  # zipfile drops Unix modes; put the execute bits back
                mode = info.external_attr >> 16
                if not IS_WIN and mode & 0o111 and not info.is_dir():
                    os.chmod(into / info.filename, mode & 0o777)
    else:
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "tar_filter"):
                tar.extractall(into, filter="tar")  # keeps modes and in-bundle symlinks, refuses absolute paths
            else:
                tar.extractall(into)  # our own archive; Python < 3.11.4 has no filters
    tops = list(into.iterdir())
    stem = archive.name.removesuffix(".tar.gz").removesuffix(".zip")
    if len(tops) != 1 or tops[0].name != stem or not tops[0].is_dir():
        raise failed("layout", f"expected one top-level folder {stem}/, found {[p.name for p in tops]}")
    return tops[0]


def find_binaries(top: Path) -> tuple[Path, Path | None]:
    """(binary to drive, windowed Windows binary or None)."""
    if IS_WIN:
        console, windowed = top / "cpa-manager-console.exe", top / "cpa-manager.exe"
        for path in (console, windowed):
            if not path.is_file():
                raise failed("layout", f"missing {path.name}")
        return console, windowed
    apps = sorted(top.glob("*.app"))
    binary = apps[0] / "Contents" / "MacOS" / "cpa-manager" if apps else top / "cpa-manager"
    if not binary.is_file():
        raise failed("layout", f"no executable at {binary.relative_to(top.parent)}")
    if not os.access(binary, os.X_OK):
        raise failed("layout", f"{binary.name} is not executable (mode {binary.stat().st_mode & 0o777:o})")
    return binary, None


# ---- running the binary ---------------------------------------------------------------------------------------


class Running:
    """One launch of the frozen binary, with its output in files (no pipes to fill up)."""

    def __init__(self, binary: Path, args: list[str], env: dict[str, str], logs: Path, label: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.out_path = logs / f"{label}.stdout"
        self.err_path = logs / f"{label}.stderr"
        flags = subprocess.CREATE_NEW_PROCESS_GROUP if IS_WIN else 0
        with self.out_path.open("wb") as out, self.err_path.open("wb") as err:
            self.process = subprocess.Popen([str(binary), *args, "--addr", f"127.0.0.1:{self.port}"], env=env,
                                            stdin=subprocess.DEVNULL, stdout=out, stderr=err, creationflags=flags)
        self.started = time.monotonic()

    def wait_healthy(self) -> float:
        def healthy() -> bool:
            status, body = http_get(f"{self.base}/health", timeout=2)
            return status == 200 and json.loads(body).get("ok") is True

        poll(healthy, START_DEADLINE_S, "/health", self.process)
        return time.monotonic() - self.started

    def graceful_stop(self, deadline_s: float = EXIT_DEADLINE_S) -> tuple[int | None, float]:
        started = time.monotonic()
        self.process.send_signal(signal.CTRL_BREAK_EVENT if IS_WIN else signal.SIGTERM)  # type: ignore[attr-defined]
        try:
            code = self.process.wait(deadline_s)
        except subprocess.TimeoutExpired:
            code = None
        return code, time.monotonic() - started

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(10)

    def output_tail(self, lines: int = 30) -> str:
        parts = []
        for path in (self.out_path, self.err_path):
            text = path.read_text(errors="replace") if path.exists() else ""
            if text.strip():
                parts.append(f"--- {path.name} (last {lines} lines)\n" + "\n".join(text.splitlines()[-lines:]))
        return "\n".join(parts)


def app_env(upstream: str, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(APP_ENV_PREFIXES)}
    env.update(CPA_UPSTREAM_URL=upstream, CPA_MANAGEMENT_KEY=KEY, CPA_MANAGER_LOG_LEVEL="info")
    if not IS_WIN:  # should portable mode fail, the fallback lands in a throwaway home, not the user's
        env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
                   XDG_STATE_HOME=str(home / ".local/state"), XDG_CACHE_HOME=str(home / ".cache"))
    return env


def log_problems(log_file: Path) -> list[str]:
    bad = (" ERROR ", " CRITICAL ", "Traceback (most recent call last)")
    return [line for line in log_file.read_text(errors="replace").splitlines() if any(b in line for b in bad)]


def start_display() -> tuple[dict[str, str], list[subprocess.Popen]]:
    """A display for the tray check: the caller's, or a private Xvfb (with trayer, when installed) on Linux."""
    if not sys.platform.startswith("linux") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return {}, []
    if not shutil.which("Xvfb"):
        raise failed("tray", "no DISPLAY and no Xvfb to start one (run under xvfb-run or install xvfb)")
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    started = [xvfb]
    number = xvfb.stdout.readline().strip() if xvfb.stdout else ""
    if not number:
        xvfb.kill()
        raise failed("tray", "Xvfb did not report a display number")
    display = f":{number}"
    if shutil.which("trayer"):  # a system tray on the display, so the xorg icon really docks
        started.append(subprocess.Popen(["trayer", "--edge", "top", "--SetDockType", "false"],
                                        env={**os.environ, "DISPLAY": display}, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL))
        try:
            poll(lambda: tray_manager_running(display), 20, "trayer to own the system tray")
        except CheckFailed as exc:
            stop_all(started)
            raise failed("tray", str(exc)) from None
    return {"DISPLAY": display}, started


def tray_manager_running(display: str) -> bool:
    from Xlib import X
    from Xlib.display import Display
    from Xlib.error import DisplayError

    try:
        connection = Display(display)
    except DisplayError:
        return False
    try:
        return connection.get_selection_owner(connection.intern_atom("_NET_SYSTEM_TRAY_S0")) != X.NONE
    finally:
        connection.close()


def stop_all(processes: list[subprocess.Popen]) -> None:
    for process in reversed(processes):
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


# ---- the checks -------------------------------------------------------------------------------------------


def smoke(archive: Path, work: Path, tray: bool) -> None:
    from tests.cpa_double import CpaDouble, records

    top = extract(archive, work / "extracted")
    binary, windowed = find_binaries(top)
    files = sum(1 for p in top.rglob("*") if p.is_file())
    passed("layout", f"{top.name}/ with {binary.relative_to(top)} ({files} files)")

    logs = work / "output"
    logs.mkdir()
    double = CpaDouble(KEY).start()
    running: list[Running] = []
    helpers: list[subprocess.Popen] = []
    try:
        double.enqueue(*records.mixed_records(EVENTS, seed=1))
        env = app_env(double.base_url, work / "home")
        app = Running(binary, ["--headless"], env, logs, "headless")
        running.append(app)
        try:
            _headless_checks(app, top, double)
        except CheckFailed as exc:
            raise CheckFailed(f"{exc}\n{app.output_tail()}") from None

        if windowed is not None:
            _windowed_check(windowed, env, logs, running)
        if tray:
            display, helpers = start_display()
            _tray_check(binary, {**env, **display}, logs, top, running)
    finally:
        for launched in running:
            launched.kill()
        double.stop()
        stop_all(helpers)


def _headless_checks(app: Running, top: Path, double: Any) -> None:
    try:
        seconds = app.wait_healthy()
    except CheckFailed as exc:
        raise failed("health", str(exc)) from None
    passed("health", f"{app.base}/health answered {seconds:.2f} s after launch")

    status, body = http_get(f"{app.base}/management.html")
    expected = (REPO / "assets" / "management.html").read_bytes()
    if status != 200 or body != expected:
        raise failed("panel", f"HTTP {status}, {len(body)} bytes; expected the {len(expected)} bytes of "
                              "assets/management.html")
    passed("panel", f"/management.html is assets/management.html ({len(body):,} bytes)")

    def collected() -> dict[str, Any] | None:
        code, raw = http_get(f"{app.base}/status", key=KEY)
        payload = json.loads(raw) if code == 200 else {}
        return payload if payload.get("events") == EVENTS else None

    started = time.monotonic()
    try:
        status_payload = poll(collected, COLLECT_DEADLINE_S, f"/status events == {EVENTS}", app.process)
    except CheckFailed as exc:
        code, raw = http_get(f"{app.base}/status", key=KEY)
        raise failed("collect", f"{exc}; last /status: HTTP {code} {raw[:400]!r}") from None
    if double.queue_length() != 0:
        raise failed("collect", f"{double.queue_length()} records still queued on the CPA double")
    passed("collect", f"{EVENTS} events in the database after {time.monotonic() - started:.2f} s")

    config, database = top / "config.json", top / "data" / "usage.sqlite"
    missing = [p.relative_to(top.parent).as_posix() for p in (config, database) if not p.is_file()]
    paths = status_payload.get("paths", {})
    if missing or not paths.get("portable") or Path(paths.get("config", "")).resolve() != config.resolve():
        raise failed("portable", f"missing {missing}; /status paths = {paths}")
    passed("portable", f"config.json and data/usage.sqlite in {top.name}/")

    log_file = Path(paths.get("logs", top / "logs")) / "cpa-manager.log"
    if not log_file.is_file():
        raise failed("log", f"no log file at {log_file}")
    problems = log_problems(log_file)
    if problems:
        raise failed("log", f"{len(problems)} error line(s) in {log_file.name}:\n  " + "\n  ".join(problems[:10]))
    passed("log", f"{log_file.relative_to(top.parent).as_posix()} has no errors")

    code, seconds = app.graceful_stop()
    how = "Ctrl+Break" if IS_WIN else "SIGTERM"
    if code != 0:
        raise failed("sigterm", f"after {how}: exit code {code} within {EXIT_DEADLINE_S:.0f} s (None = still running)")
    passed("sigterm", f"{how} → exit 0 in {seconds:.2f} s")


def _windowed_check(windowed: Path, env: dict[str, str], logs: Path, running: list[Running]) -> None:
    app = Running(windowed, ["--headless"], env, logs, "windowed")
    running.append(app)
    try:
        seconds = app.wait_healthy()
    except CheckFailed as exc:
        raise failed("windowed", str(exc)) from None
    status, body = http_get(f"{app.base}/management.html")
    if status != 200 or body != (REPO / "assets" / "management.html").read_bytes():
        raise failed("windowed", f"/management.html answered HTTP {status}")
    app.kill()
    passed("windowed", f"{windowed.name} served /health in {seconds:.2f} s and the panel (then killed)")


def _tray_check(binary: Path, env: dict[str, str], logs: Path, top: Path, running: list[Running]) -> None:
    log_file = top / "logs" / "cpa-manager.log"
    offset = log_file.stat().st_size if log_file.exists() else 0
    app = Running(binary, [], env, logs, "tray")
    running.append(app)

    def tray_line() -> str | None:
        text = log_file.read_text(errors="replace")[offset:] if log_file.exists() else ""
        for line in text.splitlines():
            if "tray backend=" in line or "no tray icon" in line:
                return line
        return None

    try:
        app.wait_healthy()
        line = poll(tray_line, TRAY_DEADLINE_S, "the tray backend line in the log", app.process)
    except CheckFailed as exc:
        raise failed("tray", f"{exc}\n{app.output_tail()}") from None
    if "no tray icon" in line:
        raise failed("tray", f"the tray did not load: {line.split(': ', 1)[-1]}")
    backend = line.split("tray backend=", 1)[1]
    note = ""
    if backend.startswith("pystray._xorg"):
        undocked = "Failed to dock icon" in log_file.read_text(errors="replace")[offset:]
        note = ", icon not docked (no system tray on this display)" if undocked else ", icon docked"
    code, seconds = app.graceful_stop(TRAY_EXIT_DEADLINE_S)
    if code != 0:
        raise failed("tray", f"backend {backend}, but SIGTERM gave exit code {code} within "
                             f"{TRAY_EXIT_DEADLINE_S:.0f} s (None = still running)")
    passed("tray", f"backend={backend}{note}; SIGTERM → exit 0 in {seconds:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--tray", action="store_true",
                        help="also start the tray (Linux: on $DISPLAY or a private Xvfb)")
    parser.add_argument("--keep", action="store_true", help="keep the extracted folder and print where it is")
    args = parser.parse_args(argv)
    archive = args.archive.resolve()
    if not archive.is_file():
        print(f"FAIL  no archive at {archive}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="cpa-smoke-"))
    started = time.monotonic()
    try:
        smoke(archive, work, args.tray)
    except CheckFailed as exc:
        text = str(exc)
        print(text if text.startswith("FAIL") else f"FAIL  {text}", flush=True)
        return 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"smoke test passed in {time.monotonic() - started:.1f} s: {archive.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
