"""Read-side latency at scale: the real server, as a separate process, against a SQLite database of N synthetic
events, next to bare-SQLite GROUP BYs over the raw rows for the same windows. Prints figures; asserts nothing.

    python bench/query.py [--sizes 1000000,5000000] [--repeat 20] [--seed 7] [--now 2026-11-24T00:00:00Z]
                          [--rebuild] [--keep]

Databases are built through the real store code (EventStore.add_batch) and cached under bench/out/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import urllib3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import GENERATOR_VERSION, BuildStats, build_database, load_stats, save_stats  # noqa: E402
from cpa_manager_desktop.store.db import PRAGMAS  # noqa: E402
from cpa_manager_desktop.store.migrations import LATEST_VERSION  # noqa: E402
from cpa_manager_desktop.store.rollups import ALL_ROLLUPS, NS_PER_HOUR  # noqa: E402

OUT = ROOT / "bench" / "out"
KEY = "bench-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
BATCH = 5000
WARMUP = 2
RAW_RUNS = 3
HEALTH_DEADLINE_S = 60.0
STOP_DEADLINE_S = 20.0
NS_PER_S = 1_000_000_000
WINDOW_DAYS = 30
EDGE_NS = (17 * 60 + 23) * NS_PER_S  # keeps both window ends off whole hours, so the raw-edge path runs
FILTER_MODEL = "claude-sonnet-4-5"
ANALYTICS_TARGET_MS = 100.0
USAGE_TARGET_MS = 500.0
RSS_TARGET_MB = 300.0
# A lower bound on the raw work: the server sums ~50 measures per group, these sum three.
RAW_MEASURES = "COUNT(*), SUM(total_tokens), SUM(failed)"
RAW_WINDOW = "ts_ns >= ? AND ts_ns < ?"


@dataclass(frozen=True)
class Probe:
    name: str
    path: str
    raw_sql: str
    raw_params: tuple[Any, ...]
    target_ms: float


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p95_ms: float
    reply_bytes: int
    status: int
    body_head: bytes


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    log_path: Path


def parse_now(text: str) -> int:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp()) * NS_PER_S


def rfc3339(ns: int) -> str:
    return datetime.fromtimestamp(ns // NS_PER_S, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def analytics_window(now_ns: int) -> tuple[int, int]:
    """[start, end) of the analytics probes: WINDOW_DAYS long, ending EDGE_NS before now."""
    end_ns = now_ns - EDGE_NS
    return end_ns - WINDOW_DAYS * 86_400 * NS_PER_S, end_ns


def make_probes(window: tuple[int, int]) -> list[Probe]:
    start_ns, end_ns = window
    rfc = {"start": rfc3339(start_ns), "end": rfc3339(end_ns)}
    unix_ms = {"start": str(start_ns // 1_000_000), "end": str(end_ns // 1_000_000)}  # the other accepted form
    analytics = "/v0/management/analytics"
    by_model = f"SELECT model, {RAW_MEASURES} FROM usage_events WHERE {RAW_WINDOW} GROUP BY model"
    return [
        Probe("usage (panel payload)", "/v0/management/usage",
              f"SELECT endpoint, model, {RAW_MEASURES} FROM usage_events GROUP BY endpoint, model", (),
              USAGE_TARGET_MS),
        Probe("summary 30d", f"{analytics}/summary?{urlencode(rfc)}", by_model, window, ANALYTICS_TARGET_MS),
        Probe("timeseries hour 30d", f"{analytics}/timeseries?{urlencode({'bucket': 'hour', **rfc, 'tz': 'UTC'})}",
              f"SELECT ts_ns / {NS_PER_HOUR}, model, {RAW_MEASURES} FROM usage_events WHERE {RAW_WINDOW} "
              "GROUP BY 1, 2", window, ANALYTICS_TARGET_MS),
        Probe("breakdown by=model 30d", f"{analytics}/breakdown?{urlencode({'by': 'model', **unix_ms})}", by_model,
              window, ANALYTICS_TARGET_MS),
        Probe("breakdown by=account 30d", f"{analytics}/breakdown?{urlencode({'by': 'account', **unix_ms})}",
              f"SELECT auth_index, model, {RAW_MEASURES} FROM usage_events WHERE {RAW_WINDOW} "
              "GROUP BY auth_index, model", window, ANALYTICS_TARGET_MS),
        Probe("filter options 30d", f"{analytics}/options?{urlencode(unix_ms)}",
              f"SELECT model, provider, auth_index, api_key_hash, endpoint, COUNT(*) FROM usage_events "
              f"WHERE {RAW_WINDOW} GROUP BY 1, 2, 3, 4, 5", window, ANALYTICS_TARGET_MS),
        Probe("summary 30d model=1", f"{analytics}/summary?{urlencode({'model': FILTER_MODEL, **rfc})}",
              f"SELECT model, {RAW_MEASURES} FROM usage_events WHERE {RAW_WINDOW} AND model = ? GROUP BY model",
              (*window, FILTER_MODEL), ANALYTICS_TARGET_MS),
        Probe("events limit=100", f"{analytics}/events?limit=100",
              "SELECT * FROM usage_events ORDER BY ts_ns DESC, id DESC LIMIT 100", (), ANALYTICS_TARGET_MS),
    ]


# --- the database -------------------------------------------------------------------------------------------


def db_stem(size: int, seed: int, now_ns: int) -> str:
    return f"events-{size}-seed{seed}-now{now_ns // NS_PER_S}-v{GENERATOR_VERSION}-schema{LATEST_VERSION}"


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def report_progress(events: int, seconds: float) -> None:
    print(f"  ... {events:>11,} events in {seconds:6.0f} s ({events / seconds:,.0f} events/s)",
          file=sys.stderr, flush=True)


def cached_database(size: int, seed: int, now_ns: int, rebuild: bool) -> tuple[Path, BuildStats, bool]:
    """The database for (size, seed, now): reused from bench/out/ unless missing or --rebuild."""
    stem = db_stem(size, seed, now_ns)
    path, meta = OUT / f"{stem}.sqlite", OUT / f"{stem}.json"
    stats = None if rebuild else load_stats(meta)
    if stats is not None and path.exists():
        return path, stats, True
    OUT.mkdir(parents=True, exist_ok=True)
    remove_db(path)
    meta.unlink(missing_ok=True)
    partial = OUT / f"{stem}.partial.sqlite"
    remove_db(partial)
    print(f"building {size:,} events (seed {seed}) into {path.relative_to(ROOT)}", file=sys.stderr, flush=True)
    stats = build_database(partial, size, seed, now_ns, batch=BATCH, progress=report_progress)
    remove_db(path)
    os.replace(partial, path)
    remove_db(partial)
    save_stats(meta, stats)
    return path, stats, False


# --- the server ----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(db_path: Path) -> dict[str, str]:
    """The caller's environment minus any app setting, plus the three the benchmark needs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("USAGE_", "CPA_", "HTTP_ADDR"))}
    env.update(USAGE_DB_PATH=str(db_path), CPA_UPSTREAM_URL="http://127.0.0.1:9", CPA_MANAGEMENT_KEY=KEY)
    return env


def start_server(db_path: Path, workdir: Path) -> Server:
    config = workdir / "config.json"
    config.write_text(json.dumps({"dataDir": "./data"}) + "\n")
    port = free_port()
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cpa_manager_desktop", "--headless", "--config", str(config),
             "--addr", f"127.0.0.1:{port}"],
            cwd=ROOT, env=server_env(db_path), stdout=log, stderr=subprocess.STDOUT,
        )
    return Server(proc, port, log_path)


def log_tail(server: Server, lines: int = 20) -> str:
    try:
        return "\n".join(server.log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_healthy(server: Server, pool: urllib3.HTTPConnectionPool) -> float:
    """Seconds until GET /health answered 200; exits with the server log if it never does."""
    started = time.monotonic()
    deadline = started + HEALTH_DEADLINE_S
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise SystemExit(f"server exited with {server.proc.returncode} before /health answered:\n"
                             f"{log_tail(server)}")
        try:
            if pool.request("GET", "/health", retries=False, timeout=1.0).status == 200:
                return time.monotonic() - started
        except urllib3.exceptions.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"/health did not answer within {HEALTH_DEADLINE_S:.0f} s:\n{log_tail(server)}")


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def stop_server(server: Server) -> tuple[int | None, float]:
    """SIGTERM, then wait; (exit code or None if it had to be killed, seconds waited)."""
    started = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    try:
        code = server.proc.wait(STOP_DEADLINE_S)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()
        return None, time.monotonic() - started
    return code, time.monotonic() - started


# --- timing --------------------------------------------------------------------------------------------------


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def time_request(pool: urllib3.HTTPConnectionPool, path: str, repeat: int) -> Timing:
    """WARMUP calls, then `repeat` timed calls, each reading the whole body over a kept-alive connection."""
    reply = pool.request("GET", path, headers=AUTH)
    for _ in range(WARMUP - 1):
        reply = pool.request("GET", path, headers=AUTH)
    samples: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        reply = pool.request("GET", path, headers=AUTH)
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(statistics.median(samples), p95(samples), len(reply.data), reply.status, reply.data[:300])


def open_raw(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    conn.execute("PRAGMA query_only = ON")
    return conn


def time_raw(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> float:
    samples = []
    for _ in range(RAW_RUNS):
        started = time.perf_counter()
        conn.execute(sql, params).fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


# --- printing ------------------------------------------------------------------------------------------------


def human_bytes(count: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:,.0f} {unit}" if unit == "B" else f"{count:,.1f} {unit}"
        count /= 1000
    return f"{count:,.1f} GB"


def verdict(value: float | None, target: float) -> str:
    return "?" if value is None else ("ok" if value < target else "OVER")


def print_build(path: Path, stats: BuildStats, reused: bool) -> None:
    origin = "reused from cache, timed when built" if reused else "built now"
    print(f"build (generate + EventStore.add_batch, batches of {BATCH:,})"
          f"  {stats.seconds:>8.1f} s  {stats.rate:>9,.0f} events/s   ({origin})")
    print(f"database file                     {human_bytes(path.stat().st_size):>12}   {path.relative_to(ROOT)}")


def print_shape(conn: sqlite3.Connection, window: tuple[int, int]) -> None:
    events = conn.execute("SELECT value FROM counters WHERE name = 'events'").fetchone()[0]
    rollups = sum(conn.execute(f"SELECT COUNT(*) FROM {r.table}").fetchone()[0] for r in ALL_ROLLUPS)
    start_ns, end_ns = window
    in_window = conn.execute(f"SELECT COUNT(*) FROM usage_events WHERE {RAW_WINDOW}", (start_ns, end_ns)).fetchone()[0]
    print(f"rollup rows ({len(ALL_ROLLUPS)} tables)            {rollups:>12,}   "
          f"({events / max(rollups, 1):.1f} events per rollup row)")
    size = conn.execute("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size").fetchone()[0]
    print(f"bytes per event (file / events)   {size / max(events, 1):>12,.1f}   (bench/storage.py breaks it down)")
    print(f"window [{rfc3339(start_ns)}, {rfc3339(end_ns)})   {in_window:,} events")


# raw/p50: bare GROUP BY time over the server's p50; above 1x the server beats scanning raw rows.
TABLE_HEADER = (f"{'request':<26}{'p50 ms':>10}{'p95 ms':>10}{'reply':>12}{'status':>8}"
                f"{'raw SQL p50':>14}{'raw/p50':>9}   target p95")


def print_row(probe: Probe, timing: Timing, raw_ms: float) -> None:
    mark = verdict(timing.p95_ms, probe.target_ms) if timing.status == 200 else f"HTTP {timing.status}"
    speedup = raw_ms / timing.p50_ms if timing.p50_ms else 0.0
    print(f"{probe.name:<26}{timing.p50_ms:>10.1f}{timing.p95_ms:>10.1f}{human_bytes(timing.reply_bytes):>12}"
          f"{timing.status:>8}{raw_ms:>11.1f} ms{speedup:>8.1f}x   < {probe.target_ms:,.0f} ms  {mark}")


def print_failures(probes: list[Probe], timings: list[Timing]) -> None:
    for probe, timing in zip(probes, timings, strict=True):
        if timing.status != 200:
            print(f"  {probe.name}: HTTP {timing.status}: {timing.body_head.decode(errors='replace')}")


# --- one size ------------------------------------------------------------------------------------------------


def measure_server(server_db: Path, workdir: Path, probes: list[Probe], repeat: int) -> tuple[
        list[Timing], float, float | None, tuple[int | None, float]]:
    """Start the server on server_db, time every probe, read its peak RSS, stop it."""
    server = start_server(server_db, workdir)
    pool = urllib3.HTTPConnectionPool("127.0.0.1", server.port, maxsize=1, retries=False,
                                      timeout=urllib3.Timeout(connect=5.0, read=600.0))
    try:
        ready_s = wait_healthy(server, pool)
        timings = [time_request(pool, probe.path, repeat) for probe in probes]
        rss_mb = peak_rss_mb(server.proc.pid)
    finally:
        pool.close()
        stopped = stop_server(server) if server.proc.poll() is None else (server.proc.returncode, 0.0)
    return timings, ready_s, rss_mb, stopped


def run_size(size: int, args: argparse.Namespace, now_ns: int) -> None:
    print(f"\n=== {size:,} events over 90 days to {rfc3339(now_ns)}, seed {args.seed}, "
          f"{args.repeat} timed calls after {WARMUP} warm-up ===")
    db_path, stats, reused = cached_database(size, args.seed, now_ns, args.rebuild)
    print_build(db_path, stats, reused)
    window = analytics_window(now_ns)
    probes = make_probes(window)
    with contextlib.closing(open_raw(db_path)) as conn:
        print_shape(conn, window)
    OUT.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"server-{size}-", dir=OUT))
    try:
        server_db = workdir / "data" / "usage.sqlite"
        server_db.parent.mkdir(parents=True)
        started = time.perf_counter()
        shutil.copyfile(db_path, server_db)  # the server may write (settings, checkpoints): keep the cache clean
        print(f"server DB copy                    {time.perf_counter() - started:>10.1f} s   {server_db}")
        timings, ready_s, rss_mb, (code, stop_s) = measure_server(server_db, workdir, probes, args.repeat)
        print(f"server ready (GET /health)        {ready_s:>10.1f} s")
        with contextlib.closing(open_raw(db_path)) as conn:
            raw = [time_raw(conn, probe.raw_sql, probe.raw_params) for probe in probes]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print_results(probes, timings, raw)
    rss_text = f"{rss_mb:,.1f} MB" if rss_mb is not None else "n/a"
    print(f"server peak RSS (VmHWM)           {rss_text:>12}   target < {RSS_TARGET_MB:.0f} MB  "
          f"{verdict(rss_mb, RSS_TARGET_MB)}")
    stop_mark = "ok" if code == 0 else "FAILED"
    print(f"server stop (SIGTERM)             {'exit ' + str(code) if code is not None else 'killed':>12}"
          f"   in {stop_s:.1f} s (target: exit 0 within {STOP_DEADLINE_S:.0f} s)  {stop_mark}")
    if args.keep:
        print(f"server dir kept: {workdir}")


def print_results(probes: list[Probe], timings: list[Timing], raw: list[float]) -> None:
    print()
    print(TABLE_HEADER)
    for probe, timing, raw_ms in zip(probes, timings, raw, strict=True):
        print_row(probe, timing, raw_ms)
    print_failures(probes, timings)
    print()


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be comma-separated whole numbers, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[1_000_000, 5_000_000],
                        help="comma-separated event counts (default 1000000,5000000)")
    parser.add_argument("--repeat", type=positive, default=20, help="timed calls per request (default 20)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--now", default="2026-11-24T00:00:00Z", help="end of the synthetic 90 days (RFC 3339)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild cached databases")
    parser.add_argument("--keep", action="store_true", help="keep the server's directory (config, DB copy, log)")
    args = parser.parse_args(argv)
    now_ns = parse_now(args.now)
    print(f"targets at 5M events: analytics p95 < {ANALYTICS_TARGET_MS:.0f} ms, /v0/management/usage p95 < "
          f"{USAGE_TARGET_MS:,.0f} ms, server RSS < {RSS_TARGET_MB:.0f} MB; raw SQL = bare sqlite3 GROUP BY over "
          f"usage_events (a view over the packed rows since migration 13) for the same window ({RAW_MEASURES}), "
          f"p50 of {RAW_RUNS}")
    for size in args.sizes:
        run_size(size, args, now_ns)


if __name__ == "__main__":
    main()
