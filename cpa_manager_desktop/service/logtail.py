"""The last lines of our own log file, redacted, for the panel's diagnostic bundle.

Reads backwards from the end in blocks, so a 2 MB log costs a few small reads, never the whole file.
Every line is redacted again on the way out (registered secrets and anything key-shaped), although
the logging filter already masked them when they were written: a line written before a key was
registered, or by an older version, must not leak through here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

BLOCK_BYTES = 64 * 1024
# The most a tail reads, whatever `lines` asks: a log of one enormous line stays cheap.
MAX_READ_BYTES = 4 * 1024 * 1024
MAX_LINE_CHARS = 4096
MAX_LINES = 1000


class LogTail:
    def __init__(self, log_file: Path, redact: Callable[[str], str]) -> None:
        self.log_file = log_file
        self._redact = redact

    def tail(self, lines: int) -> list[str]:
        """The last `lines` (1..MAX_LINES) complete or partial lines, oldest first; [] without a log file."""
        wanted = max(1, min(lines, MAX_LINES))
        try:
            data = self._read_end(wanted)
        except FileNotFoundError:
            return []
        text = data.decode("utf-8", "replace")
        found = text.splitlines()[-wanted:]
        return [self._redact(line[:MAX_LINE_CHARS]) for line in found]

    def _read_end(self, wanted: int) -> bytes:
        with self.log_file.open("rb") as handle:
            end = handle.seek(0, os.SEEK_END)
            start = end
            chunk = b""
            # One more newline than lines wanted: the first line read may be cut at the block edge.
            while start > 0 and chunk.count(b"\n") <= wanted and end - start < MAX_READ_BYTES:
                step = min(BLOCK_BYTES, start)
                start -= step
                handle.seek(start)
                chunk = handle.read(step) + chunk
            if start > 0 and chunk.count(b"\n") > wanted:
                # Enough lines were found: the first one read is cut at the block edge, drop it. (Stopped by
                # the byte cap instead, the cut line is all there is of a huge line, so it stays, clipped.)
                chunk = chunk[chunk.find(b"\n") + 1 :]
            return chunk
