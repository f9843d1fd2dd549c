"""GET /logs/tail: the last lines of our own log, redacted, behind the Management Key."""

from __future__ import annotations

from collections.abc import Callable

from cpa_manager_desktop.app import App
from cpa_manager_desktop.logs import LOG_FILE_NAME, SecretFilter
from cpa_manager_desktop.service.logtail import LogTail
from tests.client import assert_error, call
from tests.conftest import CPA_KEY
from tests.cpa_double import CpaDouble

LEAKY = "sk-live-0123456789abcdefghij"


def test_tail_returns_the_last_lines_redacted(start_app: Callable[..., App], cpa: CpaDouble) -> None:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY})
    log_file = app.settings.log_dir / LOG_FILE_NAME
    log_file.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"2026-12-05 10:00:{i:02d} INFO test: line {i}" for i in range(300)]
    lines[-1] = f"2026-12-05 10:05:00 WARNING test: upstream key={LEAKY} key {CPA_KEY} leaked"
    log_file.write_text("\n".join(lines) + "\n")

    reply = call("GET", f"{app.base_url}/logs/tail?lines=3", key=CPA_KEY)
    assert reply.status == 200
    body = reply.json
    assert body["file"] == str(log_file)
    assert body["lines"][:2] == lines[-3:-1]
    assert LEAKY not in body["lines"][2] and CPA_KEY not in body["lines"][2]
    assert body["lines"][2].startswith("2026-12-05 10:05:00 WARNING test: upstream key=")
    assert len(call("GET", f"{app.base_url}/logs/tail", key=CPA_KEY).json["lines"]) == 200


def test_tail_needs_the_key_and_a_sane_count(start_app: Callable[..., App], cpa: CpaDouble) -> None:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": CPA_KEY})
    assert call("GET", f"{app.base_url}/logs/tail").status == 401
    assert_error(call("GET", f"{app.base_url}/logs/tail?lines=0", key=CPA_KEY), 400, "lines must be a whole number")
    assert_error(call("GET", f"{app.base_url}/logs/tail?lines=x", key=CPA_KEY), 400, "lines must be a whole number")


def test_tail_of_a_missing_or_huge_log(tmp_path) -> None:
    secrets = SecretFilter()
    tail = LogTail(tmp_path / "none.log", secrets.redact)
    assert tail.tail(5) == []
    big = tmp_path / "big.log"
    big.write_bytes(b"first\n" + b"x" * 9_000_000 + b"\nlast \xff\n")
    assert LogTail(big, secrets.redact).tail(2) == ["x" * 4096, "last \ufffd"]
