"""A minimal RESP2 client for CPA's usage queue (CPA older than v6.10.8, or USAGE_COLLECTOR_MODE=resp).

CPA counts every command sent before AUTH as a failed login and bans the IP after five, so AUTH is
always the first command on a connection and nothing is sent when it fails. An empty queue answers
`*0` to a counted pop and `$-1` to an uncounted one; both mean "nothing".
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from typing import Any
from urllib.parse import urlsplit

from cpa_manager_desktop.cpa.errors import (
    AuthRejected,
    FatalSourceError,
    SourceUnavailable,
    explain_auth_failure,
    is_bad_key_reply,
)
from cpa_manager_desktop.cpa.upstream import Upstream

CONNECT_TIMEOUT_S = 10.0
COMMAND_TIMEOUT_S = 30.0
MAX_BULK_BYTES = 64 * 1024 * 1024


class RespError(Exception):
    """An error reply (`-ERR ...`) from the server."""


class RespQueueSource:
    transport = "resp"

    def __init__(self, upstream: Upstream, *, tls_skip_verify: bool = False) -> None:
        self.upstream = upstream
        self._tls_skip_verify = tls_skip_verify
        parts = urlsplit(upstream.base_url)
        self._host = parts.hostname or "127.0.0.1"
        self._use_tls = parts.scheme == "https"
        self._port = parts.port or (443 if self._use_tls else 80)
        self._sock: socket.socket | None = None
        self._reader: Any = None
        self._command = "LPOP" if upstream.pop_side == "left" else "RPOP"

    def pop(self, count: int) -> list[Any]:
        return list(self.pop_raw(count))

    def pop_raw(self, count: int) -> list[bytes]:
        """Each popped record's bytes as received; [] when the queue was empty."""
        if self._sock is None:
            self._connect()
        try:
            reply = self._call(self._command, self.upstream.queue, str(count))
        except RespError as exc:
            self.close()
            raise _pop_error(str(exc)) from None
        if reply is None:
            return []
        if isinstance(reply, bytes):
            return [reply]
        if isinstance(reply, list):
            return [item if isinstance(item, bytes) else str(item).encode() for item in reply if item is not None]
        self.close()
        raise SourceUnavailable(f"CPA answered {self._command} with an unexpected reply")

    def _connect(self) -> None:
        try:
            raw = socket.create_connection((self._host, self._port), timeout=CONNECT_TIMEOUT_S)
        except OSError as exc:
            raise SourceUnavailable(
                f"Cannot reach CPA's RESP queue at {self._host}:{self._port}: {exc.strerror or exc}"
            ) from None
        raw.settimeout(COMMAND_TIMEOUT_S)
        try:
            sock = self._wrap_tls(raw) if self._use_tls else raw
        except (OSError, ssl.SSLError) as exc:
            raw.close()
            raise SourceUnavailable(f"TLS handshake with CPA failed: {exc}") from None
        self._sock = sock
        self._reader = sock.makefile("rb")
        try:
            self._call("AUTH", self.upstream.management_key)
        except RespError as exc:
            self.close()
            raise AuthRejected(explain_auth_failure(str(exc)), is_bad_key=is_bad_key_reply(str(exc))) from None

    def _wrap_tls(self, raw: socket.socket) -> socket.socket:
        context = ssl.create_default_context()
        if self._tls_skip_verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        # No ALPN on purpose: CPA routes a TLS connection without ALPN by sniffing its first byte.
        return context.wrap_socket(raw, server_hostname=self._host)

    def _call(self, *args: str) -> Any:
        assert self._sock is not None
        try:
            self._sock.sendall(encode_command(args))
            return read_reply(self._reader)
        except (OSError, EOFError) as exc:
            self.close()
            detail = "closed the connection" if isinstance(exc, EOFError) else (str(exc) or "socket error")
            raise SourceUnavailable(f"CPA's RESP queue {detail}") from None
        except ProtocolMismatch as exc:
            self.close()
            raise SourceUnavailable(str(exc)) from None

    def close(self) -> None:
        sock, self._sock, self._reader = self._sock, None, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()


def _pop_error(message: str) -> Exception:
    lowered = message.lower()
    if "unsupported channel" in lowered:
        return FatalSourceError(f"CPA refused the queue name ({message}); set USAGE_RESP_QUEUE=usage")
    if "noauth" in lowered or "banned" in lowered:
        return AuthRejected(explain_auth_failure(message))
    return SourceUnavailable(f"CPA's RESP queue answered an error: {message[:200]}")


class ProtocolMismatch(Exception):
    pass


def encode_command(args: tuple[str, ...] | list[str]) -> bytes:
    parts = [f"*{len(args)}\r\n".encode()]
    for arg in args:
        data = arg.encode("utf-8")
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def _read_line(reader: Any) -> bytes:
    line = reader.readline(MAX_BULK_BYTES)
    if not line:
        raise EOFError
    if not line.endswith(b"\r\n"):
        raise ProtocolMismatch("CPA's RESP reply was cut short")
    return line[:-2]


def read_reply(reader: Any) -> Any:
    """One RESP2 reply: bytes, int, list, None (`$-1`, `*-1`, `_`), or RespError for `-` replies."""
    line = _read_line(reader)
    prefix, rest = line[:1], line[1:]
    if prefix == b"+":
        return rest.decode("utf-8", errors="replace")
    if prefix == b"-":
        raise RespError(rest.decode("utf-8", errors="replace"))
    if prefix == b":":
        return int(rest)
    if prefix == b"$":
        return _read_bulk(reader, int(rest))
    if prefix == b"*":
        length = int(rest)
        return None if length < 0 else [read_reply(reader) for _ in range(length)]
    if prefix == b"_":
        return None
    raise ProtocolMismatch(
        f"unsupported RESP prefix {prefix.decode('latin-1')!r}: this address speaks HTTP, not RESP. "
        "Use CPA's own API port (RESP cannot pass through an HTTP reverse proxy), or upgrade CPA to v6.10.8+"
    )


def _read_bulk(reader: Any, length: int) -> bytes | None:
    if length < 0:
        return None
    if length > MAX_BULK_BYTES:
        raise ProtocolMismatch("CPA sent an oversized RESP value")
    data = reader.read(length + 2)
    if len(data) < length + 2:
        raise EOFError
    return data[:-2]
