"""CPA's log directory as real files (cpa-management-api §8): ``main.log`` with CPA's line format, its
rotated siblings, the per-request ``error-*.log`` files and full request logs.

The HTTP handlers are in ``logs``; this module is the state plus the test hooks: append lines (any
bytes, so a test can write non-UTF-8 or a 1 MB line), rotate, truncate, add error and request logs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .clock import FakeClock

MAIN = "main.log"
NO_REQUEST_ID = "--------"
# The bytes a fingerprint covers: enough to tell a rewritten file from the one a cursor was made on.
FINGERPRINT_BYTES = 256
_STAMP = re.compile(rb"^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\]")
_ROTATED = re.compile(r"^(main\.log\.\d+|main-.+\.log(\.gz)?)$")


def format_line(when: float, level: str, message: str, request_id: str = NO_REQUEST_ID,
                source: str = "gin_logger.go:92") -> str:
    """``[2026-08-22 14:03:11] [a1b2c3d4] [info ] [gin_logger.go:92] message`` (the double's local time is UTC)."""
    stamp = datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%d %H:%M:%S")
    return f"[{stamp}] [{request_id}] [{level:<5}] [{source}] {message}"


def line_timestamp(line: bytes) -> int | None:
    match = _STAMP.match(line)
    if not match:
        return None
    parsed = datetime.strptime(match.group(1).decode(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    return int(parsed.timestamp())


@dataclass(frozen=True)
class Cursor:
    offset: int
    size: int
    latest: int
    fingerprint: str

    def encode(self, mod_time_ns: int) -> str:
        body = {"v": 1, "file": MAIN, "offset": self.offset, "size": self.size,
                "modTime": datetime.fromtimestamp(mod_time_ns / 1e9, UTC).isoformat(),
                "modTimeUnixNano": mod_time_ns, "latestTimestamp": self.latest, "fingerprint": self.fingerprint}
        raw = json.dumps(body, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    @staticmethod
    def decode(text: str) -> Cursor | None:
        """None for anything that is not a cursor this double wrote (CPA then resets)."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            body = json.loads(raw)
            if body.get("v") != 1 or body.get("file") != MAIN:
                return None
            return Cursor(int(body["offset"]), int(body["size"]), int(body["latestTimestamp"]),
                          str(body["fingerprint"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


class LogDir:
    """The log folder. Thread-safe: the HTTP handlers and the test hooks share it."""

    def __init__(self, directory: Path, clock: FakeClock) -> None:
        self.directory = directory
        self.clock = clock
        self._lock = threading.Lock()
        directory.mkdir(parents=True, exist_ok=True)
        self.main.touch()
        self._rotations = 0

    @property
    def main(self) -> Path:
        return self.directory / MAIN

    # --- test hooks ---------------------------------------------------------------------------------

    def append(self, *lines: str | bytes) -> None:
        """Append raw lines (a newline is added to each); bytes go in as they are, valid UTF-8 or not."""
        data = b"".join((line.encode() if isinstance(line, str) else line) + b"\n" for line in lines)
        with self._lock, self.main.open("ab") as handle:
            handle.write(data)

    def log(self, level: str, message: str, request_id: str = NO_REQUEST_ID, *, when: float | None = None) -> str:
        """Append one line in CPA's format at the double's clock; returns the line."""
        line = format_line(self.clock.now() if when is None else when, level, message, request_id)
        self.append(line)
        return line

    def rotate(self) -> None:
        """What CPA's size-capped writer does: main.log becomes main.log.N and a new main.log starts."""
        with self._lock:
            self._rotations += 1
            os.replace(self.main, self.directory / f"{MAIN}.{self._rotations}")
            self.main.touch()

    def truncate(self) -> None:
        with self._lock:
            self.main.write_bytes(b"")

    def add_error_log(self, name: str, content: str | bytes, *, modified: float | None = None) -> Path:
        """An ``error-*.log`` file as CPA writes one per failed request while request-log is off."""
        if not name.startswith("error-") or not name.endswith(".log"):
            raise ValueError("CPA's error log files are named error-*.log")
        return self._write(name, content, modified)

    def add_request_log(self, request_id: str, content: str | bytes, *, path: str = "v1-chat-completions",
                        modified: float | None = None) -> Path:
        stamp = datetime.fromtimestamp(self.clock.now(), UTC).strftime("%Y-%m-%dT%H%M%S")
        return self._write(f"{path}-{stamp}-{request_id}.log", content, modified)

    def _write(self, name: str, content: str | bytes, modified: float | None) -> Path:
        path = self.directory / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        when = self.clock.now() if modified is None else modified
        os.utime(path, (when, when))
        return path

    # --- what the handlers read ---------------------------------------------------------------------

    def read_main(self) -> bytes:
        with self._lock:
            return self.main.read_bytes() if self.main.exists() else b""

    def mod_time_ns(self) -> int:
        return self.main.stat().st_mtime_ns if self.main.exists() else 0

    def clear(self) -> int:
        """DELETE /logs: truncate main.log and remove rotated files; returns how many were removed."""
        with self._lock:
            removed = 0
            for path in self.directory.iterdir():
                if _ROTATED.match(path.name):
                    path.unlink()
                    removed += 1
            self.main.write_bytes(b"")
            return removed

    def error_logs(self) -> list[tuple[str, int, int]]:
        """(name, size, modified unix seconds), newest first."""
        found = [(p.name, p.stat().st_size, int(p.stat().st_mtime)) for p in self.directory.glob("error-*.log")]
        return sorted(found, key=lambda item: (-item[2], item[0]))

    def file(self, name: str) -> bytes | None:
        path = self.directory / name
        return path.read_bytes() if path.is_file() else None

    def by_request_id(self, request_id: str) -> str | None:
        names = sorted(p.name for p in self.directory.iterdir() if p.name.endswith(f"-{request_id}.log"))
        return names[0] if names else None


def fingerprint(data: bytes, size: int) -> str:
    """The head of the file as it was when a cursor was made (``size`` bytes long then)."""
    return hashlib.sha256(data[: min(FINGERPRINT_BYTES, size)]).hexdigest()[:16]

