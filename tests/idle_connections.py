"""Idle and half-sent connections held open against a server, and a probe with a deadline; shared by
tests/test_connection_exhaustion.py and bench/connections.py."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator

PARTIAL_REQUEST = b"GET /health HTTP/1.1\r\n"   # a request line, then silence


@contextlib.contextmanager
def idle_connections(port: int, count: int) -> Iterator[list[socket.socket]]:
    """count open connections to 127.0.0.1:port: every other one has sent a request line and stopped,
    the rest have sent nothing. All are closed on exit."""
    held: list[socket.socket] = []
    try:
        for index in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            if index % 2:
                sock.sendall(PARTIAL_REQUEST)
            held.append(sock)
        yield held
    finally:
        for sock in held:
            sock.close()


def probe(port: int, path: str = "/health", timeout_s: float = 3.0) -> tuple[int, float]:
    """(HTTP status, seconds) of one GET on a fresh connection; raises TimeoutError past timeout_s."""
    started = time.perf_counter()
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as sock:
        sock.settimeout(max(timeout_s - (time.perf_counter() - started), 0.01))
        sock.sendall(request)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1]), time.perf_counter() - started
