"""Which transport the collector uses: auto mode's HTTP → RESP fallback and the periodic HTTP re-probe,
so a CPA upgraded to v6.10.8+ goes back to the HTTP queue without a restart."""

from __future__ import annotations

import logging

from cpa_manager_desktop.collector.backoff import Backoff

log = logging.getLogger(__name__)
REPROBE_HTTP_S = 600.0


class TransportChoice:
    """Per-start state: the transport in use, its backoff, and when to re-probe HTTP or re-check CPA."""

    def __init__(self, mode: str, backoff: Backoff) -> None:
        self.mode = mode
        self.transport = "resp" if mode == "resp" else "http"
        self.backoff = backoff
        self.next_http_probe = 0.0
        self.is_probing_http = False
        self.next_health_check = 0.0
        self.empty_since: float | None = None     # when the current run of empty pops began
        self.next_publishing_check = 0.0

    def choose_transport(self, now: float) -> str:
        self.is_probing_http = (
            self.mode == "auto" and self.transport == "resp" and now >= self.next_http_probe
        )
        return "http" if self.is_probing_http else self.transport

    def fall_back_to_resp(self, now: float) -> None:
        self.transport = "resp"
        self.is_probing_http = False
        self.next_http_probe = now + REPROBE_HTTP_S

    def http_probe_failed(self, now: float) -> None:
        self.is_probing_http = False
        self.next_http_probe = now + REPROBE_HTTP_S

    def succeeded(self, transport: str) -> None:
        if transport == "http" and self.transport == "resp":
            log.info("HTTP usage queue answered again, switching back from RESP")
            self.transport = "http"
        self.is_probing_http = False
        self.backoff.reset()
