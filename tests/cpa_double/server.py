"""A faithful in-process test double of CLIProxyAPI (CPA) v7.2.x and v8, per shared/spec/cpa-protocol.md §6,
cpa-management-api.md and cpa-v8.md.

What it models, on one TCP port bound to 127.0.0.1 (first byte ``* $ + - :`` → RESP, else HTTP):
  * the global usage FIFO with per-item timestamps, lazy expiry by an injectable clock,
    destructive pops shared between HTTP and RESP, and pub/sub diversion to ``usage``
    subscribers (records then bypass the FIFO), including the 256-message subscriber drop;
  * the management middleware: Bearer / bare Authorization / X-Management-Key, the check
    order ban → remote → key, 401/403 bodies, the shared HTTP+RESP 5-strike / 30-minute ban,
    Gin's trusting ClientIP (left-most X-Forwarded-For, X-Real-IP, peer), X-CPA-* headers,
    CORS preflight, 404-with-empty-body when no secret exists, NoRoute 404 only after auth;
  * version modes from ``version``: ``/v8/management`` exists from v8.0 (on v7 it is Gin's NoRoute:
    404, empty body, no key check, no X-CPA-* headers);
  * a real config.yaml file (``config_path``) edited like CPA edits it: comments survive writes,
    ``GET /config`` is the flat runtime view with load defaults whatever the layout, ``/config.yaml``
    GET/PUT with yaml.v3-style errors and a few validator rules, the §1.4 single-field setters,
    the v8 config tree (bare values, ``null`` stored, PATCH merge, DELETE prune) and the rewrite of a
    flat file into ``config-version: 8`` on the first v8 write;
  * client ``/api-keys`` (§2) and v8 ``/access/api-key-names``; the provider families (§3: GET with
    auth-index, PUT normalisation and drops, PATCH, DELETE; ``meta-api-key`` on v8) as views over
    the file, regrouped on a v8 file; Ampcode routes below v7.2.0 (inferred shapes);
  * ``/api-call`` (and ``/requests/api-call``) with ``$TOKEN$`` substitution against a pluggable
    ``upstream`` (no network), ``/model-definitions/{channel}`` with a small catalogue; CPA's own quota
    routes (v8 ``/credentials/quota/*``, v0 ``/quota/*`` after v7.2.140) with test-registered plugins;
  * ``GET /usage-queue`` (and its v8 path), ``/latest-version``, canned stubs for
    CPA's log folder and the §8 log routes (``logs``); credentials (``credentials``: ``/auth-files*``, v8
    ``/credentials*``, vertex import), OAuth login (``oauth``) and the OAuth model maps (``oauth_maps``);
    ``/v1/models`` behind the config's
    client api-keys, ``/healthz``, ``/management.html``;
  * the RESP subset CPA implements (AUTH, LPOP/RPOP usage, SUBSCRIBE usage|errors) with its
    exact replies, and version switches for CPAs without the HTTP queue or without RESP;
  * test hooks: ``fail_next`` (refuse or drop one request), ``recorded()`` (every request, with
    the first MiB of its body), ``write_config_text`` (an out-of-band edit), ``api_calls``.

What it deliberately leaves out: TLS/ALPN, bcrypt secrets (the file's ``secret-key`` is a fixed
hash; the key that works is the constructor's ``management_key``), the TUI local password and
MANAGEMENT_PASSWORD, Home mode, hot-reload latency (writes apply at once), the extra keys CPA
appends on its first save, most of CPA's config validation, the async gap before a new key's
auth-index appears, proxies for /api-call, the AI proxy routes themselves, plugins (but for the quota
providers above) and real OAuth providers (OAuth flows finish through test hooks:
``oauth.complete``/``oauth.fail``; see ``oauth``).
"""

from __future__ import annotations

import contextlib
import json
import socket
import tempfile
import threading
from pathlib import Path
from typing import Any

from .api_call import ApiCall, ApiCallLog, FakeUpstream, Upstream
from .clock import FakeClock
from .config_access import ConfigAccess
from .config_file import ConfigStore
from .config_text import default_config_yaml
from .credential_store import CredentialStore
from .httpd import CpaHttpHandler
from .log_files import LogDir
from .management import is_valid_json
from .messages import InjectedFailure, RecordedRequest
from .oauth import OAuthFlows
from .quota_plugins import QuotaPlugins
from .quota_upstream import QuotaAccount, QuotaAccounts, credential_for
from .resp import SUPPORT_REFRESH, serve_resp
from .state import AuthGuard, UsageQueue
from .version import parse_version

RESP_PREFIXES = frozenset(b"*$+-:")
SNIFF_TIMEOUT_S = 10.0
JOIN_TIMEOUT_S = 5.0
# What Go's net/http writes for a request line it cannot parse (server.go, conn.serve).
GO_BAD_REQUEST = (
    b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request"
)
REFRESH = b'{"refresh":true}'



class CpaDouble(ConfigAccess):
    def __init__(
        self,
        management_key: str | None = "test-management-key",
        *,
        usage_statistics_enabled: bool = True,
        http_queue_supported: bool = True,
        resp_supported: bool = True,
        retention_s: int = 60,
        allow_remote: bool = False,
        api_keys: list[str] | None = None,
        version: str = "v7.2.140",
        port: int = 0,
        clock: FakeClock | None = None,
        management_html: bytes | None = None,
        config_yaml: str | None = None,
        latest_version: str | None = "v7.2.141",
    ) -> None:
        self.clock = clock or FakeClock()
        self._management_key = management_key
        self._stats_enabled = usage_statistics_enabled
        self.http_queue_supported = http_queue_supported
        self.resp_supported = resp_supported
        self.allow_remote = allow_remote
        self.version = version
        # None answers 502 like an offline CPA (cpa-management-api §1.5).
        self.latest_version = latest_version
        # CPA serves whichever panel build sits in its static folder; a test can drop ours in.
        self.management_html = management_html
        self.port = port
        self.http_queue_status: int | None = None
        self.not_json_payloads: set[bytes] = set()
        self.usage_queue = UsageQueue(self.clock, retention_s)
        self._failures: list[InjectedFailure] = []
        # What /api-call reaches instead of the network; replace it to script an upstream.
        self.upstream: Upstream = FakeUpstream(self)
        # Credentials whose provider quota the upstream answers from recorded shapes (quota_upstream.py).
        self.quota_accounts = QuotaAccounts(on_add=self._list_quota_account)
        self._api_calls = ApiCallLog()
        # CPA's own quota providers (plugins) behind /credentials/quota/* (quota_plugins.py); none by default.
        self.quota_plugins = QuotaPlugins()
        # config.yaml lives in a private temp dir, removed when the double is garbage-collected.
        self._config_dir = tempfile.TemporaryDirectory(prefix="cpa-double-")
        if config_yaml is None:
            config_yaml = default_config_yaml(
                usage_statistics_enabled=usage_statistics_enabled, retention_s=retention_s,
                api_keys=list(api_keys or []), allow_remote=allow_remote)
        self.config = ConfigStore(Path(self._config_dir.name), config_yaml, self._config_changed)
        self._config_changed()
        self.guard = AuthGuard(self.clock)
        # CPA's log folder (main.log, error-*.log, request logs); test hooks on ``logs`` (log_files.LogDir).
        self.logs = LogDir(Path(self._config_dir.name) / "logs", self.clock)
        # Credentials (auth files) and OAuth flows: tests/cpa_double/credential_store.py and oauth.py.
        self.credentials = CredentialStore(self.clock, is_v8=self.is_v8)
        self.oauth = OAuthFlows(self)
        self._lock = threading.Lock()
        self._pop_calls = {"http": 0, "resp": 0}
        self._requests: list[RecordedRequest] = []
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._conns: dict[socket.socket, threading.Thread] = {}
        self._stopping = threading.Event()

    def _list_quota_account(self, account: QuotaAccount) -> None:
        name, data = credential_for(account)
        self.credentials.add(name, data).auth_index_override = account.auth_index

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> CpaDouble:
        if self._listener is not None:
            return self
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Lets a test restart the double on the same port while old sockets sit in TIME_WAIT.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        listener.settimeout(0.2)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stopping.clear()
        self._accept_thread = threading.Thread(target=self._accept_loop, name=f"cpa-double-{self.port}", daemon=True)
        self._accept_thread.start()
        return self

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is None:
            return
        self._stopping.set()
        self.quota_accounts.released.set()  # a held quota call must not keep its connection thread waiting
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes a blocked accept() at once on Linux
        with contextlib.suppress(OSError):
            listener.close()
        if self._accept_thread is not None:
            self._accept_thread.join(JOIN_TIMEOUT_S)
        with self._lock:
            conns = list(self._conns.items())
        for sock, _ in conns:
            # shutdown (not just close) wakes the thread blocked in recv on this socket.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for _, thread in conns:
            thread.join(JOIN_TIMEOUT_S)

    def __enter__(self) -> CpaDouble:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        listener = self._listener
        while listener is not None and not self._stopping.is_set():
            try:
                sock, addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(
                target=self._serve, args=(sock, addr), daemon=True, name=f"cpa-double-conn-{addr[1]}"
            )
            with self._lock:
                self._conns[sock] = thread
            thread.start()

    def _serve(self, sock: socket.socket, addr: tuple[str, int]) -> None:
        try:
            # Headers and body leave in separate writes; Nagle would stall every keep-alive reply.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.settimeout(SNIFF_TIMEOUT_S)
            first = sock.recv(1, socket.MSG_PEEK)
            sock.settimeout(None)
            if not first or self._stopping.is_set():
                return
            if first[0] not in RESP_PREFIXES:
                CpaHttpHandler(sock, addr, self)
            elif self.resp_supported:
                serve_resp(self, sock, addr[0])
            else:
                _reject_as_bad_http(sock)
        except OSError:
            pass  # clients vanish mid-request all the time; the double must not care
        finally:
            with self._lock:
                self._conns.pop(sock, None)
            with contextlib.suppress(OSError):
                sock.close()

    # --- management state -------------------------------------------------------------------

    @property
    def management_key(self) -> str | None:
        return self._management_key

    @management_key.setter
    def management_key(self, key: str | None) -> None:
        # Changing the key is a rotation; removing it disables management, as on CPA reload.
        self._management_key = key
        if not key:
            self.usage_queue.disable()

    @property
    def management_enabled(self) -> bool:
        return bool(self._management_key)

    @property
    def usage_statistics_enabled(self) -> bool:
        return self._stats_enabled

    def set_usage_statistics_enabled(self, on: bool) -> None:
        self._set_config(("usage-statistics-enabled",), bool(on))

    # --- version ----------------------------------------------------------------------------

    @property
    def version_info(self) -> tuple[int, int, int] | None:
        return parse_version(self.version)

    @property
    def is_v8(self) -> bool:
        """Serves /v8/management (major version 8 or later)."""
        info = self.version_info
        return info is not None and info[0] >= 8

    @property
    def serves_ampcode(self) -> bool:
        """CPA removed the /ampcode* routes in v7.2.0."""
        info = self.version_info
        return info is not None and info < (7, 2, 0)

    # --- test hooks -------------------------------------------------------------------------

    def fail_next(self, method: str, path: str, status: int = 500, body: Any = None, *, drop: bool = False) -> None:
        """Answer the next ``method path`` request with ``status``/``body`` (default ``{"error":"injected"}``)
        without handling it, or with ``drop=True`` close the connection without answering. The request is
        still recorded. Queue several calls to fail several requests."""
        with self._lock:
            self._failures.append(InjectedFailure(method.upper(), path, status, body, drop))

    def record_api_call(self, call: ApiCall) -> None:
        self._api_calls.add(call)

    @property
    def api_calls(self) -> list[ApiCall]:
        """Every /api-call made, with headers after ``$TOKEN$`` substitution."""
        return self._api_calls.all()

    def take_failure(self, method: str, path: str) -> InjectedFailure | None:
        with self._lock:
            for index, failure in enumerate(self._failures):
                if failure.method == method.upper() and failure.path == path:
                    return self._failures.pop(index)
        return None

    def set_http_queue_status(self, status: int | None) -> None:
        self.http_queue_status = status

    def auth_failures(self, ip: str = "127.0.0.1") -> int:
        return self.guard.failures(ip)

    def failed_logins(self, ip: str = "127.0.0.1") -> int:
        """All failed logins from ip since the double started (auth_failures() resets like CPA's counter)."""
        return self.guard.failed_logins.get(ip, 0)

    def is_banned(self, ip: str = "127.0.0.1") -> bool:
        return self.guard.is_banned(ip)

    # --- queue ------------------------------------------------------------------------------

    def enqueue(self, *items: dict[str, Any] | str | bytes) -> None:
        """Publish records as CPA's usage plugin would; dropped unless management and stats are on."""
        for item in items:
            if not (self.management_enabled and self._stats_enabled):
                continue
            payload = _payload(item)
            if not is_valid_json(payload):
                # Decided once here rather than at every pop: Go's json.Valid is cheap, Python's
                # json.loads is not, and the benchmarks must not measure the double.
                self.not_json_payloads.add(payload)
            self.usage_queue.enqueue(payload)

    def publish_refresh(self) -> None:
        self.usage_queue.publish("usage", REFRESH)

    def publish_support_refresh(self) -> None:
        self.usage_queue.publish("usage", SUPPORT_REFRESH)

    def publish_error(self, event: dict[str, Any]) -> None:
        self.usage_queue.publish("errors", _payload(event))

    def pop_for(self, protocol: str, count: int) -> list[bytes]:
        with self._lock:
            self._pop_calls[protocol] += 1
        return self.usage_queue.pop(count)

    def queue_length(self) -> int:
        return self.usage_queue.length()

    def popped(self) -> list[bytes]:
        return self.usage_queue.popped()

    def subscriber_count(self, channel: str = "usage") -> int:
        return self.usage_queue.subscriber_count(channel)

    @property
    def pop_calls(self) -> dict[str, int]:
        with self._lock:
            return dict(self._pop_calls)

    # --- request log ------------------------------------------------------------------------

    def record_request(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def recorded(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.recorded()

    def open_connections(self) -> int:
        with self._lock:
            return len(self._conns)


def _reject_as_bad_http(sock: socket.socket) -> None:
    """What a CPA without RESP does with RESP bytes: net/http answers 400 and closes.

    Go has already buffered the client's bytes when it closes; draining them here keeps the
    close a FIN instead of an RST that would destroy the 400 before the client reads it.
    """
    sock.setblocking(False)
    with contextlib.suppress(BlockingIOError):
        while sock.recv(65536):
            pass
    sock.setblocking(True)
    sock.sendall(GO_BAD_REQUEST)
    sock.shutdown(socket.SHUT_WR)


def _payload(item: dict[str, Any] | str | bytes) -> bytes:
    if isinstance(item, bytes):
        return item
    if isinstance(item, str):
        return item.encode("utf-8")
    return json.dumps(item, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
