"""500 idle or half-sent connections must not lock the panel out (issue 11 §4): Waitress stopped
accepting at its default limit of 100, so the 101st client waited until one went away."""

from __future__ import annotations

from collections.abc import Callable

from tests.idle_connections import idle_connections, probe

DEADLINE_S = 3.0


def test_health_and_panel_answer_with_500_idle_connections_open(start_app: Callable[..., object]) -> None:
    port = start_app().port
    with idle_connections(port, 500):
        for path in ("/health", "/management.html", "/health"):
            status, seconds = probe(port, path, timeout_s=DEADLINE_S)
            assert (status, seconds < DEADLINE_S) == (200, True), (path, status, seconds)
