"""Waitress on a worker thread, with a shutdown that does not hang on keep-alive clients."""

from __future__ import annotations

import errno
import logging
import threading
from typing import Any

import waitress
from waitress.server import BaseWSGIServer

from cpa_manager_desktop.errors import AppError

log = logging.getLogger(__name__)


# Above the import limit (256 MiB) so the import route can answer 413 itself with a clear sentence.
MAX_REQUEST_BODY_BYTES = 272 * 1024 * 1024
# Idle and half-sent connections must not lock the panel out (issue 11 §4). Waitress stops accepting at
# connection_limit (default 100: about 100 silent sockets made the panel unreachable), so the limit is
# well above what a browser opens (6 per host, ~256 in all), silent connections are closed after
# CHANNEL_TIMEOUT_S (a connection busy with a response is never closed for it), the sweep runs often,
# and headers are capped so a drip-fed request cannot grow forever. poll() instead of select():
# select() cannot watch descriptors above 1024.
SERVER_LIMITS: dict[str, Any] = {
    "connection_limit": 1000,
    "channel_timeout": 30,
    "cleanup_interval": 5,
    "max_request_header_size": 64 * 1024,
    "asyncore_use_poll": True,
}


class BindError(AppError):
    code = "address_in_use"


class HttpServer:
    # Each streamed export or proxied download holds a thread for its whole duration.
    def __init__(self, app: Any, host: str, port: int, *, threads: int = 16) -> None:
        self._app = app
        self._host = host
        self._requested_port = port
        self._threads = threads
        self._map: dict[int, Any] = {}
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def bind(self) -> int:
        """Open the listening socket; returns the bound port. Raises BindError with a plain sentence."""
        raise_open_file_limit(SERVER_LIMITS["connection_limit"] + 200)
        try:
            server = waitress.create_server(
                self._app, map=self._map, host=self._host, port=self._requested_port, threads=self._threads,
                ident="cpa-manager", expose_tracebacks=False, clear_untrusted_proxy_headers=True,
                max_request_body_size=MAX_REQUEST_BODY_BYTES, **SERVER_LIMITS,
            )
        except OSError as exc:
            raise BindError(_bind_message(self._host, self._requested_port, exc)) from None
        self._server = server
        return self.port

    @property
    def port(self) -> int:
        assert self._server is not None, "bind() first"
        return int(self._server.effective_port)

    def start(self) -> None:
        assert self._server is not None, "bind() first"
        self._thread = threading.Thread(target=self._server.run, name="http", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Close the listener and every open connection (close() alone waits for keep-alive clients)."""
        server, self._server = self._server, None
        if server is None:
            return

        def close_all() -> None:
            # One broken dispatcher must not keep the rest open; the loop ends once the map is empty.
            for fd, dispatcher in list(self._map.items()):
                try:
                    dispatcher.close()
                except OSError as exc:
                    log.warning("closing %r failed: %s", dispatcher, exc)
                    self._map.pop(fd, None)

        try:
            server.trigger.pull_trigger(close_all)
        except OSError as exc:
            # The loop's wake-up pipe is gone, so the loop cannot run close_all; do it from here.
            log.warning("http server wake-up failed (%s); closing its connections directly", exc)
            close_all()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("http server thread did not stop within %.0f s", timeout_s)
        server.task_dispatcher.shutdown(timeout=timeout_s)


def _bind_message(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (f"Port {port} on {host} is already in use by another program. Stop that program or choose "
                f"another address with --addr HOST:PORT (or HTTP_ADDR / httpAddr in config.json)")
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"Cannot listen on {host}:{port}: that address does not belong to this computer"
    if exc.errno == errno.EACCES:
        return f"Not allowed to listen on {host}:{port}; choose a port above 1024"
    return f"Cannot listen on {host}:{port}: {exc.strerror or exc}"


def raise_open_file_limit(wanted: int) -> None:
    """Lift the soft limit on open files towards wanted (macOS starts at 256, many Linux sessions at 1024),
    so the connection limit above is reachable; never above the hard limit, never lowered."""
    try:
        import resource
    except ImportError:  # Windows: no per-process soft limit to raise
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as exc:
            log.info("could not raise the open-file limit from %d: %s", soft, exc)
