"""Minimal raw RESP2 client for tests: sends arrays (or raw bytes) and parses replies verbatim.

A real Redis client hides exactly the details the double must get right (``$-1`` versus
``*0``, error texts, when the server closes), so tests use this instead.
"""

from __future__ import annotations

import socket
from typing import Any


class RespError(Exception):
    """An error reply (``-ERR ...``); ``str(err)`` is the text after the dash."""


class ConnectionClosed(Exception):
    """The server closed the connection."""


class RespClient:
    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 5.0) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self._rfile = self.sock.makefile("rb")

    def __enter__(self) -> RespClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._rfile.close()
        self.sock.close()

    def send(self, *args: str | bytes) -> None:
        parts = [b"*%d\r\n" % len(args)]
        for arg in args:
            data = arg.encode() if isinstance(arg, str) else arg
            parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
        self.sock.sendall(b"".join(parts))

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def call(self, *args: str | bytes) -> Any:
        """Send a command and return its reply; error replies come back as ``RespError`` values."""
        self.send(*args)
        return self.read()

    def read(self) -> Any:
        line = self._rfile.readline()
        if not line:
            raise ConnectionClosed("server closed the connection")
        kind, rest = line[:1], line[1:].rstrip(b"\r\n")
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RespError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            size = int(rest)
            return None if size < 0 else self._rfile.read(size + 2)[:-2]
        if kind == b"*":
            size = int(rest)
            return None if size < 0 else [self.read() for _ in range(size)]
        raise ValueError(f"unexpected reply line {line!r}")

    def read_raw_line(self) -> bytes:
        return self._rfile.readline()

    def read_until_closed(self) -> bytes:
        """Everything the server sends before closing; raises ``TimeoutError`` if it never closes."""
        return self._rfile.read()

    def is_closed(self) -> bool:
        """True once the server has closed its side (EOF with nothing left to read)."""
        try:
            return self._rfile.read(1) == b""
        except OSError:
            return True
