"""Retake the README's Logs and System screenshots from a real stack. Run from the repository root:

    python build_scripts/screenshots_cpa_pages.py [--out docs/screenshots]

Starts the CPA test double with file logging on, an hour of log lines in CPA's format and two error-log
files, runs the app from source against it, signs in with Debian's Chromium and saves logs.png and
system.png. (build_scripts/screenshots.py takes the dashboard and monitoring shots.)
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from screenshot_kit import KEY, app_from_source, out_dir, signed_in  # first: it puts the repository on sys.path

# isort: split
from playwright.sync_api import Page, expect

from tests.browser import go_to
from tests.client import call
from tests.cpa_double import CpaDouble

ERROR_LOG = "error-v1-responses-2026-12-05T101502-3f9a2c11.log"
CLIENT_KEYS = ["sk-team-frontend-0001", "sk-team-data-0002", "sk-ci-runner-0003"]
REQUESTS = (
    ('200 | 2.841s | 10.0.0.12 | POST "/v1/chat/completions"', "info"),
    ('200 | 5.102s | 10.0.0.12 | POST "/v1/messages"', "info"),
    ('200 | 1.2ms | 127.0.0.1 | GET "/v0/management/config"', "info"),
    ('200 | 910µs | 127.0.0.1 | GET "/v0/management/usage-queue?count=100"', "info"),
    ("credential cooling down after 429: claude-bob@example.com.json (retry in 31s)", "warn"),
    ('502 | 12.4s | 10.0.0.31 | POST "/v1/responses"', "error"),
    ("upstream codex returned 500: stream closed before completion", "error"),
    ("refreshing OAuth token for alice@example.com", "debug"),
)


def write_logs(cpa: CpaDouble) -> None:
    rng = random.Random(7)
    now = time.time()
    for i in range(400):
        message, level = REQUESTS[rng.randrange(len(REQUESTS))]
        request_id = "--------" if "/v0/management" in message or level == "debug" else f"{rng.getrandbits(32):08x}"
        cpa.logs.log(level, message, request_id, when=now - 3600 + i * 9)
    body = "=== REQUEST INFO ===\nURL: /v1/responses\n=== RESPONSE ===\n502 Bad Gateway\n"
    cpa.logs.add_error_log(ERROR_LOG, body, modified=now - 1800)
    cpa.logs.add_error_log("error-v1-chat-completions-2026-12-05T104410-8be01d7a.log", body, modified=now - 300)


def shoot(page: Page, out: Path) -> None:
    go_to(page, "Logs", "Logs")
    page.get_by_label("Hide management traffic").check()
    page.get_by_label("Search").fill("codex")
    expect(page.get_by_role("button", name=f"Download {ERROR_LOG}")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out / "logs.png"), full_page=True)
    go_to(page, "System", "System")
    expect(page.get_by_text("Update available: v7.2.141")).to_be_visible()
    expect(page.get_by_text("8 models")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out / "system.png"), full_page=True)


def main() -> int:
    out = out_dir(__doc__)
    with CpaDouble(KEY, api_keys=CLIENT_KEYS, latest_version="v7.2.141") as cpa:
        logging_on = call("PUT", f"{cpa.base_url}/v0/management/logging-to-file", key=KEY,
                          json_body={"value": True})
        assert logging_on.status == 200
        write_logs(cpa)
        with app_from_source(cpa) as base_url, signed_in(base_url, height=1100) as page:
            shoot(page, out)
    print(f"wrote {out / 'logs.png'} and {out / 'system.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
