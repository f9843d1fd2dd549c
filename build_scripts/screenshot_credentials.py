"""Retake docs/screenshots/credentials.png from a real stack. Run from the repository root after building the panel:

    python build_scripts/screenshot_credentials.py [--out docs/screenshots]

Starts the CPA double (v8) with a small pool of credentials in mixed states (cooling down, failing, disabled),
delivers a few days of usage for them, runs the app from source in this process until every record is stored,
signs in with Debian's Chromium and saves credentials.png.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from cpa_manager_desktop import paths  # noqa: E402
from cpa_manager_desktop.app import build_app  # noqa: E402
from cpa_manager_desktop.config import Overrides, load_settings  # noqa: E402
from tests import conftest  # noqa: E402  (first: it loads tests.browser, which needs it, in that order)
from tests.browser import CHROMIUM, CHROMIUM_ARGS, go_to, log_in, wait_stored  # noqa: E402
from tests.client import call  # noqa: E402
from tests.cpa_double import CpaDouble, make_record  # noqa: E402

KEY = "screenshot-management-key"
PEOPLE = ("ana", "ben", "chen", "dara", "eli", "fay", "gus", "hana", "ivo", "jun", "kai", "lea", "mo", "noa")
PROVIDERS = (("codex", "gpt-5.4", "plus"), ("claude", "claude-sonnet-4-5-20250929", "max"),
             ("antigravity", "gemini-2.5-pro", ""), ("kimi", "kimi-k2", ""), ("xai", "grok-4", ""))


def fill(cpa: CpaDouble, now: datetime) -> int:
    cpa.credentials.clear()
    rng = random.Random(7)
    recs = []
    for i, person in enumerate(PEOPLE):
        provider, model, plan = PROVIDERS[i % len(PROVIDERS)]
        data = {"type": provider, "email": f"{person}@example.com", "priority": i % 3}
        if plan:
            data["account_type"] = plan
        name = f"{provider}-{person}@example.com.json"
        cred = cpa.credentials.add(name, data)
        for n in range(rng.randint(2, 14)):
            failed = rng.random() < 0.12
            age = timedelta(minutes=rng.randint(3, 6 * 24 * 60))
            rec = make_record(provider=provider, model=model, failed=failed, seq=i * 100 + n,
                              request_id=f"shot-{i}-{n}", timestamp=now - age)
            rec["auth_index"] = cred.auth_index
            recs.append(rec)
    retry = (now + timedelta(minutes=17)).strftime("%Y-%m-%dT%H:%M:%SZ")
    cpa.credentials.set_state("claude-ben@example.com.json", unavailable=True, next_retry_after=retry,
                              status_message="quota exhausted (5-hour window)")
    cpa.credentials.set_state("codex-kai@example.com.json", status="error",
                              status_message="401 unauthorized: refresh token revoked")
    cpa.credentials.set_disabled("kimi-dara@example.com.json", True)
    cpa.enqueue(*recs)
    return len(recs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if not (ROOT / "assets" / "management.html").exists():
        raise SystemExit("build the panel first: cd panel && npm run build")
    now = datetime.now(UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory(prefix="shot-credentials-") as tmp, CpaDouble(KEY, version="v8.0.47") as cpa:
        events = fill(cpa, now)
        base = paths.BaseDirs(config_dir=Path(tmp), default_data_dir=Path(tmp) / "data", is_portable=True)
        env = {"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"}
        app = build_app(load_settings(Overrides(http_addr="127.0.0.1:0"), env=env, base=base))
        app.start()
        try:
            wait_stored(app.base_url, KEY, events)
            # Round, plausible USD prices per 1M tokens, so the cost column means something.
            table = {model: {"input": 1.25, "output": 10, "cacheRead": 0.125} for _, model, _ in PROVIDERS}
            assert call("PUT", f"{app.base_url}/v0/management/model-prices", json_body={"prices": table},
                        key=KEY).status == 200
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="en-US",
                                        color_scheme="light", timezone_id="UTC")
                log_in(page, app.base_url, KEY)
                go_to(page, "Credentials", "Credentials")
                expect(page.get_by_role("listitem", name="claude-ben@example.com.json")).to_contain_text("requests")
                page.get_by_role("checkbox", name="Select codex-ana@example.com.json").check()
                page.get_by_role("checkbox", name="Select codex-kai@example.com.json").check()
                page.evaluate("() => { window.scrollTo(0, 0); document.querySelector('[role=list]').scrollTo(0, 0); }")
                args.out.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(args.out / "credentials.png"))
                browser.close()
        finally:
            app.stop()
    print(f"wrote {args.out / 'credentials.png'}")
    assert conftest  # imported for its side effect only


if __name__ == "__main__":
    main()
