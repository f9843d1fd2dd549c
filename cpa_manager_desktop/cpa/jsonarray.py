"""A JSON array read one element at a time, so one unreadable element costs only itself.

`json.loads` of a whole array fails as a whole: one record nested 3,000 deep (a RecursionError, not
a ValueError) lost every record popped with it, and a multi-hundred-megabyte import held the whole
document and its objects at once (about 9x the file size). `iter_array` reads text in chunks, decodes
each element with the C parser's `raw_decode`, and yields either the decoded value or, for an element
it cannot decode, a `BadElement` with the element's text (capped) and the reason.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

CHUNK_CHARS = 1 << 20
# An element longer than this is given up on without being held in memory whole.
MAX_ELEMENT_CHARS = 16 << 20
KEEP_BAD_CHARS = 64 << 10
_WS = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()


class NotAnArray(ValueError):
    """The document is not a JSON array (or is cut short before its closing bracket)."""


@dataclass(frozen=True)
class BadElement:
    text: str              # the element's text, capped at KEEP_BAD_CHARS
    reason: str


class _Reader:
    """Text from a binary stream in chunks, with a read position that never goes backwards."""

    def __init__(self, stream: IO[bytes], chunk_chars: int) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._chunk = chunk_chars
        self.buf = ""
        self.pos = 0
        self.eof = False

    def more(self) -> bool:
        """Append one chunk, dropping what was already consumed; False at end of input."""
        if self.eof:
            return False
        data = self._stream.read(self._chunk)
        self.buf = self.buf[self.pos:] + self._decoder.decode(data, final=not data)
        self.pos = 0
        self.eof = not data
        return True

    def skip_ws(self) -> str:
        """The next non-blank character ("" at end of input), not consumed."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""


def iter_array(stream: IO[bytes], *, chunk_chars: int = CHUNK_CHARS) -> Iterator[Any]:
    """Each element of the JSON array in stream: its value, or a BadElement. Raises NotAnArray when
    the document is not an array; memory stays around one chunk plus the largest element."""
    reader = _Reader(stream, chunk_chars)
    if reader.skip_ws() != "[":
        raise NotAnArray("the document is not a JSON array")
    reader.pos += 1
    if reader.skip_ws() == "]":
        reader.pos += 1
        _expect_end(reader)
        return
    while True:
        yield _element(reader)
        separator = reader.skip_ws()
        reader.pos += 1
        if separator == "]":
            _expect_end(reader)
            return
        if separator != ",":
            raise NotAnArray("the array is cut short or has text between its elements")
        if reader.skip_ws() == "":
            raise NotAnArray("the array is cut short")


def _expect_end(reader: _Reader) -> None:
    if reader.skip_ws() != "":
        raise NotAnArray("there is text after the array")


def _element(reader: _Reader) -> Any:
    while True:
        try:
            value, end = _DECODER.raw_decode(reader.buf, reader.pos)
        except json.JSONDecodeError as exc:
            if _may_be_unfinished(reader) and reader.more():
                continue
            return _skip_bad(reader, f"not JSON ({exc.msg})")
        except RecursionError:
            return _skip_bad(reader, "nested too deeply to read")
        # A number at the end of the buffer may go on in the next chunk ("12" of "123"); more()
        # keeps the element's start at position 0, so decoding again starts from the same place.
        if end >= len(reader.buf) and reader.more():
            continue
        reader.pos = end
        return value


def _may_be_unfinished(reader: _Reader) -> bool:
    """Until the input ends, a failure may only mean the element is not all read yet: a literal cut
    as "fal" fails at its first letter, not at the end of the buffer. Up to MAX_ELEMENT_CHARS are read
    before an element is given up on; the retries are cheap, the decoder stops at the same early error."""
    return not reader.eof and len(reader.buf) - reader.pos < MAX_ELEMENT_CHARS


def _skip_bad(reader: _Reader, reason: str) -> BadElement:
    """Skip to the end of the current element (the next ',' or ']' at its own depth), keeping its start."""
    kept: list[str] = []
    kept_chars = 0
    depth = 0
    in_string = escaped = False
    while True:
        buf, start = reader.buf, reader.pos
        index = start
        while index < len(buf):
            char = buf[index]
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char in "[{":
                depth += 1
            elif char in "]}":
                if depth == 0:
                    break
                depth -= 1
            elif char == "," and depth == 0:
                break
            index += 1
        if kept_chars < KEEP_BAD_CHARS:
            piece = buf[start:index][: KEEP_BAD_CHARS - kept_chars]
            kept.append(piece)
            kept_chars += len(piece)
        reader.pos = index
        if index < len(buf) or not reader.more():
            return BadElement("".join(kept).rstrip(), reason)


def parse_array(data: bytes) -> list[Any]:
    """Every element of a JSON array held in memory (read as one chunk); see iter_array."""
    return list(iter_array(io.BytesIO(data), chunk_chars=max(len(data), 1)))
