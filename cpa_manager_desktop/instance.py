"""One running instance per data folder.

An OS file lock (filelock) in the data folder says whether another process is collecting; the OS drops
it when a process dies, even by kill -9, so a crash never leaves a lock behind. The owner writes its URL
to instance.json; a second launch reads it, checks the URL really answers as CPA Manager, and hands over.
Bind failure is not used for this: waitress sets SO_REUSEADDR, which on Windows lets two processes bind.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import filelock
import urllib3

from cpa_manager_desktop import SERVICE_ID

log = logging.getLogger(__name__)
LOCK_NAME = "cpa-manager.lock"
INFO_NAME = "instance.json"


class InstanceLock:
    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._lock = filelock.FileLock(str(data_dir / LOCK_NAME), timeout=0)

    def acquire(self) -> bool:
        """True when this process now owns the data folder."""
        try:
            self._lock.acquire()
        except filelock.Timeout:
            return False
        return True

    def publish(self, url: str) -> None:
        info = {"pid": os.getpid(), "url": url}
        path = self._data_dir / INFO_NAME
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(info), encoding="utf-8")
        os.replace(partial, path)

    def running_url(self, wait_s: float = 0.0) -> str | None:
        """The URL of the instance holding the lock, if it answers /health as CPA Manager within wait_s."""
        deadline = time.monotonic() + wait_s
        while True:
            url = self._probe()
            if url is not None or time.monotonic() >= deadline:
                return url
            time.sleep(0.2)

    def _probe(self) -> str | None:
        try:
            info = json.loads((self._data_dir / INFO_NAME).read_text(encoding="utf-8"))
            url = str(info["url"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        try:
            reply = urllib3.request("GET", f"{url}/health", timeout=urllib3.Timeout(connect=2, read=3), retries=False)
            body = json.loads(reply.data)
        except (urllib3.exceptions.HTTPError, ValueError):
            return None
        return url if reply.status == 200 and body.get("service") == SERVICE_ID else None

    def release(self) -> None:
        if self._lock.is_locked:
            (self._data_dir / INFO_NAME).unlink(missing_ok=True)
            self._lock.release()
