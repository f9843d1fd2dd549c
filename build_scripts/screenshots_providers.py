"""Retake the README's Client API keys and AI providers screenshots from a real stack. Run from the repository root:

    python build_scripts/screenshots_providers.py [--out docs/screenshots]

Starts the CPA test double in v8 mode with a few client keys (two of them named) and provider keys in several
families, delivers a few hours of traffic on those keys (some failed) so the providers page shows health, runs
the app from source against it until every record is collected, then signs in with Debian's Chromium and saves
keys.png and providers.png. A sibling of screenshots.py, which keeps the dashboard and monitoring shots.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from screenshot_kit import KEY, app_from_source, out_dir, signed_in  # first: it puts the repository on sys.path

# isort: split
from playwright.sync_api import Page, expect

from tests.browser import go_to, wait_stored
from tests.client import call
from tests.cpa_double import CpaDouble, make_record

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


def shoot(page: Page, out: Path) -> None:
    go_to(page, "Client API keys", "Client API keys")
    expect(page.get_by_text("Team laptop", exact=True)).to_be_visible()
    page.screenshot(path=str(out / "keys.png"), full_page=True)
    go_to(page, "AI providers", "AI providers")
    expect(page.get_by_text(" failed in 24 h.").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out / "providers.png"), full_page=True)


def main() -> int:
    out = out_dir(__doc__)
    with CpaDouble(KEY, version="v8.0.47") as cpa, app_from_source(cpa, fast_poll=True) as base_url:
        wait_stored(base_url, KEY, seed(cpa))
        with signed_in(base_url, height=860) as page:
            shoot(page, out)
    print(f"wrote {out / 'keys.png'} and {out / 'providers.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
