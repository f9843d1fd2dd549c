"""The AI providers page with many keys in a real browser: time to ready. Prints figures; asserts nothing.

    python bench/panel_providers.py [--keys 500] [--repeat 7] [--version v8.0.47]

Starts the CPA test double (tests/cpa_double) holding --keys provider keys spread over five families (Gemini,
Codex, Claude, xAI, OpenAI-compatible), delivers a day of traffic on a fifth of them so health lines have
figures, runs the app from source against it (its own process, headless) until every record is stored, opens
the bundled panel in Debian's Chromium through Playwright, signs in and measures:

  ready  from setting location.hash to "#/providers" (from an idle page, traffic quiet) until the page is READY:
         the heading is "AI providers", every key's card is rendered (as many masked keys as --keys), every
         health line has its figures (no "Loading…" left in <main>) and the page is not aria-busy.

Times are taken inside the page with performance.now() (start just before the hash is set; end by a check on
every animation frame, so up to one frame late, never early). One cold run, then --repeat warm runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests import conftest  # noqa: E402  (first: it loads tests.browser, which needs it, in that order)
from tests.browser import CHROMIUM, CHROMIUM_ARGS, log_in, wait_stored  # noqa: E402
from tests.client import call  # noqa: E402
from tests.cpa_double import CpaDouble, make_record  # noqa: E402
from tests.processes import free_port, healthy, launch  # noqa: E402

KEY = "bench-management-key"
TARGET_MS = 500.0
WAIT_MS = 60_000
IDLE_HASH = "#/bench-idle"
# Share of the keys per family; OpenAI-compatible providers get one key each.
SHARES = {"gemini-api-key": 0.4, "codex-api-key": 0.2, "claude-api-key": 0.2, "xai-api-key": 0.1,
          "openai-compatibility": 0.1}
READY_JS = """(keys) => {
  const main = document.querySelector("main");
  if (!main) return false;
  const h1 = main.querySelector("h1");
  if (!h1 || h1.textContent !== "AI providers") return false;
  if (main.querySelector("[aria-busy='true']")) return false;
  if (main.textContent.includes("Loading…")) return false;
  if (main.querySelectorAll("code").length < keys) return false;
  return performance.now();
}"""


def family_entries(family: str, count: int) -> list[dict[str, Any]]:
    if family == "openai-compatibility":
        return [{"name": f"compat-{i:03d}", "base-url": f"https://compat-{i:03d}.example/v1",
                 "api-key-entries": [{"api-key": f"sk-compat-{i:03d}-{'x' * 24}"}],
                 "models": [{"name": "model-a", "alias": "a"}]} for i in range(count)]
    base = {"codex-api-key": "https://api.openai.com/v1", "xai-api-key": "https://api.x.ai/v1"}.get(family)
    out = []
    for i in range(count):
        entry: dict[str, Any] = {"api-key": f"sk-{family[:6]}-{i:04d}-{'k' * 24}", "prefix": f"p{i % 7}"}
        if base:
            entry["base-url"] = base
        out.append(entry)
    return out


def seed(cpa: CpaDouble, keys: int) -> int:
    """Puts the keys into the double and traffic on every fifth; returns the number of records."""
    indexes: list[str] = []
    for family, share in SHARES.items():
        count = round(keys * share)
        reply = call("PUT", f"{cpa.base_url}/v0/management/{family}", key=KEY, json_body=family_entries(family, count))
        assert reply.status == 200, reply
        listed = call("GET", f"{cpa.base_url}/v0/management/{family}", key=KEY).json[family] or []
        for entry in listed:
            for item in entry.get("api-key-entries") or [entry]:
                if item.get("auth-index"):
                    indexes.append(item["auth-index"])
    now = datetime.now(UTC).replace(microsecond=0)
    records = []
    for seq, index in enumerate(indexes[::5] * 4):
        record = make_record(provider="gemini", model="gemini-2.5-pro", seq=seq, request_id=f"bench-{seq:05d}",
                             failed=seq % 11 == 3, auth_type="apikey", timestamp=now - timedelta(minutes=seq % 1200))
        record["auth_index"] = index
        records.append(record)
    cpa.enqueue(*records)
    return len(records)


def ready_once(page: Page, keys: int) -> float:
    page.evaluate(f"() => {{ location.hash = '{IDLE_HASH}'; }}")
    page.get_by_role("heading", level=1, name="Page not found").wait_for()
    page.wait_for_load_state("networkidle")
    started = page.evaluate("() => { const t = performance.now(); location.hash = '#/providers'; return t; }")
    ended = page.wait_for_function(READY_JS, arg=keys, polling="raf", timeout=WAIT_MS).json_value()
    return float(ended) - float(started)


def drive(base_url: str, keys: int, repeat: int) -> tuple[float, list[float]]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(WAIT_MS)
        log_in(page, base_url, KEY)
        cold = ready_once(page, keys)
        warm = [ready_once(page, keys) for _ in range(repeat)]
        browser.close()
    return cold, warm


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--keys", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--version", default="v8.0.47", help="the double's CPA version (default v8.0.47)")
    args = parser.parse_args()
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    cpa = CpaDouble(KEY, version=args.version).start()
    with tempfile.TemporaryDirectory() as work:
        port = free_port()
        env = {"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"}
        app = launch(Path(work) / "config.json", port, env=env, stdout=subprocess.DEVNULL)
        base_url = f"http://127.0.0.1:{port}"
        try:
            conftest.wait_until(lambda: healthy(port), 20, "the app")
            records = seed(cpa, args.keys)
            wait_stored(base_url, KEY, records, timeout_s=60)
            print(f"CPA double {args.version}: {args.keys} provider keys in {len(SHARES)} families, "
                  f"{records} usage records on a fifth of them")
            cold, warm = drive(base_url, args.keys, args.repeat)
        finally:
            app.terminate()
            app.wait(20)
            cpa.stop()
    high = max(warm)
    verdict = "ok" if high < TARGET_MS else "OVER"
    print(f"#/providers ready with {args.keys} keys: cold {cold:.0f} ms; warm median {statistics.median(warm):.0f} "
          f"ms, max {high:.0f} ms over {len(warm)} runs; target < {TARGET_MS:.0f} ms (warm max): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
