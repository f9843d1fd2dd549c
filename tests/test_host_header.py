"""Host header checks over raw sockets (issue 11 §7): only a well-formed Host naming this machine passes.

A raw socket because HTTP clients refuse to send a malformed or duplicated Host themselves."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

from cpa_manager_desktop.web.security import parse_host


def raw_status(port: int, *host_lines: str) -> int:
    headers = "".join(f"Host: {line}\r\n" for line in host_lines)
    request = f"GET /health HTTP/1.1\r\n{headers}Connection: close\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1])


@pytest.fixture
def port(start_app: Callable[..., object]) -> int:
    return start_app().port


@pytest.mark.parametrize("host", ["127.0.0.1:abc", "127.0.0.1:{port}@evil.example", "localhost:{port}@evil.example",
                                  "127.0.0.1:{port} evil.example", "127.0.0.1:99999", "user@127.0.0.1:{port}",
                                  "127.0.0.1:{port},evil.example", ""])
def test_malformed_hosts_are_refused(port: int, host: str) -> None:
    assert raw_status(port, host.format(port=port)) == 403


def test_a_duplicated_host_header_is_refused(port: int) -> None:
    assert raw_status(port, f"127.0.0.1:{port}", "evil.example") == 403
    assert raw_status(port, f"127.0.0.1:{port}", f"127.0.0.1:{port}") == 403


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost", "LOCALHOST:{port}", "[::1]:{port}"])
def test_well_formed_local_hosts_pass(port: int, host: str) -> None:
    assert raw_status(port, host.format(port=port)) == 200


@pytest.mark.parametrize(("value", "parsed"), [
    ("127.0.0.1:8080", ("127.0.0.1", 8080)), ("Example.LAN", ("example.lan", None)), ("[::1]:1", ("[::1]", 1)),
    ("a:", None), (":80", None), ("a:0", None), ("a b", None), ("a,b", None), ("[::1", None), ("-a", None),
])
def test_parse_host(value: str, parsed: tuple[str, int | None] | None) -> None:
    assert parse_host(value) == parsed
