"""Large import files and a server's peak memory, for tests/test_import_memory.py and bench/import_memory.py."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import urllib3

from tests.cpa_double import records
from tests.processes import free_port, healthy, launch

KEY = "import-memory-key"
ENV = {"CPA_UPSTREAM_URL": "http://127.0.0.1:9", "CPA_MANAGEMENT_KEY": KEY}


def write_json_array(path: Path, target_bytes: int) -> int:
    """A JSON array of distinct usage records of about target_bytes; returns the record count."""
    templates = records.mixed_records(500, seed=61)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        while out.tell() < target_bytes:
            record = dict(templates[count % len(templates)], request_id=f"{count:08x}")
            out.write(("," if count else "") + json.dumps(record, separators=(",", ":")))
            count += 1
        out.write("]")
    return count


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (Linux VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc status")


def import_in_server(workdir: Path, file: Path) -> tuple[int, dict, float]:
    """POST file to a fresh server process; returns (status, reply, server peak RSS in MB)."""
    from tests.conftest import wait_until

    port = free_port()
    server = launch(workdir / "config.json", port, env=ENV)
    try:
        wait_until(lambda: healthy(port), 30, "the server")
        pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5, read=600), retries=False)
        with file.open("rb") as body:
            reply = pool.request("POST", f"http://127.0.0.1:{port}/v0/management/usage/import", body=body,
                                 headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json",
                                          "Content-Length": str(os.path.getsize(file))})
        return reply.status, json.loads(reply.data), peak_rss_mb(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
