"""Retake the README's Client API keys and AI providers screenshots from a real stack. Run from the repository root:

    python build_scripts/screenshots_providers.py [--out docs/screenshots]

Starts the CPA test double in v8 mode with a few client keys (two of them named) and provider keys in several
families, delivers a few hours of traffic on those keys (some failed) so the providers page shows health, runs
the app from source against it until every record is collected, then signs in with Debian's Chromium and saves
keys.png and providers.png. A sibling of screenshots.py, which keeps the dashboard and monitoring shots.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tests import conftest  # noqa: E402  (first: it loads tests.browser, which needs it, in that order)
from tests.browser import CHROMIUM, CHROMIUM_ARGS, go_to, log_in, wait_stored  # noqa: E402
from tests.client import call  # noqa: E402
from tests.cpa_double import CpaDouble, make_record  # noqa: E402
from tests.processes import free_port, healthy, launch  # noqa: E402

KEY = "screenshot-management-key"
CLIENT_KEYS = {"sk-team-laptop-7Qm2xLk9": "Team laptop", "sk-ci-runner-Hw4pZt81": "CI runner",
               "sk-legacy-script-0Xc3": ""}
PROVIDERS: dict[str, list[dict[str, Any]]] = {
    "gemini-api-key": [{"api-key": "AIzaSyA-example-primary-Kp3d"},
                       {"api-key": "AIzaSyB-example-backup-Qw7e", "prefix": "backup", "weight": 20}],
    "codex-api-key": [{"api-key": "sk-proj-example-codex-Lm8n", "base-url": "https://api.openai.com/v1",
                       "models": [{"name": "gpt-5.4", "alias": "gpt-default"}]}],
    "claude-api-key": [{"api-key": "sk-ant-example-claude-Rt5v", "priority": 10}],
    "openai-compatibility": [{"name": "openrouter", "base-url": "https://openrouter.example/api/v1",
                              "api-key-entries": [{"api-key": "sk-or-example-one-Zx1c"}],
                              "models": [{"name": "moonshotai/kimi-k2", "alias": "kimi-k2"}]}],
}


def put(cpa: CpaDouble, path: str, body: Any, tree: str = "v0") -> None:
    method = "PATCH" if tree == "v8" else "PUT"
    reply = call(method, f"{cpa.base_url}/{tree}/management{path}", key=KEY, json_body=body)
    assert reply.status == 200, reply


def seed(cpa: CpaDouble) -> int:
    """Keys, names and providers into the double, and traffic on the provider keys; returns the record count."""
    put(cpa, "/api-keys", list(CLIENT_KEYS))
    names = {hashlib.sha256(k.encode()).hexdigest(): n for k, n in CLIENT_KEYS.items() if n}
    put(cpa, "/access/api-key-names", {"names": names}, tree="v8")
    for family, entries in PROVIDERS.items():
        put(cpa, f"/{family}", entries)
    indexes = [e["auth-index"] for e in call("GET", f"{cpa.base_url}/v0/management/gemini-api-key",
                                             key=KEY).json["gemini-api-key"]]
    indexes += [e["auth-index"] for e in call("GET", f"{cpa.base_url}/v0/management/claude-api-key",
                                              key=KEY).json["claude-api-key"]]
    now = datetime.now(UTC).replace(microsecond=0)
    records = []
    for seq in range(60):
        index = indexes[seq % len(indexes)]
        record = make_record(provider="gemini", model="gemini-2.5-pro", seq=seq, request_id=f"shot-{seq:03d}",
                             failed=seq % 9 == 4, status_code=429, auth_type="apikey",
                             timestamp=now - timedelta(minutes=5 * seq + 3))
        record["auth_index"] = index
        records.append(record)
    cpa.enqueue(*records)
    return len(records)


def shoot(page: Page, base_url: str, out: Path) -> None:
    log_in(page, base_url, KEY)
    go_to(page, "Client API keys", "Client API keys")
    expect(page.get_by_text("Team laptop", exact=True)).to_be_visible()
    page.screenshot(path=str(out / "keys.png"), full_page=True)
    go_to(page, "AI providers", "AI providers")
    expect(page.get_by_text(" failed in 24 h.").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out / "providers.png"), full_page=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    cpa = CpaDouble(KEY, version="v8.0.47").start()
    with tempfile.TemporaryDirectory() as work:
        port = free_port()
        env = {"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"}
        app = launch(Path(work) / "config.json", port, env=env, stdout=subprocess.DEVNULL)
        base_url = f"http://127.0.0.1:{port}"
        try:
            conftest.wait_until(lambda: healthy(port), 20, "the app")
            wait_stored(base_url, KEY, seed(cpa))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 860}, color_scheme="light")
                shoot(page, base_url, args.out)
                browser.close()
        finally:
            app.terminate()
            app.wait(20)
            cpa.stop()
    print(f"wrote {args.out / 'keys.png'} and {args.out / 'providers.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
