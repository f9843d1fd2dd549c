"""RESP front end: a port of ``internal/api/redis_queue_protocol.go`` (spec §1.4, §6.6).

Only what CPA implements is here; every other command is an unknown-command error,
which is the point: a consumer that sends SELECT, HELLO or a health-check PING fails.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
from typing import TYPE_CHECKING, BinaryIO

from .state import BAN_PREFIX

if TYPE_CHECKING:
    from .server import CpaDouble

SUBSCRIBER_BUFFER = 256
MAX_BULK = 64 * 1024 * 1024
SUPPORT_REFRESH = b'{"support_refresh":true}'
_CLOSE = object()


class ProtocolError(Exception):
    pass


def encode_bulk(payload: bytes | None) -> bytes:
    if payload is None:
        return b"$-1\r\n"
    return b"$%d\r\n%s\r\n" % (len(payload), payload)


def encode_array(items: list[bytes]) -> bytes:
    return b"*%d\r\n" % len(items) + b"".join(encode_bulk(i) for i in items)


def encode_error(message: str) -> bytes:
    return b"-" + message.encode() + b"\r\n"


def encode_push(kind: str, channel: str, tail: bytes) -> bytes:
    return b"*3\r\n" + encode_bulk(kind.encode()) + encode_bulk(channel.encode()) + tail


def read_command(rfile: BinaryIO) -> list[str] | None:
    """Next command as strings, or None at EOF. Anything but an array is a protocol error."""
    prefix = rfile.read(1)
    if not prefix:
        return None
    if prefix != b"*":
        raise ProtocolError("protocol error")
    count = _read_int_line(rfile)
    if count is None:
        return None
    if count < 0:
        raise ProtocolError("protocol error")
    args = []
    for _ in range(count):
        arg = _read_arg(rfile)
        if arg is None:
            return None
        args.append(arg)
    return args


def _read_line(rfile: BinaryIO) -> bytes | None:
    line = rfile.readline(MAX_BULK)
    if not line.endswith(b"\n"):
        return None
    return line.rstrip(b"\r\n")


def _read_int_line(rfile: BinaryIO) -> int | None:
    line = _read_line(rfile)
    if line is None:
        return None
    try:
        return int(line)
    except ValueError as exc:
        raise ProtocolError("protocol error") from exc


def _read_arg(rfile: BinaryIO) -> str | None:
    prefix = rfile.read(1)
    if not prefix:
        return None
    if prefix in (b"+", b":"):
        line = _read_line(rfile)
        return None if line is None else line.decode("utf-8", "replace")
    if prefix != b"$":
        raise ProtocolError("protocol error")
    length = _read_int_line(rfile)
    if length is None:
        return None
    if length < 0:
        return ""
    if length > MAX_BULK:
        raise ProtocolError("protocol error")
    data = rfile.read(length + 2)
    if len(data) < length + 2:
        return None
    if data[-2:] != b"\r\n":
        raise ProtocolError("protocol error")
    return data[:-2].decode("utf-8", "replace")


class SubscriberConn:
    """A subscribed connection: one writer thread drains a bounded outbox.

    Going through a single writer keeps pushes and command replies in order, and the
    bounded outbox reproduces CPA dropping a subscriber whose 256-message buffer is full.
    """

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._outbox: queue.Queue[object] = queue.Queue()
        self._writer = threading.Thread(target=self._drain, name="cpa-double-resp-writer", daemon=True)
        self._writer.start()

    def send(self, data: bytes) -> None:
        self._outbox.put(data)

    def deliver(self, channel: str, payload: bytes) -> bool:
        if self._outbox.qsize() >= SUBSCRIBER_BUFFER:
            return False
        self._outbox.put(encode_push("message", channel, encode_bulk(payload)))
        return True

    def drop(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)

    def close(self, timeout: float = 5.0) -> None:
        self._outbox.put(_CLOSE)
        self._writer.join(timeout)

    def _drain(self) -> None:
        while True:
            item = self._outbox.get()
            if item is _CLOSE:
                return
            try:
                self._sock.sendall(item)  # type: ignore[arg-type]
            except OSError:
                return


class RespSession:
    def __init__(self, double: CpaDouble, sock: socket.socket, peer_ip: str) -> None:
        self._double = double
        self._sock = sock
        self._ip = peer_ip
        self._local = peer_ip in ("127.0.0.1", "::1")
        self._authed = False
        self._rfile = sock.makefile("rb")

    def run(self) -> None:
        try:
            self._loop()
        finally:
            self._rfile.close()

    def _send(self, data: bytes) -> None:
        self._sock.sendall(data)

    def _loop(self) -> None:
        while self._double.management_enabled:
            try:
                args = read_command(self._rfile)
            except ProtocolError as exc:
                self._send(encode_error(f"ERR {exc}"))
                return
            if args is None:
                return
            if not self._dispatch(args):
                return

    def _dispatch(self, args: list[str]) -> bool:
        """Handle one command; False means the session is over."""
        if not args:
            self._send(encode_error("ERR empty command"))
            return True
        cmd = args[0].strip().upper()
        if cmd != "AUTH" and not self._authed:
            self._send(encode_error(self._unauthenticated_reply()))
            return True
        if cmd == "AUTH":
            self._send(self._auth(args))
        elif cmd in ("LPOP", "RPOP"):
            self._send(self._pop(cmd.lower(), args))
        elif cmd == "SUBSCRIBE":
            return self._subscribe(args)
        else:
            self._send(encode_error(f"ERR unknown command '{cmd.lower()}'"))
        return True

    def _authenticate(self, provided: str) -> tuple[bool, str]:
        double = self._double
        result = double.guard.authenticate(self._ip, self._local, double.allow_remote, double.management_key, provided)
        return result.ok, result.message

    def _unauthenticated_reply(self) -> str:
        # CPA runs a key check with an empty key here, so the attempt counts toward the ban.
        _, message = self._authenticate("")
        if message.startswith(BAN_PREFIX):
            return "ERR " + message
        return "NOAUTH Authentication required."

    def _auth(self, args: list[str]) -> bytes:
        if len(args) not in (2, 3):
            _, message = self._authenticate("")
            if message.startswith(BAN_PREFIX):
                return encode_error("ERR " + message)
            return encode_error("ERR wrong number of arguments for 'auth' command")
        ok, message = self._authenticate(args[-1])
        if not ok:
            return encode_error("ERR " + message)
        self._authed = True
        return b"+OK\r\n"

    def _pop(self, name: str, args: list[str]) -> bytes:
        if len(args) not in (2, 3):
            return encode_error(f"ERR wrong number of arguments for '{name}' command")
        if args[1].strip().lower() != "usage":
            return encode_error(f"ERR unsupported channel '{args[1]}'")
        count = 1
        if len(args) == 3:
            try:
                count = int(args[2].strip())
            except ValueError:
                count = 0
            if count <= 0:
                return encode_error("ERR value is not an integer or out of range")
        items = self._double.pop_for("resp", count)
        if len(args) == 3:
            return encode_array(items)  # `*0` when empty, never a nil array
        return encode_bulk(items[0] if items else None)

    def _subscribe(self, args: list[str]) -> bool:
        if len(args) != 2:
            self._send(encode_error("ERR wrong number of arguments for 'subscribe' command"))
            return True
        channel = args[1].strip().lower()
        if channel not in ("usage", "errors"):
            self._send(encode_error(f"ERR unsupported channel '{args[1].strip()}'"))
            return True
        conn = SubscriberConn(self._sock)
        conn.send(encode_push("subscribe", channel, b":1\r\n"))
        if channel == "usage":
            conn.send(encode_push("message", channel, encode_bulk(SUPPORT_REFRESH)))
        self._double.usage_queue.subscribe(channel, conn)
        try:
            self._subscribed_loop(conn, channel)
        finally:
            self._double.usage_queue.unsubscribe(conn)
            conn.close()
        return False

    def _subscribed_loop(self, conn: SubscriberConn, channel: str) -> None:
        while True:
            try:
                args = read_command(self._rfile)
            except (ProtocolError, OSError) as exc:
                conn.send(encode_error(f"ERR {exc}"))
                return
            if args is None:
                return
            cmd = args[0].strip().upper() if args else ""
            if cmd == "PING":
                conn.send(b"*2\r\n" + encode_bulk(b"pong") + encode_bulk(args[1].encode() if len(args) > 1 else None))
            elif cmd == "UNSUBSCRIBE":
                self._double.usage_queue.unsubscribe(conn)
                conn.send(encode_push("unsubscribe", channel, b":0\r\n"))
                return
            elif cmd == "QUIT":
                self._double.usage_queue.unsubscribe(conn)
                conn.send(b"+OK\r\n")
                return
            elif not args:
                conn.send(encode_error("ERR empty command"))
            else:
                conn.send(encode_error(f"ERR unknown command '{cmd.lower()}'"))


def serve_resp(double: CpaDouble, sock: socket.socket, peer_ip: str) -> None:
    if not double.management_enabled:
        return  # no secret configured: CPA closes RESP connections without a word
    RespSession(double, sock, peer_ip).run()
