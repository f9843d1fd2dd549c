"""Streaming request-body handling and the deterministic download pattern.

Uploads and downloads are the double's way of checking that a proxy in front of CPA
streams bodies instead of buffering them, so nothing here may hold a whole body.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any, BinaryIO

CHUNK = 64 * 1024
KEEP_LIMIT = 1024 * 1024
MAX_PART_HEADERS = 64 * 1024


class BodyError(ValueError):
    """Malformed framing; the connection can no longer be trusted and is closed."""


def iter_body(rfile: BinaryIO, headers: Message) -> Iterator[bytes]:
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        yield from _iter_chunked(rfile)
        return
    raw_length = headers.get("Content-Length")
    if not raw_length:
        return
    try:
        remaining = int(raw_length)
    except ValueError as exc:
        raise BodyError("bad Content-Length") from exc
    while remaining > 0:
        data = rfile.read(min(CHUNK, remaining))
        if not data:
            raise BodyError("client closed mid-body")
        remaining -= len(data)
        yield data


def _iter_chunked(rfile: BinaryIO) -> Iterator[bytes]:
    while True:
        line = rfile.readline(1024)
        if not line.endswith(b"\n"):
            raise BodyError("truncated chunk size line")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError as exc:
            raise BodyError("bad chunk size") from exc
        if size == 0:
            _skip_trailers(rfile)
            return
        while size > 0:
            data = rfile.read(min(CHUNK, size))
            if not data:
                raise BodyError("client closed mid-chunk")
            size -= len(data)
            yield data
        if rfile.read(2) != b"\r\n":
            raise BodyError("chunk not followed by CRLF")


def _skip_trailers(rfile: BinaryIO) -> None:
    while True:
        line = rfile.readline(8192)
        if not line:
            raise BodyError("client closed in trailers")
        if line in (b"\r\n", b"\n"):
            return


@dataclass
class PartInfo:
    name: str
    filename: str
    size: int = 0
    digest: Any = field(default_factory=hashlib.sha256, repr=False)

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "filename": self.filename, "size": self.size, "sha256": self.digest.hexdigest()}


class MultipartScanner:
    """Incremental multipart/form-data parser that keeps only a delimiter-sized window."""

    def __init__(self, boundary: str) -> None:
        self._delim = b"\r\n--" + boundary.encode("latin-1")
        # A leading CRLF lets the first delimiter match exactly like the later ones.
        self._buf = b"\r\n"
        self._state = "preamble"
        self.parts: list[PartInfo] = []

    def feed(self, data: bytes) -> None:
        self._buf += data
        step = {"preamble": self._scan, "body": self._scan, "delim": self._after_delim, "headers": self._headers}
        while self._state != "done" and step[self._state]():
            pass
        if self._state == "done":
            self._buf = b""

    def _scan(self) -> bool:
        idx = self._buf.find(self._delim)
        if idx < 0:
            keep = len(self._delim) - 1
            if len(self._buf) > keep:
                self._emit(self._buf[:-keep])
                self._buf = self._buf[-keep:]
            return False
        self._emit(self._buf[:idx])
        self._buf = self._buf[idx + len(self._delim) :]
        self._state = "delim"
        return True

    def _emit(self, data: bytes) -> None:
        if self._state == "body" and data:
            part = self.parts[-1]
            part.size += len(data)
            part.digest.update(data)

    def _after_delim(self) -> bool:
        if len(self._buf) < 2:
            return False
        if self._buf.startswith(b"--"):
            self._state = "done"
            return False
        end = self._buf.find(b"\r\n")
        if end < 0:
            return False
        self._buf = self._buf[end + 2 :]
        self._state = "headers"
        return True

    def _headers(self) -> bool:
        if self._buf.startswith(b"\r\n"):
            raw, rest = b"", self._buf[2:]
        else:
            end = self._buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buf) > MAX_PART_HEADERS:
                    raise BodyError("multipart part headers too long")
                return False
            raw, rest = self._buf[:end], self._buf[end + 4 :]
        self.parts.append(_part_from_headers(raw))
        self._buf = rest
        self._state = "body"
        return True


def _part_from_headers(raw: bytes) -> PartInfo:
    msg = Message()
    for line in raw.decode("utf-8", "replace").split("\r\n"):
        name, _, value = line.partition(":")
        if value:
            msg[name.strip()] = value.strip()
    disposition = msg.get("Content-Disposition", "")
    holder = Message()
    holder["Content-Disposition"] = disposition
    return PartInfo(
        name=holder.get_param("name", "", "content-disposition") or "",
        filename=holder.get_param("filename", "", "content-disposition") or "",
    )


def multipart_boundary(content_type: str) -> str | None:
    if not content_type.lower().startswith("multipart/form-data"):
        return None
    holder = Message()
    holder["Content-Type"] = content_type
    boundary = holder.get_param("boundary")
    return boundary if isinstance(boundary, str) and boundary else None


@dataclass
class BodySummary:
    size: int
    sha256: str
    head: bytes
    parts: list[PartInfo] | None


def consume_body(chunks: Iterator[bytes], content_type: str) -> BodySummary:
    """Drain a body while hashing it; keep at most ``KEEP_LIMIT`` bytes for JSON handlers."""
    digest = hashlib.sha256()
    size = 0
    head = bytearray()
    boundary = multipart_boundary(content_type)
    scanner = MultipartScanner(boundary) if boundary else None
    for data in chunks:
        digest.update(data)
        size += len(data)
        if len(head) < KEEP_LIMIT:
            head += data[: KEEP_LIMIT - len(head)]
        if scanner is not None:
            scanner.feed(data)
    return BodySummary(size, digest.hexdigest(), bytes(head), scanner.parts if scanner else None)


def download_chunk(offset: int, length: int) -> bytes:
    """Bytes ``[offset, offset+length)`` of the download pattern.

    Each 16-byte line spells its own offset, so a dropped, repeated or reordered block
    changes the bytes and is caught by a hash, unlike a short repeating pattern.
    """
    first_line = offset // 16
    last_line = (offset + length + 15) // 16
    text = "".join(f"{line * 16:015x}\n" for line in range(first_line, last_line)).encode("ascii")
    start = offset - first_line * 16
    return text[start : start + length]


def iter_download(size: int, chunk: int = CHUNK) -> Iterator[bytes]:
    for offset in range(0, size, chunk):
        yield download_chunk(offset, min(chunk, size - offset))


def download_sha256(size: int) -> str:
    digest = hashlib.sha256()
    for data in iter_download(size):
        digest.update(data)
    return digest.hexdigest()
