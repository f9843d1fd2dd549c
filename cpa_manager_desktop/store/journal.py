"""The raw journal: what was popped from CPA and is not yet committed, on disk before anything parses it.

CPA's pop is destructive and has no acknowledgement, so a kill -9 between a pop and its commit lost the
batch (3 of 5 kills lost 100 records each). The collector now appends the popped bytes here and fsyncs
them before decoding, and empties the file once the batch is committed; at start, whatever is still
here is replayed, and the content key of each event skips any that did reach the database.

One entry: b"CPAJ", body length and CRC-32 (big-endian u32 each), then the body: the transport name
(u8 length + ASCII), the payload count (u32) and each payload (u32 length + bytes). An entry cut short
by the kill fails its length or CRC and is ignored: those bytes were never acknowledged to anyone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import struct
import threading
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
MAGIC = b"CPAJ"
_HEADER = struct.Struct(">4sII")
_U32 = struct.Struct(">I")


@dataclass(frozen=True)
class JournalEntry:
    transport: str
    payloads: list[bytes]


class RawJournal:
    """Append, fsync, read back and empty one file. Thread-safe; `mask` is applied to each payload
    before it is written (see the secrets at rest rules in redact.py)."""

    def __init__(self, path: Path, *, mask: Callable[[bytes], bytes] = lambda data: data) -> None:
        self.path = path
        self._mask = mask
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
        self._fd = os.open(path, flags, 0o600)

    def append(self, transport: str, payloads: Sequence[bytes]) -> None:
        """Write one entry and fsync it; returns only once the bytes are on disk."""
        name = transport.encode("ascii")
        parts = [bytes([len(name)]), name, _U32.pack(len(payloads))]
        for payload in payloads:
            data = self._mask(bytes(payload))
            parts += [_U32.pack(len(data)), data]
        body = b"".join(parts)
        entry = _HEADER.pack(MAGIC, len(body), zlib.crc32(body)) + body
        with self._lock:
            os.lseek(self._fd, 0, os.SEEK_END)
            _write_all(self._fd, entry)
            os.fsync(self._fd)

    def clear(self) -> None:
        """Everything in the journal is committed: empty it. Not fsynced: if the emptying is lost to a
        crash, the replay finds events already stored and skips them by their content key."""
        with self._lock:
            os.ftruncate(self._fd, 0)

    def pending(self) -> list[JournalEntry]:
        """Every complete entry, oldest first; a torn or corrupt tail is dropped with a warning."""
        with self._lock:
            os.lseek(self._fd, 0, os.SEEK_SET)
            data = b""
            while chunk := os.read(self._fd, 1 << 20):
                data += chunk
        entries, offset = [], 0
        while offset + _HEADER.size <= len(data):
            magic, length, crc = _HEADER.unpack_from(data, offset)
            body = data[offset + _HEADER.size: offset + _HEADER.size + length]
            if magic != MAGIC or len(body) != length or zlib.crc32(body) != crc:
                break
            entries.append(_decode(body))
            offset += _HEADER.size + length
        if offset != len(data):
            log.warning("journal tail dropped bytes=%d (an entry cut short by a crash)", len(data) - offset)
        return entries

    def close(self) -> None:
        with self._lock, contextlib.suppress(OSError):
            os.close(self._fd)


def _decode(body: bytes) -> JournalEntry:
    name_length = body[0]
    transport = body[1:1 + name_length].decode("ascii")
    offset = 1 + name_length
    (count,) = _U32.unpack_from(body, offset)
    offset += _U32.size
    payloads = []
    for _ in range(count):
        (length,) = _U32.unpack_from(body, offset)
        offset += _U32.size
        payloads.append(body[offset:offset + length])
        offset += length
    return JournalEntry(transport, payloads)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
