"""RESP over TLS (an https CPA URL): verified by default, optionally unverified."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from cpa_manager_desktop.cpa.errors import SourceUnavailable
from cpa_manager_desktop.cpa.resp import RespQueueSource
from cpa_manager_desktop.cpa.upstream import Upstream
from tests.cpa_double import CpaDouble, records

KEY = "test-management-key"


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to make a throwaway certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                    "-days", "1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


class TlsRelay:
    """Terminates TLS like CPA with tls.enable, and relays the plaintext bytes to the double."""

    def __init__(self, target_port: int, cert: Path, key: Path) -> None:
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(cert, key)
        self._target_port = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while True:
            try:
                raw, _ = self._listener.accept()
            except OSError:
                return
            try:
                client = self._context.wrap_socket(raw, server_side=True)
            except (ssl.SSLError, OSError):
                raw.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self._target_port))
            self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                thread = threading.Thread(target=_pump, args=(source, sink), daemon=True)
                thread.start()
                self._threads.append(thread)

    def close(self) -> None:
        # shutdown() wakes threads blocked in accept()/recv(); close() alone does not on Linux.
        for sock in (self._listener, *self._sockets):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._accepting.join(5)
        for thread in self._threads:
            thread.join(5)


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@pytest.fixture
def relay(certificate: tuple[Path, Path]) -> Iterator[tuple[CpaDouble, TlsRelay]]:
    double = CpaDouble(KEY).start()
    tls = TlsRelay(double.port, *certificate)
    yield double, tls
    tls.close()
    double.stop()


def test_unverified_tls_pops_records(relay: tuple[CpaDouble, TlsRelay]) -> None:
    double, tls = relay
    double.enqueue(*records.mixed_records(30, seed=20))
    source = RespQueueSource(Upstream(f"https://localhost:{tls.port}", KEY), tls_skip_verify=True)
    try:
        items = source.pop(100)
    finally:
        source.close()
    assert len(items) == 30 and double.queue_length() == 0 and double.auth_failures() == 0


def test_verified_tls_refuses_an_untrusted_certificate(relay: tuple[CpaDouble, TlsRelay]) -> None:
    double, tls = relay
    double.enqueue(*records.mixed_records(5, seed=21))
    source = RespQueueSource(Upstream(f"https://localhost:{tls.port}", KEY))
    with pytest.raises(SourceUnavailable, match=r"TLS handshake with CPA failed.*CERTIFICATE_VERIFY_FAILED"):
        source.pop(10)
    assert double.queue_length() == 5 and double.auth_failures() == 0
