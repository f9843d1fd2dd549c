"""Retake docs/screenshots/credentials.png from a real stack. Run from the repository root after building the panel:

    python build_scripts/screenshot_credentials.py [--out docs/screenshots]

Starts the CPA double (v8) with a small pool of credentials in mixed states (cooling down, failing, disabled),
delivers a few days of usage for them, runs the app from source in this process until every record is stored,
signs in with Debian's Chromium and saves credentials.png.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from screenshot_kit import KEY, app_in_process, out_dir, signed_in  # first: it puts the repository on sys.path

# isort: split
from playwright.sync_api import expect

from tests.browser import go_to, wait_stored
from tests.client import call
from tests.cpa_double import CpaDouble, make_record

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
    out = out_dir(__doc__)
    now = datetime.now(UTC).replace(microsecond=0)
    with CpaDouble(KEY, version="v8.0.47") as cpa:
        events = fill(cpa, now)
        with app_in_process(cpa) as app:
            wait_stored(app.base_url, KEY, events)
            # Round, plausible USD prices per 1M tokens, so the cost column means something.
            table = {model: {"input": 1.25, "output": 10, "cacheRead": 0.125} for _, model, _ in PROVIDERS}
            assert call("PUT", f"{app.base_url}/v0/management/model-prices", json_body={"prices": table},
                        key=KEY).status == 200
            with signed_in(app.base_url, width=1440, height=1000, locale="en-US", timezone_id="UTC") as page:
                go_to(page, "Credentials", "Credentials")
                expect(page.get_by_role("listitem", name="claude-ben@example.com.json")).to_contain_text("requests")
                page.get_by_role("checkbox", name="Select codex-ana@example.com.json").check()
                page.get_by_role("checkbox", name="Select codex-kai@example.com.json").check()
                page.evaluate("() => { window.scrollTo(0, 0); document.querySelector('[role=list]').scrollTo(0, 0); }")
                page.screenshot(path=str(out / "credentials.png"))
    print(f"wrote {out / 'credentials.png'}")


if __name__ == "__main__":
    main()
